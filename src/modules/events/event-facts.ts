/**
 * What an event says about its agent session and tool calls, read once on the main thread
 * from the parsed payload, so the store derives sessions and tool uses without parsing the
 * stored JSON again. Works for any producer: a canonical event posted to /events with
 * event_type `tool_execution_completed` and `data.tool_use_id` is derived like a hook.
 */
export type FactKind =
  | 'session_start'
  | 'prompt'
  | 'tool_start'
  | 'tool_end'
  | 'tool_fail'
  | 'permission'
  | 'permission_denied'
  | 'notification'
  | 'subagent_start'
  | 'subagent_stop'
  | 'stop'
  | 'stop_failure'
  | 'compact'
  | 'session_end'
  | 'session_update'
  | 'activity'
  | 'idle'
  | 'usage'
  | 'other';

export interface EventFacts {
  kind: FactKind;
  cwd: string | null;
  /** The git root's folder name, else cwd's; set by emit (`_hookd.project`) or from cwd. */
  project: string | null;
  gitBranch: string | null;
  terminal: string | null;
  model: string | null;
  permissionMode: string | null;
  toolUseId: string | null;
  toolName: string | null;
  /** The subagent a tool call ran inside, when it did. */
  agentId: string | null;
  agentType: string | null;
  /** For Task calls: the type of subagent the call starts. */
  subagentType: string | null;
  /** A short, human-readable gist of the tool input: the command, the file, the pattern. */
  inputSummary: string | null;
  error: string | null;
  interrupted: boolean | null;
  durationMs: number | null;
  /** session_end: why it ended; notification: its type. */
  reason: string | null;
  /** Some content field was cut to the capture size limit. */
  truncated: boolean;
  /** The prompt (Claude Code `prompt_id`) or turn (Codex `turn_id`) the event belongs to. */
  promptId: string | null;
  /** What a finished Agent/Task call says of the subagent it ran: tokens, model, time. */
  agentRun: AgentRun | null;
  /** A usage event's tokens and cost (the agents' telemetry, or a transcript read by emit). */
  usage: UsageFacts | null;
  /** The event's `task_id` (a CI/CD task: src/modules/tasks), which the session and its calls take on. */
  taskId: string | null;
}

/**
 * Tokens one model request used (origin `telemetry` or `transcript`), or a window of an
 * agent's token and cost metrics (`telemetry_metric`).
 */
export interface UsageFacts {
  origin: string;
  /** The request id (the same in telemetry and transcripts), else null: the event's own id stands in. */
  requestId: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** Cost as the agent reported it, in US dollars; null: price it from the tokens. */
  costUsd: number | null;
}

export interface AgentRun {
  totalTokens: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheCreationTokens: number | null;
  model: string | null;
  /** The subagent's id, when the result names it. */
  agentId: string | null;
}

/** Every field of EventFacts in one fixed order, for the places that pass facts as a flat list. */
export const FACT_KEYS = [
  'kind',
  'cwd',
  'project',
  'gitBranch',
  'terminal',
  'model',
  'permissionMode',
  'toolUseId',
  'toolName',
  'agentId',
  'agentType',
  'subagentType',
  'inputSummary',
  'error',
  'interrupted',
  'durationMs',
  'reason',
  'truncated',
  'promptId',
  'agentRun',
  'usage',
  'taskId',
] as const satisfies readonly (keyof EventFacts)[];

