import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

const T0 = Date.parse('2026-02-10T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

interface Listed {
  items: { event_id: string; session_id: string; event_type: string; source: string; timestamp: string; data: unknown }[];
  next_cursor: string | null;
}

describeEachDialect('hookd events', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await cli.withRuntime(async ({ services }) => {
      const events = [];
      for (let i = 0; i < 7; i++) {
        events.push({
          event_id: `ev-${i}`,
          session_id: i < 5 ? 'sess-a' : 'sess-b',
          event_type: i % 2 === 0 ? 'tool_execution_started' : 'prompt_submitted',
          source: i < 6 ? 'claude-code' : 'codex',
          workflow_id: i === 3 ? 'wf-1' : undefined,
          timestamp: at(i),
          data: { i, note: i === 4 ? `line one\nline two, "quoted" ${'x'.repeat(100)}` : 'short' },
        });
      }
      await services.ingest.ingestBatch(events);
    });
  });
  afterAll(async () => cli?.close());

  const listJson = async (...args: string[]): Promise<Listed> => {
    const res = await cli.run(['events', '--json', ...args]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return JSON.parse(res.stdout);
  };
  const ids = (page: Listed) => page.items.map((e) => e.event_id);

  it('prints {items, next_cursor} newest first under --json, as the HTTP API does', async () => {
    const page = await listJson();
    expect(ids(page)).toEqual(['ev-6', 'ev-5', 'ev-4', 'ev-3', 'ev-2', 'ev-1', 'ev-0']);
    expect(page.next_cursor).toBeNull();
    expect(page.items[2]).toMatchObject({ session_id: 'sess-a', source: 'claude-code', timestamp: at(4), data: { i: 4 } });
    expect(Object.keys(page.items[0]!)).toEqual([
      'event_id',
      'session_id',
      'event_type',
      'timestamp',
      'received_at',
      'source',
      'workflow_id',
      'phase_id',
      'milestone_id',
      'team_id',
      'task_id',
      'user',
      'host',
      'data',
    ]);
  });

  it('filters by session, type, source, workflow and time range', async () => {
    expect(ids(await listJson('--session', 'sess-b'))).toEqual(['ev-6', 'ev-5']);
    expect(ids(await listJson('--type', 'prompt_submitted', '--session', 'sess-a'))).toEqual(['ev-3', 'ev-1']);
    expect(ids(await listJson('--source', 'codex'))).toEqual(['ev-6']);
    expect(ids(await listJson('--workflow', 'wf-1'))).toEqual(['ev-3']);
    // --from is inclusive and --to exclusive; both take ISO-8601 or epoch ms.
    expect(ids(await listJson('--from', at(2), '--to', String(T0 + 5 * 60_000)))).toEqual(['ev-4', 'ev-3', 'ev-2']);
    expect(ids(await listJson('--session', 'nobody'))).toEqual([]);
  });

  it('pages with --limit and --cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Listed = await listJson('--limit', '3', ...(cursor ? ['--cursor', cursor] : []));
      seen.push(...ids(page));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['ev-6', 'ev-5', 'ev-4', 'ev-3', 'ev-2', 'ev-1', 'ev-0']);
  });

  it('prints a one-line-per-event table with a data preview and the next-page hint', async () => {
    const res = await cli.run(['events', '--session', 'sess-a', '--limit', '4']);
    expect(res.code).toBe(0);
    const [header, ...rest] = lines(res.stdout);
    expect(header!.split(/\s{2,}/)).toEqual(['TIME', 'SESSION', 'TYPE', 'SOURCE', 'EVENT ID', 'DATA']);
    const rows = rest.filter((line) => !line.startsWith('more:'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^2026-02-10 08:04:00\s+sess-a\s+tool_execution_started\s+claude-code\s+ev-4\s+\{"i":4,/);
    // The newline inside the payload is shown escaped, and the preview is cut short.
    expect(rows[0]).toContain('line one\\nline two');
    expect(rows[0]!.endsWith('…')).toBe(true);
    expect(rows[0]).not.toContain('x'.repeat(100));
    expect(rows[3]).toMatch(/ev-1\s+\{"i":1,"note":"short"\}$/);
    const hint = rest.at(-1)!;
    expect(hint).toMatch(/^more: repeat with --cursor \S+ /);
    const cursor = /--cursor (\S+)/.exec(hint)![1]!;
    expect(ids(await listJson('--session', 'sess-a', '--limit', '4', '--cursor', cursor))).toEqual(['ev-0']);
  });

  it('says so when nothing matches', async () => {
    const res = await cli.run(['events', '--type', 'no_such_type']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('no events match\n');
  });

  it('rejects a bad limit, time or cursor with exit 1 and a clear message', async () => {
    for (const limit of ['0', '1001', 'ten']) {
      const res = await cli.run(['events', '--limit', limit]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('--limit must be a whole number from 1 to 1000');
    }
    const badTime = await cli.run(['events', '--from', 'yesterday']);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toBe('hookd: from: must be ISO-8601 or epoch milliseconds\n');
    const badCursor = await cli.run(['events', '--cursor', 'bm9wZQ']);
    expect(badCursor.code).toBe(1);
    expect(badCursor.stderr).toBe('hookd: cursor: is not a cursor hookd issued\n');
    const reversed = await cli.run(['events', '--from', at(5), '--to', at(1)]);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toContain('from: must not be after `to`');
  });
});
