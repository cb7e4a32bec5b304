import type { FastifyInstance } from 'fastify';
import { NotImplementedForStorageError } from '../core/app-error.ts';
import { queryRoutes, type QueryServices } from './query-routes.ts';

/**
 * The query routes on a storage that cannot be read back (JSONL): registered like
 * everywhere else, so they are documented and pass authentication the same way, then
 * answered 501 here, the one place, before any handler runs.
 */
export function queryRoutesWithoutReadBack(app: FastifyInstance, storage: string): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      throw new NotImplementedForStorageError(storage, `${request.method} ${request.routeOptions.url}`);
    });
    queryRoutes(scope, unreachable(storage), 0);
  });
}

/** Stands in for the services the hook above never lets a handler reach. */
function unreachable(storage: string): QueryServices {
  const refuse = (): never => {
    throw new NotImplementedForStorageError(storage, 'reading stored data');
  };
  const service = new Proxy(refuse, { get: refuse, apply: refuse });
  return new Proxy({} as QueryServices, { get: () => service });
}