const KINDS: Record<string, FactKind> = {
  session_started: 'session_start',
  prompt_submitted: 'prompt',
  tool_execution_started: 'tool_start',
  tool_execution_completed: 'tool_end',
  tool_execution_failed: 'tool_fail',
  permission_requested: 'permission',
  permission_denied: 'permission_denied',
  notification: 'notification',
  subagent_started: 'subagent_start',
  subagent_stopped: 'subagent_stop',
  agent_stopped: 'stop',
  agent_turn_completed: 'stop',
  agent_stop_failed: 'stop_failure',
  context_compacted: 'compact',
  session_ended: 'session_end',
  // Explicit session operations (POST/PUT /sessions...): stored as events like any other,
  // so a rebuild from the events reproduces what they did.
  session_updated: 'session_update',
  session_activity: 'activity',
  session_idle: 'idle',
  // Tokens and cost: the agents' own telemetry (src/modules/telemetry) or a transcript.
  usage_reported: 'usage',
  usage_metric_reported: 'usage',
};

const SUMMARY_MAX = 200;
// Which tool_input field best says what a call did, per tool; the first present wins.
const SUMMARY_FIELDS = ['command', 'file_path', 'notebook_path', 'pattern', 'url', 'query', 'description', 'prompt', 'path'];

const str = (value: unknown, max = 1000): string | null =>
  typeof value === 'string' && value.length > 0 ? (value.length > max ? value.slice(0, max) : value) : null;

export function factKindOf(eventType: string): FactKind {
  return KINDS[eventType] ?? 'other';
}

/** Facts of one event; `data` is the parsed payload as it will be stored. */
export function factsOf(eventType: string, data: Record<string, unknown>, taskId: string | null = null): EventFacts {
  // `session_idle` with `idle: false` says the session is busy again: the same as activity.
  const typed = factKindOf(eventType);
  const kind = typed === 'idle' && data.idle === false ? 'activity' : typed;
  const context = isObject(data._hookd) ? data._hookd : undefined;
  const cwd = str(data.cwd);
  const input = isObject(data.tool_input) ? data.tool_input : undefined;
  const tool =
    kind === 'tool_start' || kind === 'tool_end' || kind === 'tool_fail' || kind === 'permission' || kind === 'permission_denied';
  const toolName = tool ? str(data.tool_name, 255) : null;
  return {
    kind,
    cwd,
    project: str(context?.project, 255) ?? projectOf(cwd),
    gitBranch: str(context?.git_branch, 255),
    terminal: str(context?.terminal, 255),
    model:
      kind === 'session_start' || kind === 'session_update'
        ? str(data.model, 255)
        : // Gemini CLI names the model in each BeforeModel/AfterModel request.
          isObject(data.llm_request)
          ? str(data.llm_request.model, 255)
          : null,
    permissionMode: str(data.permission_mode, 100),
    // Gemini CLI gives its tool calls no id: `hookd emit` pairs them and says so in _hookd.
    toolUseId: tool ? (str(data.tool_use_id, 255) ?? str(context?.tool_use_id, 255)) : null,
    toolName,
    agentId: str(data.agent_id, 255),
    agentType: str(data.agent_type, 255),
    subagentType: tool && input ? str(input.subagent_type, 255) : null,
    inputSummary: tool && input ? summaryOf(input) : null,
    error: errorOf(kind, data),
    interrupted: typeof data.is_interrupt === 'boolean' ? data.is_interrupt : null,
    durationMs: durationOf(data.duration_ms),
    reason: reasonOf(kind, data),
    truncated: Array.isArray(context?.truncated) && context.truncated.length > 0,
    promptId: str(data.prompt_id, 255) ?? str(data.turn_id, 255) ?? str(data['turn-id'], 255),
    agentRun: kind === 'tool_end' ? agentRunOf(data.tool_response) : null,
    usage: kind === 'usage' ? usageOf(data) : null,
    taskId,
  };
}

/** Token counts may arrive as numbers or decimal strings (Codex sends some as strings). */
const tokens = (value: unknown): number => {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return count(n) ?? 0;
};

