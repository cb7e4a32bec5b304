// Synthetic Claude Code sessions for the analytics benchmark: prompts, tool calls paired
// start/end, subagents started by Task calls, failures with the errors agents really
// report, spread over the last 30 days. Sessions are produced one at a time, so a million
// events never sit in memory together. The structure is fixed by the seed; only the time
// anchor (`now`) moves the timestamps from run to run.
import { uuidv7Of } from '../src/core/uuidv7.ts';
import { hex, pick, seeded, uuid, type Random } from './seeded-random.ts';

/** One event in the canonical format of POST /events/batch. */
export interface WireEvent {
  event_id: string;
  session_id: string;
  event_type: string;
  /** ISO-8601 UTC; the wire name is `timestamp` (an unknown `ts` field would be ignored). */
  timestamp: string;
  source: string;
  team_id: string;
  user: string;
  host: string;
  data: Record<string, unknown>;
}

/** What was generated, for checking the store and choosing query parameters. */
export interface DatasetFacts {
  events: number;
  sessions: number;
  toolCalls: number;
  failedToolCalls: number;
  subagents: number;
  endedSessions: number;
  sessionsByProject: Map<string, number>;
  /** The session with the most events: the worst case for the per-session endpoints. */
  heaviestSession: { id: string; events: number };
}

export const PROJECTS = [
  'billing-api',
  'web-dashboard',
  'auth-service',
  'data-pipeline',
  'mobile-app',
  'infra-terraform',
  'docs-site',
  'search-indexer',
  'payments',
  'notifications',
  'ml-training',
  'etl-jobs',
  'admin-portal',
  'cli-tools',
  'design-system',
  'analytics-service',
  'api-gateway',
  'scheduler',
  'user-service',
  'inventory',
  'checkout',
  'recommendations',
  'chat-backend',
  'media-processor',
  'feature-flags',
  'observability',
  'ci-scripts',
  'sdk-python',
  'sdk-typescript',
  'edge-workers',
] as const;
const TEAMS = ['team-platform', 'team-payments', 'team-growth', 'team-data', 'team-mobile', 'team-infra'] as const;
const DEVELOPERS = Array.from({ length: 42 }, (_, i) => ({ user: `dev${String(i + 1).padStart(2, '0')}`, team: TEAMS[i % TEAMS.length]! }));

const DAY_MS = 86_400_000;
const SPAN_MS = 30 * DAY_MS;

// --- distributions -------------------------------------------------------------------

/** Zipf-like weights: a few projects get most of the sessions, as in any organisation. */
const PROJECT_WEIGHTS = PROJECTS.map((_, i) => 1 / (i + 1) ** 0.8);

