import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/modules/events/csv-writer.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, runHookd, type CliContext } from './cli-harness.ts';

const RECEIVED = '2026-03-01T12:00:00.000Z';
const canonical = {
  event_id: 'imp-1',
  session_id: 'imp',
  event_type: 'session_started',
  timestamp: '2026-02-01T10:00:00.000Z',
  received_at: RECEIVED,
  source: 'claude-code',
  workflow_id: null,
  phase_id: null,
  milestone_id: null,
  team_id: 'team-1',
  task_id: null,
  user: 'ana',
  host: null,
  data: { model: 'opus' },
};

/** Valid lines, a duplicate, two bad lines in the middle and the torn tail a crash leaves. */
const IMPORT_FILE = `${[
  JSON.stringify(canonical),
  JSON.stringify({ event_type: 'prompt_submitted', session_id: 'imp', data: { prompt: 'no id on this one' } }),
  '{"event_type": "broken", "session_id": ',
  JSON.stringify({ event_type: 'no_session' }),
  '',
  JSON.stringify({ event_type: 'tool', session_id: 'imp', event_id: 'imp-3', timestamp: Date.parse('2026-02-01T10:05:00Z') }),
  JSON.stringify({ ...canonical, data: { model: 'a retry with other data' } }),
  JSON.stringify({ event_type: 'agent_stopped', session_id: 'imp', event_id: 'imp-4' }),
].join('\n')}\n{"event_type":"agent_stopped","session_id":"imp","ev`;

