import { describe, expect, it } from 'vitest';
import { describeStorage, loadConfig, redactUrl } from './config.ts';

const home = { HOOKD_HOME: '/h' };

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file under HOOKD_HOME on loopback:8080', () => {
    const c = loadConfig(home);
    expect(c).toMatchObject({ storage: 'sqlite', sqlitePath: '/h/hookd.db', sqliteSync: 'full', host: '127.0.0.1', port: 8080 });
    expect(c.jsonlPath).toBe('/h/events.jsonl');
    expect(c.pgPoolMin).toBe(5);
    expect(c.pgPoolMax).toBe(20);
  });

  it('picks PostgreSQL for a postgres URL in auto mode, and HOOKD_ names win over plain ones', () => {
    const c = loadConfig({
      ...home,
      DATABASE_URL: 'sqlite:/a.db',
      HOOKD_DATABASE_URL: 'postgres://u:secret@db:5432/x',
      PORT: '1',
      HOOKD_PORT: '2',
    });
    expect(c.storage).toBe('postgres');
    expect(c.port).toBe(2);
    expect(describeStorage(c)).not.toContain('secret');
    expect(describeStorage(c)).toContain('postgres://u:***@db:5432/x');
    for (const url of [
      'postgres://db:5432/x?user=u&password=secret',
      'postgresql://u@db/x?sslmode=require&sslpassword=secret&PassWord=secret',
      'postgres://u:secret@db/x?password=secret',
    ]) {
      const described = describeStorage(loadConfig({ DATABASE_URL: url }));
      expect(described).not.toContain('secret');
      expect(described).toMatch(/password=\*\*\*|:\*\*\*@/i);
    }
    expect(redactUrl('postgres://db/x?user=u&password=s&application_name=a')).toBe(
      'postgres://db/x?user=u&password=***&application_name=a',
    );
    expect(redactUrl('postgres://[bad?password=s3cret&x=1')).toBe('postgres://[bad?password=***&x=1');
  });

  it('resolves sqlite:PATH against the working directory', () => {
    expect(loadConfig({ ...home, DATABASE_URL: 'sqlite:data/x.db' }, {}, { cwd: '/work' }).sqlitePath).toBe('/work/data/x.db');
    expect(loadConfig({ ...home, DATABASE_URL: 'sqlite:///abs/x.db' }).sqlitePath).toBe('/abs/x.db');
  });

  it('stops on a contradiction between STORAGE_TYPE and DATABASE_URL', () => {
    expect(() => loadConfig({ ...home, STORAGE_TYPE: 'sqlite', DATABASE_URL: 'postgres://h/db' })).toThrow(/contradicts/);
    expect(() => loadConfig({ ...home, STORAGE_TYPE: 'postgres' })).toThrow(/needs DATABASE_URL/);
    expect(() => loadConfig({ ...home, STORAGE_TYPE: 'mongo' })).toThrow(/STORAGE_TYPE must be/);
    expect(() => loadConfig({ ...home, DATABASE_URL: 'mysql://x' })).toThrow(/must start with/);
  });

  it('lets flags override the environment', () => {
    const c = loadConfig(
      { ...home, PORT: '9000', STORAGE_TYPE: 'sqlite' },
      { port: 7000, storage: 'jsonl', jsonlPath: 'e.jsonl' },
      { cwd: '/w' },
    );
    expect(c.port).toBe(7000);
    expect(c.storage).toBe('jsonl');
    expect(c.jsonlPath).toBe('/w/e.jsonl');
  });

  it('reads only HOOKD_ names inside an agent hook, leaving the project DATABASE_URL alone', () => {
    const c = loadConfig({ ...home, DATABASE_URL: 'postgres://app/db' }, {}, { prefixedOnly: true });
    expect(c.storage).toBe('sqlite');
    expect(c.sqlitePath).toBe('/h/hookd.db');
  });

  it('rejects malformed numbers with the setting named', () => {
    expect(() => loadConfig({ ...home, HOOKD_MAX_BATCH_EVENTS: 'lots' })).toThrow(/HOOKD_MAX_BATCH_EVENTS/);
    expect(() => loadConfig({ ...home, PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...home, HOOKD_SQLITE_SYNC: 'off' })).toThrow(/HOOKD_SQLITE_SYNC/);
    expect(() => loadConfig({ ...home, HOOKD_PG_POOL_MIN: '30' })).toThrow(/POOL_MIN/);
  });

  it('schedules hook performance every minute and keeps executions 90 days unless told otherwise', () => {
    expect(loadConfig(home).performance).toEqual({ aggregateIntervalMs: 60_000, retentionDays: 90 });
    expect(loadConfig({ ...home, HOOKD_PERF_AGGREGATE_INTERVAL_MS: '0', HOOKD_EXECUTION_RETENTION_DAYS: '0' }).performance).toEqual({
      aggregateIntervalMs: 0,
      retentionDays: 0,
    });
    expect(() => loadConfig({ ...home, HOOKD_PERF_AGGREGATE_INTERVAL_MS: '500' })).toThrow(/HOOKD_PERF_AGGREGATE_INTERVAL_MS/);
    expect(() => loadConfig({ ...home, HOOKD_EXECUTION_RETENTION_DAYS: '-1' })).toThrow(/HOOKD_EXECUTION_RETENTION_DAYS/);
    expect(() => loadConfig({ ...home, HOOKD_EXECUTION_RETENTION_DAYS: '99999' })).toThrow(/HOOKD_EXECUTION_RETENTION_DAYS/);
  });
});
