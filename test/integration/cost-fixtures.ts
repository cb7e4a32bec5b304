/**
 * Usage of three sessions over two UTC days, as the OTLP receiver and the transcript reader
 * store it (canonical events), for the cost tests of the API, the CLI and /metrics:
 *
 * | session | project | team   | source      | day | model             | counted figures |
 * |---------|---------|--------|-------------|-----|-------------------|-----------------|
 * | cost-1  | alpha   | team-a | claude-code | 1   | claude-sonnet-4-5 | 1000 in, 200 out, 5000 cache read, 300 cache write, $0.05 reported |
 * | cost-1  |         |        |             | 1   | (transcript of the same prompt: shadowed, never counted) |
 * | cost-1  |         |        |             | 2   | claude-haiku-4-5  | 1M in, 100k out, priced $1 + $0.50 |
 * | cost-2  | beta    | team-b | codex       | 1   | gpt-5-codex       | 2M in, priced $2.50 |
 * | cost-2  |         |        |             | 2   | mystery-model     | 10 in, 5 out: no price, 15 unpriced tokens |
 * | cost-3  | beta    | team-b | codex       | 2   | gpt-5-codex       | a metric window: 100 in, 10 out, $0.01 reported |
 *
 * Day 1 is the day before yesterday at 00:30 UTC, day 2 yesterday at 23:30: `since=36h`
 * holds day 2's rows and none of day 1's at any time of today.
 */
const DAY = 86_400_000;

export function costDays(now = Date.now()): { day1: number; day2: number } {
  const today = Math.floor(now / DAY) * DAY;
  return { day1: today - 2 * DAY + 30 * 60_000, day2: today - DAY + 23.5 * 3_600_000 };
}

export const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function costEvents(now = Date.now()): object[] {
  const { day1, day2 } = costDays(now);
  const sessions = {
    'cost-1': { team_id: 'team-a', source: 'claude-code', cwd: '/home/ana/src/alpha' },
    'cost-2': { team_id: 'team-b', source: 'codex', cwd: '/home/bo/src/beta' },
    'cost-3': { team_id: 'team-b', source: 'codex', cwd: '/home/bo/src/beta' },
  } as const;
  type Sid = keyof typeof sessions;
  const event = (sid: Sid, id: string, type: string, at: number, data: Record<string, unknown>) => ({
    event_type: type,
    event_id: id,
    session_id: sid,
    team_id: sessions[sid].team_id,
    source: sessions[sid].source,
    timestamp: new Date(at).toISOString(),
    data,
  });
  const started = (sid: Sid, at: number) => event(sid, `${sid}-start`, 'session_started', at, { cwd: sessions[sid].cwd });
  const request = (sid: Sid, id: string, at: number, data: Record<string, unknown>, origin = 'telemetry') =>
    event(sid, `${origin}:${id}`, 'usage_reported', at, { origin, request_id: id, ...data });
  return [
    started('cost-1', day1 - 60_000),
    request('cost-1', 'req-1', day1, {
      prompt_id: 'p1',
      model: 'claude-sonnet-4-5-20250929',
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_tokens: 5000,
      cache_creation_tokens: 300,
      cost_usd: 0.05,
    }),
    // The same prompt read from the transcript under another request id: telemetry has it.
    request(
      'cost-1',
      'req-1-transcript',
      day1 + 1000,
      { prompt_id: 'p1', model: 'claude-sonnet-4-5-20250929', input_tokens: 999_999, output_tokens: 999_999 },
      'transcript',
    ),
    request('cost-1', 'req-2', day2, {
      prompt_id: 'p2',
      model: 'claude-haiku-4-5',
      input_tokens: 1_000_000,
      output_tokens: 100_000,
      cache_read_tokens: 0,
      cache_creation_tokens: 0,
    }),
    started('cost-2', day1 - 60_000),
    request('cost-2', 'req-3', day1, { prompt_id: 'q1', model: 'gpt-5-codex', input_tokens: 2_000_000, output_tokens: 0 }),
    request('cost-2', 'req-4', day2, { prompt_id: 'q2', model: 'mystery-model', input_tokens: 10, output_tokens: 5 }),
    started('cost-3', day2 - 60_000),
    event('cost-3', 'metric-1', 'usage_metric_reported', day2, {
      origin: 'telemetry_metric',
      model: 'gpt-5-codex',
      input_tokens: 100,
      output_tokens: 10,
      cost_usd: 0.01,
    }),
  ];
}

const figures = (f: [number, number, number, number, number, number, number, number]) => ({
  input_tokens: f[0],
  output_tokens: f[1],
  cache_read_tokens: f[2],
  cache_creation_tokens: f[3],
  cost_usd: f[4],
  unpriced_tokens: f[5],
  requests: f[6],
  sessions: f[7],
});

/** What each grouping answers over all of costEvents (input, output, cache read, cache write, $, unpriced, requests, sessions). */
export function expectedCost(now = Date.now()) {
  const { day1, day2 } = costDays(now);
  return {
    totals: figures([3_001_110, 100_215, 5000, 300, 4.06, 15, 5, 3]),
    day: [
      { key: dateOf(day1), ...figures([2_001_000, 200, 5000, 300, 2.55, 0, 2, 2]) },
      { key: dateOf(day2), ...figures([1_000_110, 100_015, 0, 0, 1.51, 15, 3, 3]) },
    ],
    model: [
      { key: 'gpt-5-codex', ...figures([2_000_100, 10, 0, 0, 2.51, 0, 2, 2]) },
      { key: 'claude-haiku-4-5', ...figures([1_000_000, 100_000, 0, 0, 1.5, 0, 1, 1]) },
      { key: 'claude-sonnet-4-5-20250929', ...figures([1000, 200, 5000, 300, 0.05, 0, 1, 1]) },
      { key: 'mystery-model', ...figures([10, 5, 0, 0, 0, 15, 1, 1]) },
    ],
    project: [
      { key: 'beta', ...figures([2_000_110, 15, 0, 0, 2.51, 15, 3, 2]) },
      { key: 'alpha', ...figures([1_001_000, 100_200, 5000, 300, 1.55, 0, 2, 1]) },
    ],
    team: [
      { key: 'team-b', ...figures([2_000_110, 15, 0, 0, 2.51, 15, 3, 2]) },
      { key: 'team-a', ...figures([1_001_000, 100_200, 5000, 300, 1.55, 0, 2, 1]) },
    ],
    source: [
      { key: 'codex', ...figures([2_000_110, 15, 0, 0, 2.51, 15, 3, 2]) },
      { key: 'claude-code', ...figures([1_001_000, 100_200, 5000, 300, 1.55, 0, 2, 1]) },
    ],
    session: [
      { key: 'cost-2', ...figures([2_000_010, 5, 0, 0, 2.5, 15, 2, 1]) },
      { key: 'cost-1', ...figures([1_001_000, 100_200, 5000, 300, 1.55, 0, 2, 1]) },
      { key: 'cost-3', ...figures([100, 10, 0, 0, 0.01, 0, 1, 1]) },
    ],
  };
}
