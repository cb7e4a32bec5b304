import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorOut } from '../../core/error-out.ts';
import { noBodyIsEmpty } from '../../core/no-body-is-empty.ts';
import type { NotificationService } from './notification-service.ts';
import {
  NotificationDetail,
  NotificationIdParams,
  NotificationList,
  NotificationListQuery,
  NotificationOut,
  NotificationReplayIn,
  NotificationReplayOut,
} from './notification-schemas.ts';

/** The outbox: read to follow deliveries, admin to retry and replay. Bound tokens see their team's or session's. */
export function notificationRoutes(app: FastifyInstance, notifications: NotificationService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut };

  r.get(
    '/notifications',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'Notifications, newest first: status, session_id, team_id, channel; cursor pages',
        tags,
        querystring: NotificationListQuery,
        response: { 200: NotificationList, ...errors },
      },
    },
    async (request) => notifications.list(request.query, request.principal),
  );

  r.get(
    '/notifications/:notification_id',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'One notification with what it said and every attempt (status code, latency, error, the answer)',
        tags,
        params: NotificationIdParams,
        response: { 200: NotificationDetail, 404: ErrorOut, ...errors },
      },
    },
    async (request) => notifications.get(request.params.notification_id, request.principal),
  );

  r.post(
    '/notifications/:notification_id/retry',
    {
      config: { scope: 'admin', access: 'session' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: 'Sends a failed or dead notification again now, with a fresh retry window',
        tags,
        params: NotificationIdParams,
        response: { 200: NotificationOut, 404: ErrorOut, 409: ErrorOut, ...errors },
      },
    },
    async (request) => notifications.retry(request.params.notification_id, request.principal),
  );

  r.post(
    '/notifications/replay',
    {
      config: { scope: 'admin', access: 'session' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: 'Sends dead notifications again (or failed ones: status), by channel, session or team',
        tags,
        body: NotificationReplayIn,
        response: { 200: NotificationReplayOut, ...errors },
      },
    },
    async (request) => notifications.replay(request.body, request.principal),
  );
}
