import { eventTypeOf } from './agent-event-names.ts';

/**
 * Maps an agent's native hook payload onto the canonical wire event, which then goes
 * through the one ingest path like any other. The payload is kept whole as `data`; what
 * hookd adds (capture context read by `hookd emit`) goes under `data._hookd`.
 */
export interface HookEnvelope {
  /** The agent, from the route: `claude-code`, `codex`, `gemini-cli`, ... */
  source: string;
  /** From X-Hookd-Event-Id: emit assigns it so a spool replay is idempotent. */
  eventId?: string | undefined;
  /** From X-Hookd-Timestamp: when emit captured the event. */
  timestamp?: string | number | undefined;
  teamId?: string | null | undefined;
  user?: string | undefined;
  host?: string | undefined;
  /** Read by emit from .git/HEAD and the environment; absent for HTTP hooks. */
  context?: HookContext | undefined;
}

export interface HookContext {
  project?: string;
  git_branch?: string;
  terminal?: string;
  /** Gemini CLI's tool calls carry no id: emit pairs BeforeTool with AfterTool (tool-call-pairing.ts). */
  tool_use_id?: string;
}

// Where agents other than Claude Code put the session id and the event name (Codex's
// `notify` program gets kebab-case keys).
const SESSION_FIELDS = ['session_id', 'sessionId', 'conversation_id', 'thread_id', 'thread-id'];
const EVENT_FIELDS = ['hook_event_name', 'hookEventName', 'event', 'event_type', 'type'];

/**
 * The canonical wire event for a hook payload. Shape problems (no session id, a body that
 * is not an object) are left for the normalizer to report, so the error names the field.
 */
export function canonicalFromHook(payload: unknown, envelope: HookEnvelope): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { data: payload };
  const body = payload as Record<string, unknown>;
  const eventName = firstString(body, EVENT_FIELDS) ?? 'unknown';
  const context = envelope.context && Object.keys(envelope.context).length > 0 ? envelope.context : undefined;
  const event: Record<string, unknown> = {
    event_type: outcomeType(eventTypeOf(eventName, envelope.source), body),
    session_id: firstString(body, SESSION_FIELDS) ?? body.session_id,
    source: envelope.source,
    data: context ? { ...body, _hookd: { ...(isObject(body._hookd) ? body._hookd : {}), ...context } } : body,
  };
  if (envelope.eventId !== undefined) event.event_id = envelope.eventId;
  // Gemini CLI dates its payloads; emit's capture time, when there is one, wins.
  if (envelope.timestamp !== undefined) event.timestamp = envelope.timestamp;
  else if (typeof body.timestamp === 'string' && body.timestamp !== '') event.timestamp = body.timestamp;
  if (envelope.teamId) event.team_id = envelope.teamId;
  if (envelope.user) event.user = envelope.user;
  if (envelope.host) event.host = envelope.host;
  return event;
}

/**
 * A finished tool call whose result says it failed is stored as failed. Claude Code sends
 * PostToolUseFailure itself; Codex reports a command's non-zero `exit_code` and Gemini CLI an
 * `error` inside a PostToolUse/AfterTool `tool_response`.
 */
function outcomeType(eventType: string, body: Record<string, unknown>): string {
  if (eventType !== 'tool_execution_completed' || !isObject(body.tool_response)) return eventType;
  const response = body.tool_response;
  const exitCode = response.exit_code ?? response.exitCode;
  const failed =
    (typeof exitCode === 'number' && exitCode !== 0) ||
    (typeof response.error === 'string' && response.error !== '') ||
    isObject(response.error);
  return failed ? 'tool_execution_failed' : eventType;
}

function firstString(body: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
