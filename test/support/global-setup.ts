// One PostgreSQL cluster per test run: starting it per file would cost seconds
// each, while per-test databases (see test-database.ts) already isolate files.
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    pgSkipReason: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  if ('skipped' in cluster) {
    // CI must prove the PostgreSQL backend works; a silent skip would hide that.
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required on CI: ${cluster.skipped}`);
    console.warn(`PostgreSQL suites skipped: ${cluster.skipped}`);
    project.provide('pgAdminUrl', null);
    project.provide('pgSkipReason', cluster.skipped);
    return async () => {};
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgSkipReason', null);
  return () => cluster.stop();
}
