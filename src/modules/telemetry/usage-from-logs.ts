import { type Attributes, attributesOf, numberOf, type Plain, plainValueOf, textOf } from './otlp-attributes.ts';
import { messageAt, messagesAt, millisOf, nanosAt, refuse, stringAt } from './otlp-fields.ts';
import { stableId } from './stable-id.ts';
import { sourceOf, type TelemetryBatch, type TelemetryContext, type TelemetryEvent } from './telemetry-batch.ts';

const CLAUDE_PREFIX = 'claude_code.';
const CODEX_PREFIX = 'codex.';
// Claude Code events kept (when they name a session) beside the usage ones.
const KEPT_CLAUDE_EVENTS = new Set(['user_prompt', 'tool_result', 'api_error']);
// A request id longer than this would not fit an event id (255) with its prefix.
const MAX_REQUEST_ID = 240;

/**
 * The canonical events of an ExportLogsServiceRequest (in its JSON shape):
 * - Claude Code's `api_request` and Codex's `codex.sse_event` of kind `response.completed`
 *   become `usage_reported`, one per record;
 * - Claude Code's `user_prompt`, `tool_result` and `api_error` become `telemetry_<name>`;
 * - every other record is accepted and not stored.
 * A record that cannot be stored (a usage record without its session id) is counted in
 * `rejected`; a body that is not an export is a 400 naming the field.
 */
export function usageFromLogs(body: unknown, context: TelemetryContext): TelemetryBatch {
  const request = messageAt(body, '(body)') ?? refuse('(body)', 'must be an object (got null)');
  if (request.resourceLogs === undefined && request.resourceMetrics !== undefined) {
    refuse('resourceMetrics', 'this is a metrics export: send it to /v1/metrics');
  }
  const batch: TelemetryBatch = { events: [], rejected: 0, problems: [] };
  for (const [resourceLogs, rPath] of messagesAt(request.resourceLogs, 'resourceLogs')) {
    const resource = attributesOf(messageAt(resourceLogs.resource, `${rPath}.resource`)?.attributes, `${rPath}.resource.attributes`);
    const source = sourceOf(resource);
    for (const [scopeLogs, sPath] of messagesAt(resourceLogs.scopeLogs, `${rPath}.scopeLogs`)) {
      for (const [record, path] of messagesAt(scopeLogs.logRecords, `${sPath}.logRecords`)) {
        const event = eventOf(record, path, resource, source, context);
        if (event === null) continue;
        if (typeof event === 'string') {
          batch.rejected++;
          batch.problems.push(event);
        } else batch.events.push(event);
      }
    }
  }
  return batch;
}

/** The record's event, null when it is not stored, or why it cannot be. */
function eventOf(
  record: Record<string, unknown>,
  path: string,
  resource: Attributes,
  source: string,
  context: TelemetryContext,
): TelemetryEvent | string | null {
  const own = attributesOf(record.attributes, `${path}.attributes`);
  const attributes: Attributes = { ...resource, ...own };
  const body = plainValueOf(record.body, `${path}.body`);
  // Claude Code puts its short name in the `event.name` attribute and the full one in the
  // body; newer SDKs may fill the LogRecord's own event_name.
  const name =
    stringAt(record.eventName, `${path}.eventName`) || textOf(attributes['event.name']) || (typeof body === 'string' ? body : '');
  const nanos =
    nanosAt(record.timeUnixNano, `${path}.timeUnixNano`) ?? nanosAt(record.observedTimeUnixNano, `${path}.observedTimeUnixNano`);

  let eventType: string;
  let sessionKey: string;
  let data: Record<string, unknown>;
  if (name.startsWith(CODEX_PREFIX)) {
    if (name !== 'codex.sse_event' || attributes['event.kind'] !== 'response.completed') return null;
    eventType = 'usage_reported';
    sessionKey = 'conversation.id';
    data = codexUsage(attributes);
  } else {
    const short = name.startsWith(CLAUDE_PREFIX) ? name.slice(CLAUDE_PREFIX.length) : name;
    if (short === 'api_request') {
      eventType = 'usage_reported';
      data = claudeUsage(attributes);
    } else if (KEPT_CLAUDE_EVENTS.has(short) && hasValue(attributes['session.id'])) {
      eventType = `telemetry_${short}`;
      data = { origin: 'telemetry', attributes };
    } else return null;
    sessionKey = 'session.id';
  }
  const sessionId = attributes[sessionKey];
  if (!hasValue(sessionId)) {
    return `${path}.attributes["${sessionKey}"]: is required: hookd stores usage by session`;
  }
  const requestId = typeof data.request_id === 'string' && data.request_id.length <= MAX_REQUEST_ID ? data.request_id : null;
  const eventId =
    eventType === 'usage_reported' && requestId
      ? `otel:${requestId}`
      : stableId('otel:', [sessionId, nanos?.toString() ?? null, name, attributes]);
  const event: Record<string, unknown> = { event_type: eventType, session_id: sessionId, source, event_id: eventId, data };
  if (nanos !== undefined) event.timestamp = millisOf(nanos);
  if (context.teamId) event.team_id = context.teamId;
  return { field: path, event, records: 1 };
}

const hasValue = (value: Plain | undefined): value is Plain => value !== undefined && value !== null && value !== '';

function claudeUsage(a: Attributes): Record<string, unknown> {
  const micros = numberOf(a.cost_usd_micros);
  return {
    origin: 'telemetry',
    request_id: textOf(a.request_id),
    prompt_id: textOf(a['prompt.id']),
    model: textOf(a.model),
    input_tokens: numberOf(a.input_tokens),
    output_tokens: numberOf(a.output_tokens),
    cache_read_tokens: numberOf(a.cache_read_tokens),
    cache_creation_tokens: numberOf(a.cache_creation_tokens),
    reasoning_tokens: null,
    cost_usd: numberOf(a.cost_usd) ?? (micros === null ? null : micros / 1e6),
    duration_ms: numberOf(a.duration_ms),
    query_source: textOf(a.query_source),
    agent_name: textOf(a['agent.name']),
    attributes: a,
  };
}

/**
 * Codex reports the Responses API's usage: input counts the cached tokens and output the
 * reasoning ones. Stored input is the uncached part, so the four counts add up without
 * overlap as Claude Code's do; output stays whole (reasoning is billed as output), and
 * reasoning_tokens tells how much of it was reasoning.
 */
function codexUsage(a: Attributes): Record<string, unknown> {
  const input = numberOf(a.input_token_count);
  const cached = numberOf(a.cached_token_count) ?? 0;
  return {
    origin: 'telemetry',
    request_id: null,
    prompt_id: null,
    model: textOf(a.model),
    input_tokens: input === null ? null : Math.max(0, input - cached),
    output_tokens: numberOf(a.output_token_count),
    cache_read_tokens: cached,
    cache_creation_tokens: 0,
    reasoning_tokens: numberOf(a.reasoning_token_count),
    cost_usd: null,
    duration_ms: numberOf(a.duration_ms),
    query_source: null,
    agent_name: null,
    attributes: a,
  };
}
