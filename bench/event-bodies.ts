// Request bodies shaped like what Claude Code's PostToolUse hook sends, so the benchmark
// measures realistic parsing, normalising and row sizes rather than a toy payload.
import { hex, pick, seeded, uuid, type Random } from './seeded-random.ts';

/** Stands where the event id (and the tool call's id) goes; joining the pieces with a tag yields unique ids. */
const ID_MARK = '@@EVENT_ID@@';

export interface BodyTemplate {
  /** `pieces.join(tag)` is the request body; a fresh tag per request keeps every event id new. */
  pieces: string[];
  events: number;
  /** Session of the first event: with `firstEventId(tag)` it finds the request in the store. */
  firstSessionId: string;
  /** Appended to the tag to give the first event's id. */
  firstIdSuffix: string;
}

interface Tool {
  name: string;
  input(r: Random): Record<string, unknown>;
  response(r: Random): Record<string, unknown>;
}

const FILES = ['src/invoice.ts', 'src/invoice.test.ts', 'src/tax/rounding.ts', 'src/api/routes.ts', 'README.md', 'package.json'];
const WORDS = ['roundTotal', 'applyDiscount', 'currency', 'TODO', 'invoiceId', 'taxRate'];

const TOOLS: Tool[] = [
  {
    name: 'Bash',
    input: (r) => ({ command: `npm test -- ${pick(r, FILES)}`, description: 'Run the invoice tests' }),
    response: (r) => ({
      stdout: `PASS ${pick(r, FILES)}\nTests: ${Math.floor(r() * 20) + 1} passed`,
      stderr: '',
      interrupted: false,
    }),
  },
  {
    name: 'Read',
    input: (r) => ({ file_path: `/home/ana/src/billing/${pick(r, FILES)}` }),
    response: (r) => ({ type: 'text', file: { numLines: Math.floor(r() * 400), startLine: 1, totalLines: 412 } }),
  },
  {
    name: 'Edit',
    input: (r) => ({
      file_path: `/home/ana/src/billing/${pick(r, FILES)}`,
      old_string: 'return Math.round(total * 100) / 100;',
      new_string: 'return roundHalfUp(total, 2);',
    }),
    response: () => ({ filePath: 'src/invoice.ts', replaceAll: false }),
  },
  {
    name: 'Grep',
    input: (r) => ({ pattern: pick(r, WORDS), path: 'src', output_mode: 'files_with_matches' }),
    response: (r) => ({ mode: 'files_with_matches', filenames: [pick(r, FILES), pick(r, FILES)], numFiles: 2 }),
  },
  {
    name: 'Glob',
    input: () => ({ pattern: 'src/**/*.test.ts' }),
    response: (r) => ({ filenames: [pick(r, FILES), pick(r, FILES), pick(r, FILES)], durationMs: 7, numFiles: 3, truncated: false }),
  },
];

/** One canonical wire event as a producer would POST it (`event_id` left as a mark). */
function eventFor(r: Random, sessionId: string, when: string, idSuffix: string): Record<string, unknown> {
  const tool = pick(r, TOOLS);
  return {
    event_id: `${ID_MARK}${idSuffix}`,
    event_type: 'tool_execution_completed',
    session_id: sessionId,
    source: 'claude-code',
    timestamp: when,
    data: {
      transcript_path: `/home/ana/.claude/projects/-home-ana-src-billing/${sessionId}.jsonl`,
      cwd: '/home/ana/src/billing',
      hook_event_name: 'PostToolUse',
      tool_name: tool.name,
      // The request's tag here too: every event is a call of its own, as in real traffic,
      // so the derivation writes a tool use per event instead of updating the same few.
      tool_use_id: `toolu_01${hex(r, 22)}${ID_MARK}`,
      tool_input: tool.input(r),
      tool_response: tool.response(r),
      duration_ms: Math.floor(r() * 900) + 5,
    },
  };
}

export interface TemplateOptions {
  /** Events per request; 1 posts a bare object to /events, more an array to /events/batch. */
  eventsPerRequest: number;
  /** Distinct bodies to cycle through. */
  variants: number;
  /** Agent sessions the events are spread over. */
  sessions?: number;
  seed?: number;
}

export function bodyTemplates(options: TemplateOptions): BodyTemplate[] {
  const r = seeded(options.seed ?? 42);
  const sessions = Array.from({ length: options.sessions ?? 32 }, () => uuid(r));
  // A fixed event time inside the current month: PostgreSQL's partitions for it exist.
  const when = new Date().toISOString();
  const templates: BodyTemplate[] = [];
  for (let v = 0; v < options.variants; v++) {
    const n = options.eventsPerRequest;
    const session = pick(r, sessions);
    if (n === 1) {
      const pieces = JSON.stringify(eventFor(r, session, when, '')).split(ID_MARK);
      templates.push({ pieces, events: 1, firstSessionId: session, firstIdSuffix: '' });
      continue;
    }
    // A batch usually comes from one agent session flushing its buffer.
    const events = Array.from({ length: n }, (_, k) => eventFor(r, session, when, `.${k}`));
    templates.push({ pieces: JSON.stringify(events).split(ID_MARK), events: n, firstSessionId: session, firstIdSuffix: '.0' });
  }
  return templates;
}

export function bodyOf(template: BodyTemplate, tag: string): string {
  return template.pieces.join(tag);
}

/** Average bytes of one event inside these templates. */
export function averageEventBytes(templates: readonly BodyTemplate[], tagLength = 16): number {
  const tag = 'x'.repeat(tagLength);
  const bytes = templates.reduce((sum, t) => sum + Buffer.byteLength(bodyOf(t, tag)), 0);
  const events = templates.reduce((sum, t) => sum + t.events, 0);
  return Math.round(bytes / events);
}