function usageOf(data: Record<string, unknown>): UsageFacts {
  const cost = typeof data.cost_usd === 'number' && Number.isFinite(data.cost_usd) && data.cost_usd >= 0 ? data.cost_usd : null;
  return {
    origin: str(data.origin, 50) ?? 'telemetry',
    requestId: str(data.request_id, 255),
    model: str(data.model, 255),
    inputTokens: tokens(data.input_tokens),
    outputTokens: tokens(data.output_tokens),
    cacheReadTokens: tokens(data.cache_read_tokens),
    cacheCreationTokens: tokens(data.cache_creation_tokens),
    costUsd: cost,
  };
}

function errorOf(kind: FactKind, data: Record<string, unknown>): string | null {
  switch (kind) {
    case 'tool_fail':
      return str(data.error, 4000) ?? errorText(data.error) ?? responseError(data.tool_response);
    case 'permission_denied':
      return `permission denied${typeof data.reason === 'string' && data.reason ? `: ${data.reason.slice(0, 3900)}` : ''}`;
    case 'stop_failure': {
      const details = isObject(data.error_details) ? data.error_details : undefined;
      return str(details?.message, 4000) ?? errorText(data.error_details) ?? str(data.error, 4000);
    }
    default:
      return null;
  }
}

function reasonOf(kind: FactKind, data: Record<string, unknown>): string | null {
  switch (kind) {
    case 'session_end':
      return str(data.reason, 100) ?? str(data.trigger, 100);
    case 'notification':
      return str(data.notification_type, 100);
    case 'stop_failure':
      // The error kind: rate_limit, overloaded, ...
      return str(data.error, 100) ?? (isObject(data.error) ? str(data.error.type, 100) : null) ?? 'unknown';
    default:
      return null;
  }
}

/** Codex: a command's exit code and stderr; Gemini CLI: `tool_response.error`. */
function responseError(response: unknown): string | null {
  if (!isObject(response)) return null;
  const error = str(response.error, 4000) ?? (isObject(response.error) ? errorText(response.error) : null);
  if (error) return error;
  const code = response.exit_code ?? response.exitCode;
  if (typeof code !== 'number') return null;
  const stderr = str(response.stderr, 4000)?.trim();
  return stderr ? `exit code ${code}: ${stderr}` : `exit code ${code}`;
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 2 ** 53 ? Math.round(value) : null;

/** Claude Code's Agent (formerly Task) tool result: `totalTokens`, `usage`, `resolvedModel`. */
function agentRunOf(response: unknown): AgentRun | null {
  if (!isObject(response)) return null;
  const usage = isObject(response.usage) ? response.usage : undefined;
  const run: AgentRun = {
    totalTokens: count(response.totalTokens),
    inputTokens: count(usage?.input_tokens),
    outputTokens: count(usage?.output_tokens),
    cacheReadTokens: count(usage?.cache_read_input_tokens),
    cacheCreationTokens: count(usage?.cache_creation_input_tokens),
    model: str(response.resolvedModel, 255) ?? str(response.model, 255),
    agentId: str(response.agentId, 255) ?? str(response.agent_id, 255),
  };
  if (run.totalTokens === null && usage === undefined && run.model === null) return null;
  run.totalTokens ??=
    usage === undefined
      ? null
      : (run.inputTokens ?? 0) + (run.outputTokens ?? 0) + (run.cacheReadTokens ?? 0) + (run.cacheCreationTokens ?? 0);
  return run;
}

/** The last path segment of cwd: the project's name when nothing better is known. */
export function projectOf(cwd: string | null): string | null {
  if (!cwd) return null;
  const trimmed = cwd.replace(/[\\/]+$/, '');
  const name = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  return name ? name.slice(0, 255) : null;
}

function summaryOf(input: Record<string, unknown>): string | null {
  for (const field of SUMMARY_FIELDS) {
    const value = input[field];
    if (typeof value === 'string' && value.length > 0) {
      const line = value.replace(/\s+/g, ' ').trim();
      return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1)}…` : line;
    }
  }
  return null;
}

function durationOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 2 ** 31 ? Math.round(value) : null;
}

function errorText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.slice(0, 4000);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
