import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { Database } from '../../src/db/database.ts';
import { Migrator } from '../../src/db/migrator.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

/** The counters the rules read; the rest of a sessions row is filler. */
interface Counters {
  tool_calls: number;
  tools_succeeded: number;
  tools_failed: number;
  explore_calls: number;
  edit_calls: number;
  test_runs: number;
  delegate_calls: number;
  research_calls: number;
  ended: boolean;
  end_reason: string | null;
}

// The rules of docs/data-model.md (Analytics), written out once more as the oracle the SQL must match.
function readmePattern(c: Counters): string {
  if (c.tool_calls === 0) return 'chat';
  if (c.delegate_calls >= 3 || c.delegate_calls * 4 >= c.tool_calls) return 'delegating';
  if (c.research_calls * 4 >= c.tool_calls) return 'research';
  if (c.edit_calls > 0 && c.test_runs >= 2) return 'edit-test loop';
  if (c.edit_calls > 0) return 'editing';
  if (c.explore_calls * 2 >= c.tool_calls) return 'explore';
  return 'mixed';
}

function readmeScore(c: Counters): number {
  const completed = c.tools_succeeded + c.tools_failed;
  const calls = completed === 0 ? 70 : Math.floor((140 * c.tools_succeeded + completed) / (2 * completed));
  const ending = c.ended && c.end_reason !== 'stale' ? 20 : 0;
  return calls + ending + (c.tools_succeeded > 0 ? 10 : 0);
}

const counters: fc.Arbitrary<Counters> = fc
  .record({
    explore: fc.nat(40),
    edit: fc.nat(40),
    test: fc.nat(10),
    delegate: fc.nat(6),
    research: fc.nat(10),
    other: fc.nat(40),
    failedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    runningShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    ended: fc.boolean(),
    reason: fc.constantFrom(null, 'prompt_input_exit', 'clear', 'logout', 'other', 'stale'),
  })
  .map((r) => {
    const tool_calls = r.explore + r.edit + r.test + r.delegate + r.research + r.other;
    const completed = tool_calls - Math.floor(tool_calls * r.runningShare);
    const tools_failed = Math.floor(completed * r.failedShare);
    return {
      tool_calls,
      tools_succeeded: completed - tools_failed,
      tools_failed,
      explore_calls: r.explore,
      edit_calls: r.edit,
      test_runs: r.test,
      delegate_calls: r.delegate,
      research_calls: r.research,
      ended: r.ended,
      end_reason: r.ended ? r.reason : null,
    };
  });

describeEachDialect('workflow pattern and success score rules', (dialect) => {
  let database: TestDatabase;
  let db: Database;
  let n = 0;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = openDatabase(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: database.url }));
    await new Migrator(db).up();
  });
  afterAll(async () => {
    await db?.close();
    await database?.cleanup();
  });

  /** Stores a session with these counters and reads back what session_intelligence_summary makes of it. */
  async function judge(c: Counters): Promise<{ pattern: string; score: number }> {
    const id = `s${++n}`;
    const columns = [
      'tool_calls',
      'tools_succeeded',
      'tools_failed',
      'explore_calls',
      'edit_calls',
      'test_runs',
      'delegate_calls',
      'research_calls',
    ] as const;
    const values = columns.map((k) => c[k]);
    if (db.kind === 'sqlite') {
      db.sqlite
        .prepare(`INSERT INTO sessions (session_id, source, started_at, last_activity_at, ended_at, end_reason, created_at, updated_at, ${columns.join(', ')})
                  VALUES (?, 'test', 0, 1000, ?, ?, 0, 0, ${columns.map(() => '?').join(', ')})`)
        .run(id, c.ended ? 1000 : null, c.end_reason, ...values);
      const row = db.sqlite
        .prepare('SELECT workflow_pattern, success_score FROM session_intelligence_summary WHERE session_id = ?')
        .get(id) as Record<string, unknown>;
      return { pattern: row.workflow_pattern as string, score: Number(row.success_score) };
    }
    await db.pool.query(
      `INSERT INTO sessions (session_id, source, started_at, last_activity_at, ended_at, end_reason, created_at, updated_at, ${columns.join(', ')})
       VALUES ($1, 'test', now(), now(), CASE WHEN $2 THEN now() END, $3, now(), now(), ${columns.map((_, i) => `$${i + 4}`).join(', ')})`,
      [id, c.ended, c.end_reason, ...values],
    );
    const { rows } = await db.pool.query('SELECT workflow_pattern, success_score FROM session_intelligence_summary WHERE session_id = $1', [
      id,
    ]);
    return { pattern: rows[0].workflow_pattern, score: Number(rows[0].success_score) };
  }

  const runs = dialect === 'sqlite' ? 400 : 150;

  it('computes pattern and score exactly as docs/data-model.md defines them, the score always an integer in 0-100', async () => {
    await fc.assert(
      fc.asyncProperty(counters, async (c) => {
        const { pattern, score } = await judge(c);
        expect(pattern).toBe(readmePattern(c));
        expect(score).toBe(readmeScore(c));
        expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('never raises the score for one more failure', async () => {
    await fc.assert(
      fc.asyncProperty(counters, async (c) => {
        const worse = { ...c, tool_calls: c.tool_calls + 1, tools_failed: c.tools_failed + 1 };
        expect((await judge(worse)).score).toBeLessThanOrEqual((await judge(c)).score);
      }),
      { numRuns: runs },
    );
  });

  it('never scores a session that ends normally below the same session cut off', async () => {
    await fc.assert(
      fc.asyncProperty(counters, fc.constantFrom('prompt_input_exit', 'clear', 'logout', 'other'), async (c, reason) => {
        const cutOff = await judge({ ...c, ended: false, end_reason: null });
        const ended = await judge({ ...c, ended: true, end_reason: reason });
        expect(ended.score).toBeGreaterThanOrEqual(cutOff.score);
        expect(ended.pattern).toBe(cutOff.pattern);
      }),
      { numRuns: runs },
    );
  });
});
