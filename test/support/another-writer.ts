import { loadConfig } from '../../src/core/config.ts';
import { openSqlite } from '../../src/db/sqlite-connection.ts';
import { GroupCommitWriter } from '../../src/modules/events/group-commit-writer.ts';
import { IngestService } from '../../src/modules/events/ingest-service.ts';
import { createSqliteEventWriter } from '../../src/modules/events/sqlite-event-writer.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { sqlitePath, type Dialect } from './test-database.ts';

/**
 * Stores events in the database at `url` as a writer other than the server under test does,
 * committed and not derived, so that server's passes derive them. SQLite: the bare insert
 * `hookd emit` uses (a hook writing the file derives nothing). PostgreSQL: another process's
 * runtime, closed before its passes run.
 */
export async function storeAsAnotherWriter(dialect: Dialect, url: string, events: readonly Record<string, unknown>[]): Promise<void> {
  const config = loadConfig({ HOOKD_HOME: '/nonexistent-hookd-home', HOOKD_DATABASE_URL: url });
  if (dialect === 'sqlite') {
    const db = openSqlite({ path: sqlitePath(url), sync: 'full' });
    try {
      const writeAll = createSqliteEventWriter(db.sqlite);
      const ingest = new IngestService(
        new GroupCommitWriter({ writeGroups: async (groups, teamBound) => writeAll(groups, teamBound) }, config.writer),
        config.limits,
      );
      await ingest.store(events.map((e) => ingest.validateOne(e)));
    } finally {
      await db.close();
    }
    return;
  }
  const other = await openRuntime(config, { serverThreads: false });
  await other.services.stores.events.writeGroups([events.map((e) => other.services.ingest.validateOne(e))]);
  // Closed without deriving: the events wait for the server, as another process's would after a crash.
  await other.services.stores.close();
}
