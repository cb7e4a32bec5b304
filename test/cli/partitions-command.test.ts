import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { monthOf, partitionName } from '../../src/modules/partitions/partition-manager.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

interface Listed {
  items: { name: string; from: string; to: string; estimated_rows: number; total_bytes: number }[];
}

const NOT_PARTITIONED = 'SQLite storage is not partitioned: monthly partitions exist only with PostgreSQL storage';

describeEachDialect('hookd partitions', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
  });
  afterAll(async () => cli?.close());

  if (dialect === 'sqlite') {
    it('explains that SQLite is not partitioned: list exits 0, create and detach exit 1', async () => {
      const list = await cli.run(['partitions', 'list']);
      expect(list).toEqual({ code: 0, stdout: `${NOT_PARTITIONED}\n`, stderr: '' });
      const json = await cli.run(['partitions', 'list', '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({ items: [] });
      const create = await cli.run(['partitions', 'create', '2026-01']);
      expect(create).toEqual({ code: 1, stdout: '', stderr: `hookd: ${NOT_PARTITIONED}\n` });
      const detach = await cli.run(['partitions', 'detach', '--older-than', '6']);
      expect(detach).toEqual({ code: 1, stdout: '', stderr: `hookd: ${NOT_PARTITIONED}\n` });
    });
    return;
  }

  const list = async (): Promise<Listed> => {
    const res = await cli.run(['partitions', 'list', '--json']);
    expect(res.code).toBe(0);
    return JSON.parse(res.stdout);
  };
  const names = async () => (await list()).items.map((p) => p.name);
  const tableExists = async (name: string) => {
    const client = new pg.Client({ connectionString: cli.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [`hookd.${name}`]);
      return rows[0].present as boolean;
    } finally {
      await client.end();
    }
  };

  it('lists the partitions made ahead of now, with estimated rows and size', async () => {
    const current = partitionName(monthOf(Date.now()));
    const { items } = await list();
    expect(items.find((p) => p.name === current)).toMatchObject({ estimated_rows: expect.any(Number), total_bytes: expect.any(Number) });
    expect(items.length).toBeGreaterThanOrEqual(4);
    const table = await cli.run(['partitions', 'list']);
    const [header, ...rows] = lines(table.stdout);
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'FROM', 'TO', 'EST. ROWS', 'SIZE']);
    expect(rows.some((row) => row.startsWith(current))).toBe(true);
  });

  it('creates a month far in the past, once', async () => {
    const res = await cli.run(['partitions', 'create', '2001-03']);
    expect(res).toEqual({ code: 0, stdout: 'created events_p2001_03\n', stderr: '' });
    expect((await list()).items.find((p) => p.name === 'events_p2001_03')).toMatchObject({ from: '2001-03-01', to: '2001-04-01' });
    const again = await cli.run(['partitions', 'create', '2001-03']);
    expect(again.stdout).toBe('events_p2001_03 already exists\n');
    for (const bad of ['2001-13', '2001-3', '1999-12', 'march']) {
      const res = await cli.run(['partitions', 'create', bad]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^hookd: month: must be/);
    }
  });

  it('drops partitions older than N months with their events and idempotency keys', async () => {
    const event = { event_type: 'old', session_id: 'old-1', event_id: 'o-1', timestamp: '2001-03-15T12:00:00Z' };
    await cli.withRuntime(({ services }) => services.ingest.ingestOne(event));
    expect(JSON.parse((await cli.run(['events', '--session', 'old-1', '--json'])).stdout).items).toHaveLength(1);

    const res = await cli.run(['partitions', 'detach', '--older-than', '12']);
    expect(res).toEqual({ code: 0, stdout: 'dropped events_p2001_03 (1 idempotency key removed)\n', stderr: '' });
    expect(await names()).not.toContain('events_p2001_03');
    expect(await tableExists('events_p2001_03')).toBe(false);
    expect(JSON.parse((await cli.run(['events', '--session', 'old-1', '--json'])).stdout).items).toEqual([]);
    // Recent months stay.
    expect(await names()).toContain(partitionName(monthOf(Date.now())));

    const nothing = await cli.run(['partitions', 'detach', '--older-than', '12']);
    expect(nothing.stdout).toBe('no partition is older than 12 months\n');

    // With its key gone, the same event is new again (and gets its partition back).
    const again = await cli.withRuntime(({ services }) => services.ingest.ingestOne(event));
    expect(again).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('with --keep only detaches: the table stays for an archive', async () => {
    const res = await cli.run(['partitions', 'detach', '--older-than', '12', '--keep']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('detached events_p2001_03, kept as a standalone table (1 idempotency key removed)\n');
    expect(await names()).not.toContain('events_p2001_03');
    expect(await tableExists('events_p2001_03')).toBe(true);
  });

  it('refuses a missing or invalid --older-than', async () => {
    const missing = await cli.run(['partitions', 'detach']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--older-than <months>' not specified");
    const zero = await cli.run(['partitions', 'detach', '--older-than', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('--older-than must be a whole number from 1 to 1200');
  });
});
