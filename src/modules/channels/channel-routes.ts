import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import { noBodyIsEmpty } from '../../core/no-body-is-empty.ts';
import type { ChannelService } from './channel-service.ts';
import {
  ChannelCreateIn,
  ChannelIdParams,
  ChannelList,
  ChannelOut,
  ChannelPauseIn,
  ChannelTestOut,
  ChannelUpdateIn,
} from './channel-schemas.ts';

/**
 * Channels: read to list, admin to change and test. A team-bound token sees its team's
 * channels and the installation's, and changes its team's. The service writes the
 * `audit` lines (the CLI changes channels too).
 */
export function channelRoutes(app: FastifyInstance, channels: ChannelService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['channels'];
  const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut };
  const params = ChannelIdParams;

  r.get(
    '/channels',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: "Channels: the token's team's and the installation's (every channel for an unbound token)",
        tags,
        response: { 200: ChannelList, ...errors },
      },
    },
    async (request) => channels.list(request.principal),
  );

  r.get(
    '/channels/:channel_id',
    {
      config: { scope: 'read', access: 'team' },
      schema: { summary: 'One channel, its URL redacted', tags, params, response: { 200: ChannelOut, ...errors } },
    },
    async (request) => channels.get(request.params.channel_id, request.principal),
  );

  r.post(
    '/channels',
    {
      config: { scope: 'admin', access: 'team' },
      schema: {
        summary: 'Adds a channel (webhook, slack, discord, email or ntfy); its URL and secret are sealed at rest',
        tags,
        body: ChannelCreateIn,
        response: { 201: ChannelOut, 409: ErrorOut, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await channels.create(request.body, request.principal)),
  );

  r.patch(
    '/channels/:channel_id',
    {
      config: { scope: 'admin', access: 'team' },
      schema: {
        summary: "Changes a channel's URL, secret or name",
        tags,
        params,
        body: ChannelUpdateIn,
        response: { 200: ChannelOut, ...errors },
      },
    },
    async (request) => channels.update(request.params.channel_id, request.body, request.principal),
  );

  r.delete(
    '/channels/:channel_id',
    {
      config: { scope: 'admin', access: 'team' },
      schema: { summary: 'Removes a channel', tags, params, response: { 204: Type.Null({ description: 'Removed' }), ...errors } },
    },
    async (request, reply) => {
      await channels.remove(request.params.channel_id, request.principal);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/channels/:channel_id/test',
    {
      config: { scope: 'admin', access: 'team' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: 'Sends a real test message and answers with what the receiver said',
        tags,
        params,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 200: ChannelTestOut, ...errors },
      },
    },
    async (request) => channels.test(request.params.channel_id, request.principal),
  );

  for (const action of ['pause', 'resume'] as const) {
    r.post(
      `/channels/:channel_id/${action}`,
      {
        config: { scope: 'admin', access: 'team' },
        preValidation: noBodyIsEmpty,
        schema: {
          summary: action === 'pause' ? 'Holds its notifications back until resumed' : 'Delivers its notifications again',
          tags,
          params,
          body: ChannelPauseIn,
          response: { 200: ChannelOut, ...errors },
        },
      },
      async (request) =>
        channels.setPaused(
          request.params.channel_id,
          action === 'pause',
          (request.body as { reason?: string }).reason ?? null,
          request.principal,
        ),
    );
  }
}