/** RFC 4180, enough for the test: quoted cells with doubled quotes, commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describeEachDialect('hookd import and export', (dialect) => {
  let cli: CliContext;
  let importFile: string;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    importFile = join(cli.home, 'import.jsonl');
    writeFileSync(importFile, IMPORT_FILE);
  });
  afterAll(async () => cli?.close());

  it('imports valid lines, reports bad ones by number, skips the torn last line', async () => {
    const res = await cli.run(['import', importFile, '--batch', '2']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('imported 4 events (1 duplicates, 2 invalid lines skipped)\n');
    const problems = lines(res.stderr);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^hookd: .*import\.jsonl: line 3: not valid JSON/);
    expect(problems[1]).toMatch(/line 4: session_id: is required$/);
    expect(problems[2]).toMatch(/line 9: skipped: last line is incomplete \(no newline at the end\)/);
    expect(res.stderr).not.toContain('\r');

    const stored = JSON.parse((await cli.run(['events', '--session', 'imp', '--json'])).stdout).items;
    expect(stored.map((e: { event_type: string }) => e.event_type).sort()).toEqual([
      'agent_stopped',
      'prompt_submitted',
      'session_started',
      'tool',
    ]);
    // The canonical line comes back exactly, received_at included; the later retry lost.
    expect(stored.find((e: { event_id: string }) => e.event_id === 'imp-1')).toEqual(canonical);
  });

  it('is idempotent: importing the same file again stores nothing new', async () => {
    const res = await cli.run(['import', importFile]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('imported 0 events (5 duplicates, 2 invalid lines skipped)\n');
    const count = await cli.withRuntime((r) => r.services.stores.events.count());
    expect(count).toBe(4);
  });

  it('exits 1 when the file cannot be read or no line is valid, 0 for an empty file', async () => {
    const missing = await cli.run(['import', join(cli.home, 'missing.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*missing\.jsonl: no such file/);

    const garbage = join(cli.home, 'garbage.jsonl');
    writeFileSync(garbage, 'hello\n[1,2]\n"text"\n');
    const bad = await cli.run(['import', garbage]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('imported 0 events (0 duplicates, 3 invalid lines skipped)\n');
    expect(bad.stderr).toContain('line 2: an event must be a JSON object');
    expect(bad.stderr).toContain('every line of');

    const empty = join(cli.home, 'empty.jsonl');
    writeFileSync(empty, '');
    const none = await cli.run(['import', empty]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('imported 0 events (0 duplicates, 0 invalid lines skipped)\n');
  });

  it('exports every event oldest first across pages, and export -> import -> export is identical', async () => {
    await cli.withRuntime(async ({ services }) => {
      for (let chunk = 0; chunk < 3; chunk++) {
        const batch = Array.from({ length: 800 }, (_, j) => {
          const i = chunk * 800 + j;
          // Spread over eight months (partitions on PostgreSQL), with shared timestamps.
          const ts = Date.parse('2025-06-01T00:00:00Z') + Math.floor(i / 3) * 7 * 3_600_000;
          return {
            event_type: `type-${i % 5}`,
            session_id: `bulk-${i % 7}`,
            event_id: `b-${i}`,
            timestamp: ts,
            data: { i, ü: '✓ 🎉', nested: { list: [i, null, true] } },
          };
        });
        await services.ingest.ingestBatch(batch);
      }
    });
    const first = join(cli.home, 'first.jsonl');
    const res = await cli.run(['export', '--format', 'jsonl', '--output', first]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const text = readFileSync(first, 'utf8');
    const exported = lines(text).map((line) => JSON.parse(line));
    expect(exported).toHaveLength(2404);
    const times = exported.map((e) => Date.parse(e.timestamp));
    expect(times.every((t, i) => i === 0 || times[i - 1]! <= t)).toBe(true);
    expect(new Set(exported.map((e) => `${e.session_id}/${e.event_id}`)).size).toBe(2404);
    expect(Object.keys(exported[0])).toEqual(Object.keys(canonical));

    // stdout carries the same bytes as --output.
    const piped = await cli.run(['export']);
    expect(piped.stdout).toBe(text);

    const fresh = await createCliContext(dialect);
    try {
      const imported = await fresh.run(['import', first, '--batch', '300']);
      expect(imported.stdout).toBe('imported 2404 events (0 duplicates, 0 invalid lines skipped)\n');
      const again = await fresh.run(['export']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(text);
    } finally {
      await fresh.close();
    }
  });

  it('exports only what the filters match', async () => {
    const res = await cli.run([
      'export',
      '--session',
      'bulk-3',
      '--type',
      'type-1',
      '--from',
      '2025-07-01T00:00:00Z',
      '--to',
      '2025-09-01',
    ]);
    expect(res.code).toBe(0);
    const events = lines(res.stdout).map((line) => JSON.parse(line));
    const expected: string[] = [];
    for (let i = 0; i < 2400; i++) {
      const ts = Date.parse('2025-06-01T00:00:00Z') + Math.floor(i / 3) * 7 * 3_600_000;
      if (i % 7 === 3 && i % 5 === 1 && ts >= Date.parse('2025-07-01') && ts < Date.parse('2025-09-01')) expected.push(`b-${i}`);
    }
    expect(expected.length).toBeGreaterThan(5);
    expect(events.map((e) => e.event_id)).toEqual(expected);
  });

  it('writes RFC 4180 CSV: header, data as JSON, commas, quotes and line breaks quoted', async () => {
    const tricky = { model: 'a, "b"', text: 'line 1\nline 2\r\nline 3' };
    await cli.withRuntime(({ services }) =>
      services.ingest.ingestBatch([
        { event_type: 'csv', session_id: 'csv,"s"', event_id: 'c-1', timestamp: '2026-01-01T00:00:00Z', user: 'o"neil', data: tricky },
        { event_type: 'csv', session_id: 'csv,"s"', event_id: 'c-2', timestamp: '2026-01-01T00:00:01Z' },
      ]),
    );
    const out = join(cli.home, 'out.csv');
    const res = await cli.run(['export', '--format', 'csv', '--session', 'csv,"s"', '--output', out]);
    expect(res.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('c-1,"csv,""s""",csv,2026-01-01T00:00:00.000Z,');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const record = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(record).toMatchObject({ event_id: 'c-1', session_id: 'csv,"s"', user: 'o"neil', workflow_id: '', source: 'unknown' });
    expect(JSON.parse(record.data!)).toEqual(tricky);
    expect(rows[2]![CSV_COLUMNS.indexOf('data')]).toBe('{}');
  });

  it('rejects an unknown format and reports an unwritable output', async () => {
    const format = await cli.run(['export', '--format', 'xml']);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('Allowed choices are jsonl, csv');
    const unwritable = await cli.run(['export', '--output', join(cli.home, 'no/such/dir/out.jsonl')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^hookd: ENOENT/);
  });
});

describe('hookd import into jsonl storage', () => {
  it('appends the valid lines in the canonical format', async () => {
    const cli = await createCliContext('sqlite');
    try {
      const input = join(cli.home, 'in.jsonl');
      writeFileSync(input, IMPORT_FILE);
      const target = join(cli.home, 'events.jsonl');
      const env = { HOOKD_HOME: cli.home, HOOKD_STORAGE_TYPE: 'jsonl', HOOKD_JSONL_PATH: target, CI: 'true' };
      const res = await runHookd(['import', input], env);
      expect(res.code).toBe(0);
      // The jsonl storage keeps everything it is given: no deduplication there.
      expect(res.stdout).toBe('imported 5 events (0 duplicates, 2 invalid lines skipped)\n');
      const stored = lines(readFileSync(target, 'utf8')).map((line) => JSON.parse(line));
      expect(stored.map((e) => e.event_type)).toEqual(['session_started', 'prompt_submitted', 'tool', 'session_started', 'agent_stopped']);
      expect(stored[0]).toEqual(canonical);
      const export_ = await runHookd(['export'], env);
      expect(export_.code).toBe(1);
      expect(export_.stderr).toContain('not available with jsonl storage');
    } finally {
      await cli.close();
    }
  });
});
