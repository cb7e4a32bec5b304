import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { Database } from '../../src/db/database.ts';
import { Migrator } from '../../src/db/migrator.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

describeEachDialect('migrations', (dialect) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = openDatabase(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: database.url }));
  });
  afterAll(async () => {
    await db?.close();
    await database?.cleanup();
  });

  const tables = async (): Promise<string[]> => {
    if (db.kind === 'sqlite') {
      // sqlite_sequence (AUTOINCREMENT's counters) is SQLite's own and cannot be dropped.
      return (
        db.sqlite
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
          .all() as { name: string }[]
      ).map((r) => r.name);
    }
    const { rows } = await db.pool.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'hookd' AND tablename NOT LIKE 'events_p%' ORDER BY 1",
    );
    return rows.map((r) => r.name);
  };

  it('applies every migration once, reverts down to zero and re-applies', async () => {
    const migrator = new Migrator(db);
    const all = migrator.files.map((f) => f.version);
    expect(await migrator.up()).toEqual(all);
    expect(await migrator.up()).toEqual([]);
    expect(await tables()).toEqual(expect.arrayContaining(['events', 'api_tokens', 'schema_migrations']));
    expect((await migrator.status()).every((s) => s.state === 'applied')).toBe(true);
    expect(await migrator.verify()).toEqual([]);

    expect(await migrator.down()).toEqual([all[all.length - 1]]);
    expect((await migrator.status()).at(-1)!.state).toBe('pending');
    expect(await migrator.down(0)).toEqual(all.slice(0, -1).reverse());
    expect(await tables()).toEqual(['schema_migrations']);
    expect(await migrator.up()).toEqual(all);
    expect(await tables()).toEqual(expect.arrayContaining(['events', 'api_tokens']));
  });

  it('verify fails on an edited or a missing migration', async () => {
    const migrator = new Migrator(db);
    await migrator.up();
    const tamper = async (sql: string) => {
      if (db.kind === 'sqlite') db.sqlite.exec(sql);
      else await db.pool.query(sql);
    };
    await tamper("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
    await tamper(
      "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'ghost', 'x', " +
        (db.kind === 'sqlite' ? '0' : 'now()') +
        ')',
    );
    const problems = await migrator.verify();
    expect(problems).toEqual([
      expect.stringMatching(/^0001_events: applied migration was edited/),
      expect.stringMatching(/^0999_ghost: applied migration has no file/),
    ]);
    await tamper(`UPDATE schema_migrations SET checksum = '${migrator.files[0]!.checksum}' WHERE version = 1`);
    await tamper('DELETE FROM schema_migrations WHERE version = 999');
    expect(await migrator.verify()).toEqual([]);
  });

  it('refuses to apply new migrations while an applied one was edited, unless told to, and says so', async () => {
    const migrator = new Migrator(db);
    await migrator.up();
    const newest = migrator.files.at(-1)!;
    await migrator.down();
    const tamper = async (sql: string) => {
      if (db.kind === 'sqlite') db.sqlite.exec(sql);
      else await db.pool.query(sql);
    };
    await tamper("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2");
    await expect(migrator.up()).rejects.toThrow(/refusing to migrate: 0002_api_tokens: applied migration was edited.*--allow-edited/);
    expect((await migrator.status()).find((r) => r.version === newest.version)!.state).toBe('pending');
    const warnings: string[] = [];
    expect(await migrator.up({ allowEdited: true, warn: (m) => warnings.push(m) })).toEqual([newest.version]);
    expect(warnings).toEqual([expect.stringMatching(/^applying despite: 0002_api_tokens: applied migration was edited/)]);
    await tamper(`UPDATE schema_migrations SET checksum = '${migrator.files[1]!.checksum}' WHERE version = 2`);
  });

  // In-process only for PostgreSQL: SQLite's lock wait is synchronous, so two connections
  // of one thread would wait on each other. test/process/ starts real processes for both.
  if (dialect === 'postgres') {
    it('serialises concurrent migrators so each migration runs exactly once', async () => {
      const fresh = await createTestDatabase(dialect);
      const config = loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: fresh.url });
      const dbs = Array.from({ length: 5 }, () => openDatabase(config));
      try {
        const ran = await Promise.all(dbs.map((d) => new Migrator(d).up()));
        const total = ran.flat().sort((a, b) => a - b);
        expect(total).toEqual(new Migrator(dbs[0]!).files.map((f) => f.version));
      } finally {
        for (const d of dbs) await d.close();
        await fresh.cleanup();
      }
    });
  }
});
