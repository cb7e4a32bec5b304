// The read endpoints the analytics benchmark times, and the timing itself: warm-up, then
// sequential requests, latency as the client sees it (request sent to body read).
import { quantile } from './quantile.ts';

export interface Endpoint {
  /** The path with `{project}` and `{session}` for the parameters: the same row at every checkpoint. */
  name: string;
  path: string;
  /** Beside the analytics endpoints: a route that exists today, so the harness is checkable. */
  reference?: boolean;
}

/** The p95 every analytics endpoint must stay under. */
export const P95_FLOOR_MS = 50;

const ENDPOINTS: readonly Omit<Endpoint, 'path'>[] = [
  { name: '/sessions?limit=50', reference: true },
  { name: '/analytics/sessions?limit=50' },
  { name: '/analytics/sessions?limit=50&project={project}' },
  { name: '/analytics/tools' },
  { name: '/analytics/tools?since=7d' },
  { name: '/analytics/tools?project={project}' },
  { name: '/analytics/workflows' },
  { name: '/analytics/agents' },
  { name: '/analytics/quality' },
  { name: '/analytics/sessions/{session}' },
  { name: '/analytics/tools/Bash' },
  { name: '/analytics/workflows/recent?days=7' },
  { name: '/analytics/sessions/{session}/score' },
];

export function analyticsEndpoints(project: string, sessionId: string): Endpoint[] {
  const p = encodeURIComponent(project);
  const s = encodeURIComponent(sessionId);
  return ENDPOINTS.map((e) => ({ ...e, path: e.name.replace('{project}', p).replace('{session}', s) }));
}

export interface EndpointTiming {
  name: string;
  path: string;
  reference: boolean;
  /** null when the endpoint answered non-2xx (or not at all): not available yet. */
  result: { p50: number; p95: number; rows: string; bytes: number } | null;
  /** Why it is not available: the status and the start of the reply, or the error. */
  unavailable?: string;
}

/**
 * What "rows returned" means for a reply whose shape is not known in advance: the length
 * of a top-level array, else of the first list field (`items`, ...), else one object,
 * with its largest list named.
 */
export function rowsOf(body: unknown): string {
  if (Array.isArray(body)) return String(body.length);
  if (typeof body !== 'object' || body === null) return '1';
  const record = body as Record<string, unknown>;
  for (const key of ['items', 'rows', 'sessions', 'tools', 'workflows', 'agents', 'results']) {
    const value = record[key];
    if (Array.isArray(value)) return String(value.length);
  }
  const lists = Object.entries(record).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  if (lists.length === 0) return '1';
  const [name, longest] = lists.reduce((a, b) => (b[1].length > a[1].length ? b : a));
  return `1 (${longest.length} ${name})`;
}

/** hookd's error code (`route_not_found`, ...) or the start of a reply that is not hookd's JSON. */
function errorCode(text: string): string {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code;
  } catch {
    // Not JSON: show what it is.
  }
  return text.replace(/\s+/g, ' ').slice(0, 80);
}

async function once(url: string): Promise<{ ms: number; status: number; text: string }> {
  const started = performance.now();
  const response = await fetch(url);
  const text = await response.text();
  return { ms: performance.now() - started, status: response.status, text };
}

export async function timeEndpoint(baseUrl: string, endpoint: Endpoint, warmup: number, timed: number): Promise<EndpointTiming> {
  const base = { name: endpoint.name, path: endpoint.path, reference: endpoint.reference ?? false };
  const times: number[] = [];
  let last = { ms: 0, status: 0, text: '' };
  try {
    for (let i = 0; i < warmup + timed; i++) {
      last = await once(`${baseUrl}${endpoint.path}`);
      // Endpoints still being written answer 404 (or 501...): report them, do not time them.
      if (last.status < 200 || last.status > 299) {
        return { ...base, result: null, unavailable: `${last.status} ${errorCode(last.text)}` };
      }
      if (i >= warmup) times.push(last.ms);
    }
  } catch (error) {
    return { ...base, result: null, unavailable: error instanceof Error ? error.message : String(error) };
  }
  let rows: string;
  try {
    rows = rowsOf(JSON.parse(last.text));
  } catch {
    rows = 'not JSON';
  }
  times.sort((a, b) => a - b);
  return { ...base, result: { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows, bytes: Buffer.byteLength(last.text) } };
}
