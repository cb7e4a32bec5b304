// node_modules/node/bin/node bench/event-id-index-bench.ts — B-tree vs BRIN on events(id)
// for the live tail (migration 0004): load cost, WAL per row, index size and the tail's
// reads, on a throwaway durable PostgreSQL cluster.
//   BENCH_ROWS=n  rows loaded per variant (default 1000000)
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startPostgresCluster } from '../test/support/postgres-cluster.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = 5000;
const DDL = readFileSync(new URL('../migrations/postgres/0001_events.up.sql', import.meta.url), 'utf8');
const COLUMNS =
  'id, event_id, session_id, event_type, ts, received_at, source, workflow_id, phase_id, milestone_id, team_id, task_id, "user", host, data';
const VARIANTS: Record<string, string> = {
  none: '',
  btree: 'CREATE INDEX events_id_idx ON events (id)',
  brin: 'CREATE INDEX events_id_idx ON events USING brin (id)',
};
const INSERT = `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, data)
  SELECT gen_random_uuid()::text, 'sess-' || (g % 500), 'tool_execution_started',
         CASE WHEN g % 20 = 0 THEN timestamptz '2026-04-20' ELSE timestamptz '2026-05-01' + (g || ' ms')::interval END,
         now(), 'claude-code', jsonb_build_object('tool_name', 'Bash', 'tool_input', jsonb_build_object('command', repeat('x', 200)))
    FROM generate_series($1::int, $2::int) g`;

const cluster = await startPostgresCluster({ durable: true });
if ('skipped' in cluster) throw new Error(cluster.skipped);
const client = new pg.Client({ connectionString: cluster.adminUrl });
await client.connect();
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

async function best(sql: string, values: unknown[], runs = 7): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const { rows } = await client.query({ text: `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values });
    min = Math.min(min, (rows[0]['QUERY PLAN'] as { 'Execution Time': number }[])[0]!['Execution Time']);
  }
  return min;
}

try {
  for (const [name, index] of Object.entries(VARIANTS)) {
    await client.query(`DROP SCHEMA IF EXISTS b_${name} CASCADE; CREATE SCHEMA b_${name}; SET search_path = b_${name}`);
    await client.query(DDL);
    for (const [from, to] of [
      ['2026-04-01', '2026-05-01'],
      ['2026-05-01', '2026-06-01'],
      ['2026-06-01', '2026-07-01'],
    ] as const) {
      await client.query(
        `CREATE TABLE events_p${from.slice(0, 7).replace('-', '_')} PARTITION OF events FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
    }
    if (index) await client.query(index);
    await client.query('CHECKPOINT');
    const started = performance.now();
    for (let i = 0; i < ROWS; i += BATCH) await client.query(INSERT, [i, i + BATCH - 1]);
    const loadMs = performance.now() - started;
    // Steady state (after a checkpoint's full-page images): WAL of 20 commits of 1000 rows.
    let walBytes = 0;
    let walRecords = 0;
    for (let i = 0; i < 20; i++) {
      const { rows } = await client.query({
        text: `EXPLAIN (ANALYZE, WAL, FORMAT JSON) ${INSERT}`,
        values: [ROWS + i * 1000, ROWS + i * 1000 + 999],
      });
      const plan = (rows[0]['QUERY PLAN'] as { Plan: { 'WAL Bytes': number; 'WAL Records': number } }[])[0]!.Plan;
      walBytes += plan['WAL Bytes'];
      walRecords += plan['WAL Records'];
    }
    await client.query('VACUUM ANALYZE events');
    const size = index
      ? Number(
          (
            await client.query(
              `SELECT sum(pg_relation_size(inhrelid))::int8 AS b FROM pg_inherits WHERE inhparent = 'events_id_idx'::regclass`,
            )
          ).rows[0].b,
        )
      : 0;
    const max = Number((await client.query('SELECT last_value FROM events_id_seq')).rows[0].last_value);
    const holes = [...range(max - 900, max - 890), ...range(max - 500, max - 499), ...range(max - 60, max - 55)];
    const reads = index
      ? [
          ['forward scan, 100 new', await best(`SELECT ${COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT 1000`, [max - 100])],
          ['forward scan, 100k behind', await best(`SELECT ${COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT 1000`, [max - 100_000])],
          ['re-read 19 hole ids', await best(`SELECT ${COLUMNS} FROM events WHERE id = ANY($1::int8[])`, [holes])],
          [
            'catch-up page, one session',
            await best(`SELECT ${COLUMNS} FROM events WHERE id > $1 AND session_id = 'sess-7' ORDER BY id LIMIT 200`, [max - 500_000]),
          ],
        ]
      : [];
    console.log(
      `${name.padEnd(5)} load ${((ROWS / loadMs) * 1000).toFixed(0)} rows/s; per row ${(walBytes / 20_000).toFixed(0)} WAL bytes, ` +
        `${(walRecords / 20_000).toFixed(2)} WAL records; id index ${(size / 1024).toFixed(0)} kB` +
        reads.map(([what, ms]) => `\n      ${String(what).padEnd(28)} ${(ms as number).toFixed(2)} ms`).join(''),
    );
  }
} finally {
  await client.end();
  await cluster.stop();
}