function weighted<T>(r: Random, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Log-normal around a median: most calls are quick, a few take far longer. */
function logNormal(r: Random, median: number, sigma: number): number {
  // Box-Muller; 1 - r() keeps the logarithm finite.
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return median * Math.exp(sigma * z);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const ms = (r: Random, median: number, sigma = 0.8) => Math.round(clamp(logNormal(r, median, sigma), 1, 15 * 60_000));

// --- tools ---------------------------------------------------------------------------

type Kind = 'ts' | 'py' | 'go';
interface Ctx {
  r: Random;
  project: string;
  kind: Kind;
}

interface ToolSpec {
  name: string;
  weight: number;
  /** Median duration in ms. */
  medianMs: number;
  failRate: number;
  errors: readonly string[];
  input(c: Ctx): Record<string, unknown>;
  response(c: Ctx): Record<string, unknown>;
}

const FILES: Record<Kind, readonly string[]> = {
  ts: [
    'src/index.ts',
    'src/routes/orders.ts',
    'src/lib/retry.ts',
    'src/db/client.ts',
    'src/routes/orders.test.ts',
    'package.json',
    'tsconfig.json',
    'README.md',
  ],
  py: ['app/main.py', 'app/models.py', 'app/services/sync.py', 'tests/test_sync.py', 'tests/conftest.py', 'pyproject.toml', 'README.md'],
  go: ['cmd/server/main.go', 'internal/store/store.go', 'internal/store/store_test.go', 'internal/http/handlers.go', 'go.mod', 'README.md'],
};
const TEST_COMMANDS: Record<Kind, readonly string[]> = {
  ts: ['npm test', 'npm test -- src/routes/orders.test.ts', 'npx vitest run --reporter=dot'],
  py: ['pytest -q', 'pytest -q tests/test_sync.py', 'python -m pytest -x -q'],
  go: ['go test ./...', 'go test ./internal/store -run TestStore -v'],
};
const OTHER_COMMANDS: Record<Kind, readonly string[]> = {
  ts: ['npm run build', 'npm run lint', 'npx tsc --noEmit'],
  py: ['ruff check .', 'mypy app', 'pip install -e .'],
  go: ['go build ./...', 'go vet ./...', 'gofmt -l .'],
};
const SHELL_COMMANDS = [
  'git status',
  'git diff --stat',
  'git log --oneline -10',
  'ls -la',
  'git add -A && git commit -m "Fix retry on timeout"',
  'rg -n TODO',
];
const PATTERNS = ['TODO', 'retryCount', 'def sync_', 'func New', 'export function', 'timeout', 'class .*Error'];
const GLOBS = ['**/*.ts', 'src/**/*.test.ts', '**/*.py', 'internal/**/*.go', '**/README.md'];
const URLS = [
  'https://docs.python.org/3/library/asyncio-task.html',
  'https://nodejs.org/api/fs.html',
  'https://pkg.go.dev/context',
  'https://www.postgresql.org/docs/current/sql-insert.html',
];
const QUERIES = [
  'vitest mock timers example',
  'pytest fixture scope session',
  'go context cancellation best practice',
  'postgres upsert returning',
];
export const SUBAGENT_TYPES = ['Explore', 'general-purpose', 'Plan'] as const;
const READ_ONLY = ['Read', 'Grep', 'Glob', 'Bash'];

const kindOf = (project: string): Kind =>
  /python|ml-|etl|data-|recommend/.test(project) ? 'py' : /infra|gateway|scheduler|edge|observability/.test(project) ? 'go' : 'ts';
const filePath = (c: Ctx) => `/home/dev/${c.project}/${pick(c.r, FILES[c.kind])}`;

// Weights sum to 100 (the brief's mix); failRate averages ~8% over that mix.
const TOOLS: readonly ToolSpec[] = [
  {
    name: 'Read',
    weight: 25,
    medianMs: 20,
    failRate: 0.06,
    errors: [
      'File does not exist.',
      'File content (312.4KB) exceeds maximum allowed size (256KB). Please use offset and limit parameters to read specific portions of the file.',
    ],
    input: (c) => ({ file_path: filePath(c) }),
    response: (c) => ({ type: 'text', file: { numLines: 20 + Math.floor(c.r() * 400), startLine: 1 } }),
  },
  {
    name: 'Bash',
    weight: 20,
    medianMs: 2000,
    failRate: 0.15,
    errors: [
      'Exit code 1',
      'Exit code 1',
      'Exit code 2',
      'Command timed out after 2m 0.0s',
      "The user doesn't want to proceed with this tool use.",
    ],
    // A third are test runs: the quality endpoints look for them.
    input: (c) => {
      const r = c.r();
      const command =
        r < 1 / 3 ? pick(c.r, TEST_COMMANDS[c.kind]) : r < 0.6 ? pick(c.r, OTHER_COMMANDS[c.kind]) : pick(c.r, SHELL_COMMANDS);
      return { command, description: `Run ${command.split(' ')[0]}` };
    },
    response: (c) => ({ stdout: `ok (${Math.floor(c.r() * 40) + 1} passed)`, stderr: '', interrupted: false }),
  },
  {
    name: 'Edit',
    weight: 15,
    medianMs: 50,
    failRate: 0.1,
    errors: [
      'String to replace not found in file.',
      'File has not been read yet. Read it first before writing to it.',
      "The user doesn't want to proceed with this tool use.",
    ],
    input: (c) => ({ file_path: filePath(c), old_string: 'const retries = 3;', new_string: 'const retries = config.retries;' }),
    response: (c) => ({ filePath: filePath(c), replaceAll: false }),
  },
  {
    name: 'Grep',
    weight: 10,
    medianMs: 150,
    failRate: 0.02,
    errors: ['Path does not exist: src/legacy'],
    input: (c) => ({ pattern: pick(c.r, PATTERNS), output_mode: 'files_with_matches' }),
    response: (c) => ({ mode: 'files_with_matches', numFiles: Math.floor(c.r() * 12) }),
  },
  {
    name: 'Glob',
    weight: 7,
    medianMs: 80,
    failRate: 0.02,
    errors: ['Path does not exist: packages'],
    input: (c) => ({ pattern: pick(c.r, GLOBS) }),
    response: (c) => ({ numFiles: Math.floor(c.r() * 60), truncated: false }),
  },
  {
    name: 'Write',
    weight: 5,
    medianMs: 40,
    failRate: 0.05,
    errors: ['File has not been read yet. Read it first before writing to it.'],
    input: (c) => ({ file_path: filePath(c), content: '// generated\nexport {};\n' }),
    response: (c) => ({ type: 'update', filePath: filePath(c) }),
  },
  {
    name: 'TodoWrite',
    weight: 5,
    medianMs: 10,
    failRate: 0,
    errors: [],
    input: () => ({ todos: [{ content: 'Fix the failing test', status: 'in_progress', activeForm: 'Fixing the failing test' }] }),
    response: () => ({ oldTodos: [], newTodos: [] }),
  },
  {
    name: 'Task',
    weight: 4,
    medianMs: 60_000,
    failRate: 0.05,
    errors: ['Agent interrupted', 'Subagent exceeded its turn limit'],
    input: (c) => ({
      subagent_type: pick(c.r, SUBAGENT_TYPES),
      description: 'Find where retries are configured',
      prompt: 'Search the codebase for the retry settings and report the files.',
    }),
    response: () => ({ status: 'completed' }),
  },
  {
    name: 'WebFetch',
    weight: 3,
    medianMs: 3000,
    failRate: 0.12,
    errors: ['Request failed with status code 404', 'Request timed out'],
    input: (c) => ({ url: pick(c.r, URLS), prompt: 'Summarise the relevant section' }),
    response: () => ({ code: 200, bytes: 48_213 }),
  },
  {
    name: 'WebSearch',
    weight: 2,
    medianMs: 4000,
    failRate: 0.05,
    errors: ['Search request failed'],
    input: (c) => ({ query: pick(c.r, QUERIES) }),
    response: () => ({ results: 10 }),
  },
  {
    name: 'MultiEdit',
    weight: 2,
    medianMs: 80,
    failRate: 0.12,
    errors: ['String to replace not found in file.'],
    input: (c) => ({ file_path: filePath(c), edits: [{ old_string: 'retries = 3', new_string: 'retries = 5' }] }),
    response: (c) => ({ filePath: filePath(c) }),
  },
  {
    name: 'mcp__github__create_issue',
    weight: 2,
    medianMs: 1200,
    failRate: 0.1,
    errors: ['MCP error -32603: Validation Failed'],
    input: (c) => ({ owner: 'acme', repo: c.project, title: 'Flaky retry test', body: 'Seen twice this week.' }),
    response: () => ({ number: 1234 }),
  },
];
const TOOL_WEIGHTS = TOOLS.map((t) => t.weight);
const byName = (name: string) => TOOLS.find((t) => t.name === name)!;
const SUBAGENT_TOOLS = TOOLS.filter((t) => t.name !== 'Task');
const READ_ONLY_TOOLS = TOOLS.filter((t) => READ_ONLY.includes(t.name));

const PROMPTS = [
  'The orders test fails since the last merge, find out why and fix it',
  'Add retries with backoff to the HTTP client',
  'Refactor the sync service so it can be tested without the network',
  'Why is the build slow? Profile it and suggest changes',
  'Write tests for the store package',
  'Update the README with the new configuration options',
  'Rename userId to accountId everywhere',
  'Open an issue for the flaky retry test',
];
const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5'];

// --- one session ---------------------------------------------------------------------

interface Draft {
  type: string;
  at: number;
  data: Record<string, unknown>;
}

const toolUseId = (r: Random) => `toolu_01${hex(r, 22)}`;

/** A tool call starting at `at`; returns its end time. Inside a subagent it carries agent_id/agent_type. */
function toolCall(c: Ctx, tool: ToolSpec, at: number, out: Draft[], agent?: { id: string; type: string }, duration?: number): number {
  const id = toolUseId(c.r);
  const input = tool.input(c);
  const inside = agent ? { agent_id: agent.id, agent_type: agent.type } : {};
  out.push({
    type: 'tool_execution_started',
    at,
    data: { hook_event_name: 'PreToolUse', tool_name: tool.name, tool_use_id: id, tool_input: input, ...inside },
  });
  const end = at + (duration ?? ms(c.r, tool.medianMs));
  if (tool.errors.length && c.r() < tool.failRate) {
    out.push({
      type: 'tool_execution_failed',
      at: end,
      data: {
        hook_event_name: 'PostToolUseFailure',
        tool_name: tool.name,
        tool_use_id: id,
        tool_input: input,
        error: pick(c.r, tool.errors),
        is_interrupt: false,
        ...inside,
      },
    });
  } else {
    out.push({
      type: 'tool_execution_completed',
      at: end,
      data: {
        hook_event_name: 'PostToolUse',
        tool_name: tool.name,
        tool_use_id: id,
        tool_input: input,
        tool_response: tool.response(c),
        ...inside,
      },
    });
  }
  return end;
}

/** A Task call: the subagent runs its own calls between the Task's start and end. */
function taskCall(c: Ctx, at: number, out: Draft[]): { end: number; calls: number } {
  const task = byName('Task');
  const start = out.length;
  // Draft the start now, so its input (and subagent type) is known to the inner calls.
  let end = toolCall(c, task, at, out, undefined, 0);
  const [started, finished] = out.splice(start, 2) as [Draft, Draft];
  const type = (started.data.tool_input as { subagent_type: string }).subagent_type;
  const agent = { id: hex(c.r, 16), type };
  const tools = type === 'general-purpose' ? SUBAGENT_TOOLS : READ_ONLY_TOOLS;
  out.push(started, {
    type: 'subagent_started',
    at: at + 150,
    data: { hook_event_name: 'SubagentStart', agent_id: agent.id, agent_type: type },
  });
  let t = at + 150;
  // Sized so that a Task takes about a minute, as Explore runs do; a turn's budget of
  // calls may be overrun by the subagent's (the session then has a few more events).
  const inner = 2 + Math.floor(c.r() * 7);
  for (let i = 0; i < inner; i++)
    t = toolCall(
      c,
      weighted(
        c.r,
        tools,
        tools.map((x) => x.weight),
      ),
      t + ms(c.r, 8000, 0.6),
      out,
      agent,
    );
  t += ms(c.r, 12_000, 0.5); // the subagent writes its report
  out.push({
    type: 'subagent_stopped',
    at: t,
    data: { hook_event_name: 'SubagentStop', agent_id: agent.id, agent_type: type, stop_hook_active: false },
  });
  end = t + 100;
  // The Task's started ts is its completed ts minus its duration: the subagent's whole run.
  finished.at = end;
  out.push(finished);
  return { end, calls: 1 + inner };
}

function draftSession(c: Ctx, targetEvents: number, ends: boolean): Draft[] {
  const { r } = c;
  const out: Draft[] = [];
  out.push({ type: 'session_started', at: 0, data: { hook_event_name: 'SessionStart', source: 'startup', model: pick(r, MODELS) } });
  const prompts = Math.max(1, Math.round((targetEvents / 16) * (0.6 + 0.8 * r())));
  const calls = Math.max(0, Math.floor((targetEvents - 1 - 2 * prompts - (ends ? 1 : 0)) / 2));
  let t = ms(r, 4000, 0.7);
  for (let p = 0; p < prompts; p++) {
    out.push({ type: 'prompt_submitted', at: t, data: { hook_event_name: 'UserPromptSubmit', prompt: pick(r, PROMPTS) } });
    t += ms(r, 2500, 0.6);
    let left = Math.floor(calls / prompts) + (p < calls % prompts ? 1 : 0);
    while (left > 0) {
      const tool = weighted(r, TOOLS, TOOL_WEIGHTS);
      if (tool.name === 'Task') {
        const task = taskCall(c, t, out);
        t = task.end;
        left -= task.calls;
      } else {
        t = toolCall(c, tool, t, out);
        left--;
      }
      t += ms(r, 2500, 0.7); // the model reads the result and decides the next step
    }
    out.push({ type: 'agent_stopped', at: t, data: { hook_event_name: 'Stop', stop_hook_active: false } });
    t += ms(r, 90_000, 1); // the user reads the answer and types the next prompt
  }
  if (ends) {
    out.push({ type: 'session_ended', at: t, data: { hook_event_name: 'SessionEnd', reason: r() < 0.7 ? 'prompt_input_exit' : 'clear' } });
  }
  return out;
}

// Of the hours drawn, those outside working hours are kept 30% of the time: 11/24 + 13/24 x 0.3.
const KEPT_SHARE = 11 / 24 + (13 / 24) * 0.3;
const EVENTS_PER_SESSION = 50;

/**
 * Starts in order over the 30 days: exponential gaps sized so that `events` fill them,
 * fewer outside working hours, the last ones held back to end before `now`.
 */
function orderedStarts(r: Random, now: number, events: number): (lengthMs: number) => number {
  const meanGapMs = (SPAN_MS * KEPT_SHARE) / Math.max(1, events / EVENTS_PER_SESSION);
  let at = now - SPAN_MS;
  return (lengthMs) => {
    for (;;) {
      at += -Math.log(1 - r()) * meanGapMs;
      const hour = new Date(at).getUTCHours();
      if ((hour >= 8 && hour < 19) || r() < 0.3) break;
    }
    return Math.floor(Math.min(at, now - lengthMs - 60_000));
  };
}

/** Start of a session lasting `lengthMs` that ends before `now`; mostly working hours (UTC). */
function startTime(r: Random, now: number, lengthMs: number): number {
  const latest = now - lengthMs - 60_000;
  for (;;) {
    const at = now - SPAN_MS + r() * Math.max(0, latest - (now - SPAN_MS));
    const hour = new Date(at).getUTCHours();
    if ((hour >= 8 && hour < 19) || r() < 0.3) return Math.floor(at);
  }
}

export interface DatasetOptions {
  /** Generate sessions until at least this many events. */
  events: number;
  /**
   * 'time' (default): sessions in start order and UUIDv7 event ids of the event's time, as
   * live hooks (`hookd emit` makes UUIDv7 ids) and `hookd import` of an export deliver
   * them. 'shuffled': start times drawn at random over the 30 days and random (v4) ids,
   * so every index takes its inserts all over.
   */
  order?: 'time' | 'shuffled';
  seed?: number;
  /** Anchor of "the last 30 days", epoch ms. */
  now?: number;
}

export function emptyFacts(): DatasetFacts {
  return {
    events: 0,
    sessions: 0,
    toolCalls: 0,
    failedToolCalls: 0,
    subagents: 0,
    endedSessions: 0,
    sessionsByProject: new Map(),
    heaviestSession: { id: '', events: 0 },
  };
}

/** Yields one session's events at a time, in time order, updating `facts` as it goes. */
export function* analyticsSessions(options: DatasetOptions, facts: DatasetFacts): Generator<WireEvent[]> {
  const seed = options.seed ?? 20_251_001;
  const r = seeded(seed);
  // Start times draw from their own stream: how many draws they take depends on `now`,
  // and must not shift what the sessions contain.
  const clock = seeded(seed ^ 0x9e3779b9);
  const now = options.now ?? Date.now();
  // Event ids from their own stream too, so both orders generate the same sessions.
  const ids = seeded(seed ^ 0x85ebca6b);
  const shuffled = options.order === 'shuffled';
  const nextStart = shuffled ? (lengthMs: number) => startTime(clock, now, lengthMs) : orderedStarts(clock, now, options.events);
  const eventId = shuffled
    ? () => uuid(ids)
    : (at: number) =>
        uuidv7Of(
          at,
          Uint8Array.from({ length: 10 }, () => Math.floor(ids() * 256)),
        );
  while (facts.events < options.events) {
    const projectIndex = PROJECTS.indexOf(weighted(r, PROJECTS, PROJECT_WEIGHTS));
    const project = PROJECTS[projectIndex]!;
    const team = TEAMS[projectIndex % TEAMS.length]!;
    const developer = pick(
      r,
      DEVELOPERS.filter((d) => d.team === team),
    );
    const kind = kindOf(project);
    const roll = r();
    const source = roll < 0.85 ? 'claude-code' : roll < 0.95 ? 'codex' : 'gemini-cli';
    const sessionId = uuid(r);
    const ends = r() < 0.85;
    const target = Math.round(clamp(logNormal(r, 37, 0.65), 8, 400)); // ~45, plus Task overruns: ~50 events
    const drafts = draftSession({ r, project, kind }, target, ends);
    const start = nextStart(drafts[drafts.length - 1]!.at);
    const common = {
      cwd: `/home/dev/${project}`,
      transcript_path: `/home/dev/.claude/projects/-home-dev-${project}/${sessionId}.jsonl`,
      permission_mode: 'default',
    };
    const events = drafts.map<WireEvent>((d) => ({
      event_id: eventId(start + d.at),
      session_id: sessionId,
      event_type: d.type,
      timestamp: new Date(start + d.at).toISOString(),
      source,
      team_id: team,
      user: developer.user,
      host: `${developer.user}-laptop`,
      data: { ...common, ...d.data },
    }));
    facts.events += events.length;
    facts.sessions++;
    if (ends) facts.endedSessions++;
    for (const e of events) {
      if (e.event_type === 'tool_execution_started') facts.toolCalls++;
      else if (e.event_type === 'tool_execution_failed') facts.failedToolCalls++;
      else if (e.event_type === 'subagent_started') facts.subagents++;
    }
    facts.sessionsByProject.set(project, (facts.sessionsByProject.get(project) ?? 0) + 1);
    if (events.length > facts.heaviestSession.events) facts.heaviestSession = { id: sessionId, events: events.length };
    yield events;
  }
}
