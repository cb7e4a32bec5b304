import { hostname, userInfo } from 'node:os';
import type { HookContext, HookEnvelope } from '../hooks/hook-adapter.ts';
import { collectContext, headerValue } from './emit-context.ts';
import { uuidv7Of } from '../../core/uuidv7.ts';
import { fs } from '../../core/builtin-fs.ts';

/**
 * One hook event as emit captured it: the payload plus what emit decided itself (id, time)
 * and read on the machine. It is what the spool keeps, one JSON line each, so a replay
 * sends exactly what the first attempt would have, and the server's (session_id, event_id)
 * key makes a repeated send harmless.
 */
export interface CapturedEvent {
  source: string;
  event_id: string;
  /** Capture time, epoch ms. */
  timestamp: number;
  context: HookContext;
  user?: string;
  host?: string;
  team?: string;
  payload: Record<string, unknown>;
}

// The hook route's rule for {source} (src/modules/hooks/hook-routes.ts), checked before
// anything is sent so a bad --source is reported here instead of being spooled forever.
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export interface CaptureInput {
  source: string;
  payload: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  now?: number;
}

export function captureEvent(input: CaptureInput): CapturedEvent {
  const now = input.now ?? Date.now();
  const cwd = typeof input.payload.cwd === 'string' && input.payload.cwd ? input.payload.cwd : process.cwd();
  const event: CapturedEvent = {
    source: input.source,
    event_id: eventId(now),
    timestamp: now,
    context: collectContext(cwd, input.env),
    payload: input.payload,
  };
  const user = headerValue(userName(input.env));
  const host = headerValue(hostname());
  const team = headerValue(input.env.HOOKD_TEAM);
  if (user) event.user = user;
  if (host) event.host = host;
  if (team) event.team = team;
  return event;
}

/**
 * The event's UUIDv7, its random bits read from /dev/urandom: node:crypto, which
 * lib/uuidv7 draws from, is slow to load for the one id a hook process makes. Where
 * /dev/urandom does not exist, node:crypto it is.
 */
export function eventId(now: number): string {
  const random = Buffer.allocUnsafe(10);
  fillRandom(random);
  return uuidv7Of(now, random);
}

function fillRandom(target: Buffer): void {
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      if (fs.readSync(fd, target) === target.length) return;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not a Unix-like system: fall through.
  }
  process.getBuiltinModule('node:crypto').randomFillSync(target);
}

function userName(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the login name is the next best.
    return env.USER ?? env.LOGNAME;
  }
}

/** The X-Hookd-* headers POST /hooks/{source} reads, only those with values. */
export function hookHeaders(event: CapturedEvent): Record<string, string> {
  const headers: Record<string, string> = {
    'x-hookd-event-id': event.event_id,
    'x-hookd-timestamp': String(event.timestamp),
  };
  if (event.context.project) headers['x-hookd-project'] = event.context.project;
  if (event.context.git_branch) headers['x-hookd-git-branch'] = event.context.git_branch;
  if (event.context.terminal) headers['x-hookd-terminal'] = event.context.terminal;
  if (event.context.tool_use_id) headers['x-hookd-tool-use-id'] = event.context.tool_use_id;
  if (event.user) headers['x-hookd-user'] = event.user;
  if (event.host) headers['x-hookd-host'] = event.host;
  if (event.team) headers['x-hookd-team'] = event.team;
  return headers;
}

/** The envelope the hook route builds from those same headers, for writing the database directly. */
export function envelopeOf(event: CapturedEvent): HookEnvelope {
  const context = Object.keys(event.context).length > 0 ? event.context : undefined;
  return {
    source: event.source,
    eventId: event.event_id,
    timestamp: event.timestamp,
    teamId: event.team ?? null,
    user: event.user,
    host: event.host,
    context,
  };
}

/** A spool line back into an event; null when the line is torn or not one of ours. */
export function parseCaptured(line: string): CapturedEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Partial<CapturedEvent>;
  const ok =
    typeof e.source === 'string' &&
    typeof e.event_id === 'string' &&
    typeof e.timestamp === 'number' &&
    typeof e.context === 'object' &&
    e.context !== null &&
    typeof e.payload === 'object' &&
    e.payload !== null &&
    !Array.isArray(e.payload);
  return ok ? (e as CapturedEvent) : null;
}
