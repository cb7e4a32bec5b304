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
}

// Claude Code's hook names; other agents that use the same names map the same way.
const EVENT_TYPES: Record<string, string> = {
  SessionStart: 'session_started',
  UserPromptSubmit: 'prompt_submitted',
  PreToolUse: 'tool_execution_started',
  PostToolUse: 'tool_execution_completed',
  PostToolUseFailure: 'tool_execution_failed',
  PermissionRequest: 'permission_requested',
  Notification: 'notification',
  SubagentStart: 'subagent_started',
  SubagentStop: 'subagent_stopped',
  Stop: 'agent_stopped',
  PreCompact: 'context_compacted',
  SessionEnd: 'session_ended',
  // Gemini CLI's names for the same moments.
  BeforeTool: 'tool_execution_started',
  AfterTool: 'tool_execution_completed',
};

// Where agents other than Claude Code put the session id and the event name.
const SESSION_FIELDS = ['session_id', 'sessionId', 'conversation_id', 'thread_id'];
const EVENT_FIELDS = ['hook_event_name', 'hookEventName', 'event', 'event_type', 'type'];

/** `PostToolUseFailure` -> `post_tool_use_failure`; keeps unknown names readable. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function eventTypeOf(hookEventName: string): string {
  return EVENT_TYPES[hookEventName] ?? (snakeCase(hookEventName) || 'unknown');
}

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
    event_type: eventTypeOf(eventName),
    session_id: firstString(body, SESSION_FIELDS) ?? body.session_id,
    source: envelope.source,
    data: context ? { ...body, _hookd: { ...(isObject(body._hookd) ? body._hookd : {}), ...context } } : body,
  };
  if (envelope.eventId !== undefined) event.event_id = envelope.eventId;
  if (envelope.timestamp !== undefined) event.timestamp = envelope.timestamp;
  if (envelope.teamId) event.team_id = envelope.teamId;
  if (envelope.user) event.user = envelope.user;
  if (envelope.host) event.host = envelope.host;
  return event;
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
