import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { SettingsService } from './server-settings.ts';
import { SettingsOut } from './settings-schemas.ts';

export function settingsRoutes(app: FastifyInstance, settings: SettingsService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/settings',
    {
      // The same for every caller and of no team: every binding reads it (docs/access.md).
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: "The server's settings in force: version, storage kind, capture policy, limits; never a secret",
        tags: ['settings'],
        response: { 200: SettingsOut, 403: ErrorOut, 501: ErrorOut },
      },
    },
    async () => settings.view(),
  );
}
