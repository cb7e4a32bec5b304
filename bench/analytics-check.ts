// After the load: wait until hookd has derived sessions and tool uses from every stored
// event, then check that the sessions it reports add up to what was generated. Timing
// queries against half-derived data would measure the wrong thing.
import type { DatasetFacts } from './analytics-data.ts';

const CATCH_UP_LIMIT_MS = 30 * 60_000;

/**
 * GET /sessions derives whatever was committed before it answers, so its first reply
 * after the load is the moment derivation has caught up. Resolves with the seconds waited.
 */
export async function waitForDerivation(baseUrl: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/sessions?limit=1`);
      const body = await response.text();
      if (response.ok) return (performance.now() - started) / 1000;
      if (response.status !== 503) throw new Error(`GET /sessions?limit=1 answered ${response.status}: ${body.slice(0, 500)}`);
    } catch (error) {
      // A fetch timeout while a long catch-up runs: ask again, up to the limit.
      if (error instanceof Error && error.message.startsWith('GET /sessions')) throw error;
    }
    if (performance.now() - started > CATCH_UP_LIMIT_MS)
      throw new Error(`derivation did not catch up within ${CATCH_UP_LIMIT_MS / 60_000} min`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface SessionRow {
  events: number;
  tool_calls: number;
  failures: number;
  subagents: number;
}

export interface SessionsCheck {
  ok: boolean;
  summary: string;
}

/** Pages through GET /sessions and compares its counters with the generated data. */
export async function checkSessions(baseUrl: string, facts: DatasetFacts): Promise<SessionsCheck> {
  const seen = { sessions: 0, events: 0, toolCalls: 0, failedToolCalls: 0, subagents: 0 };
  let cursor: string | null = null;
  do {
    const url = `${baseUrl}/sessions?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET /sessions answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const page = (await response.json()) as { items: SessionRow[]; next_cursor: string | null };
    for (const row of page.items) {
      seen.sessions++;
      seen.events += row.events;
      seen.toolCalls += row.tool_calls;
      seen.failedToolCalls += row.failures;
      seen.subagents += row.subagents;
    }
    cursor = page.next_cursor;
  } while (cursor);
  const expected = {
    sessions: facts.sessions,
    events: facts.events,
    toolCalls: facts.toolCalls,
    failedToolCalls: facts.failedToolCalls,
    subagents: facts.subagents,
  };
  const names = Object.keys(expected) as (keyof typeof expected)[];
  const wrong = names.filter((name) => seen[name] !== expected[name]);
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (wrong.length === 0) {
    return {
      ok: true,
      summary: `GET /sessions reports all ${fmt(seen.sessions)} sessions, their counters adding up to the ${fmt(seen.events)} events, ${fmt(seen.toolCalls)} tool calls (${fmt(seen.failedToolCalls)} failed) and ${fmt(seen.subagents)} subagents generated`,
    };
  }
  return {
    ok: false,
    summary: `GET /sessions disagrees with the generated data: ${wrong.map((n) => `${n} ${fmt(seen[n])}, expected ${fmt(expected[n])}`).join('; ')}`,
  };
}
