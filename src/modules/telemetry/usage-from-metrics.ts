import { type Attributes, attributesOf, numberOf, type Plain, textOf } from './otlp-attributes.ts';
import { doubleAt, enumAt, int64At, messageAt, messagesAt, millisOf, nanosAt, refuse, stringAt } from './otlp-fields.ts';
import { sameValue, stableId } from './stable-id.ts';
import { sourceOf, type TelemetryBatch, type TelemetryContext } from './telemetry-batch.ts';

const TOKENS = 'claude_code.token.usage';
const COST = 'claude_code.cost.usage';
/** claude_code.token.usage's `type` attribute -> the event's field. */
const TOKEN_FIELDS: Record<string, TokenField> = {
  input: 'input_tokens',
  output: 'output_tokens',
  cacheRead: 'cache_read_tokens',
  cacheCreation: 'cache_creation_tokens',
};
type TokenField = 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_creation_tokens';
const TEMPORALITIES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const TEMPORALITY_NAMES: Record<number, string> = { 1: 'delta', 2: 'cumulative' };
// DataPointFlags: the point is a marker of missing data, without a value.
const NO_RECORDED_VALUE = 1;

/** The data points of one session, model and time window. */
interface Window {
  field: string;
  sessionId: Plain;
  source: string;
  model: string | null;
  start?: bigint | undefined;
  end: bigint;
  temporality: string;
  metrics: Set<string>;
  points: number;
  values: Record<TokenField | 'cost_usd', number | null>;
  /** Every attribute's distinct values, in the order first seen. */
  attributes: Map<string, Plain[]>;
}

/**
 * The canonical events of an ExportMetricsServiceRequest (in its JSON shape): Claude
 * Code's `claude_code.token.usage` and `claude_code.cost.usage` sums become one
 * `usage_metric_reported` per session, model and time window, the token types and the
 * cost of that window together. Points of the same window and kind add up (one per
 * `query_source`, say); a cumulative point keeps its value and its start time. Points
 * without `session.id`, other metrics and other kinds (gauges, histograms) are accepted
 * and not stored.
 */
export function usageFromMetrics(body: unknown, context: TelemetryContext): TelemetryBatch {
  const request = messageAt(body, '(body)') ?? refuse('(body)', 'must be an object (got null)');
  if (request.resourceMetrics === undefined && request.resourceLogs !== undefined) {
    refuse('resourceLogs', 'this is a logs export: send it to /v1/logs');
  }
  const batch: TelemetryBatch = { events: [], rejected: 0, problems: [] };
  const windows = new Map<string, Window>();
  for (const [resourceMetrics, rPath] of messagesAt(request.resourceMetrics, 'resourceMetrics')) {
    const resource = attributesOf(messageAt(resourceMetrics.resource, `${rPath}.resource`)?.attributes, `${rPath}.resource.attributes`);
    for (const [scopeMetrics, sPath] of messagesAt(resourceMetrics.scopeMetrics, `${rPath}.scopeMetrics`)) {
      for (const [metric, mPath] of messagesAt(scopeMetrics.metrics, `${sPath}.metrics`)) {
        const name = stringAt(metric.name, `${mPath}.name`);
        if (name !== TOKENS && name !== COST) continue;
        const sum = messageAt(metric.sum, `${mPath}.sum`);
        if (!sum) continue;
        const temporality = enumAt(sum.aggregationTemporality, `${mPath}.sum.aggregationTemporality`, TEMPORALITIES);
        for (const [point, path] of messagesAt(sum.dataPoints, `${mPath}.sum.dataPoints`)) {
          const attributes: Attributes = { ...resource, ...attributesOf(point.attributes, `${path}.attributes`) };
          const sessionId = attributes['session.id'];
          if (sessionId === undefined || sessionId === null || sessionId === '') continue;
          const flags = int64At(point.flags, `${path}.flags`);
          if (typeof flags === 'number' && (flags & NO_RECORDED_VALUE) !== 0) continue;
          const value = numberOf(int64At(point.asInt, `${path}.asInt`) ?? doubleAt(point.asDouble, `${path}.asDouble`) ?? null);
          const end = nanosAt(point.timeUnixNano, `${path}.timeUnixNano`);
          const problem =
            value === null
              ? `${path}: has no finite value (asInt or asDouble)`
              : end === undefined
                ? `${path}.timeUnixNano: is required`
                : null;
          if (problem) {
            batch.rejected++;
            batch.problems.push(problem);
            continue;
          }
          const start = nanosAt(point.startTimeUnixNano, `${path}.startTimeUnixNano`);
          const model = textOf(attributes.model);
          const key = JSON.stringify([sessionId, model, start?.toString() ?? null, end!.toString()]);
          let window = windows.get(key);
          if (!window) {
            window = {
              field: path,
              sessionId,
              source: sourceOf(resource),
              model,
              start,
              end: end!,
              temporality: TEMPORALITY_NAMES[temporality] ?? 'unspecified',
              metrics: new Set(),
              points: 0,
              values: { input_tokens: null, output_tokens: null, cache_read_tokens: null, cache_creation_tokens: null, cost_usd: null },
              attributes: new Map(),
            };
            windows.set(key, window);
          }
          window.metrics.add(name);
          window.points++;
          const field = name === COST ? 'cost_usd' : TOKEN_FIELDS[textOf(attributes.type) ?? ''];
          if (field) window.values[field] = (window.values[field] ?? 0) + value!;
          addAttributes(window, name === TOKENS ? withoutType(attributes) : attributes);
        }
      }
    }
  }
  for (const window of windows.values())
    batch.events.push({ field: window.field, event: eventOf(window, context), records: window.points });
  return batch;
}

function eventOf(w: Window, context: TelemetryContext): Record<string, unknown> {
  const metrics = [...w.metrics].sort();
  const event: Record<string, unknown> = {
    event_type: 'usage_metric_reported',
    session_id: w.sessionId,
    source: w.source,
    event_id: stableId('otelm:', [w.sessionId, w.model, w.start?.toString() ?? null, w.end.toString(), metrics]),
    timestamp: millisOf(w.end),
    data: {
      origin: 'telemetry_metric',
      model: w.model,
      ...w.values,
      start_time: w.start === undefined ? null : isoOf(w.start),
      end_time: isoOf(w.end),
      temporality: w.temporality,
      attributes: Object.fromEntries([...w.attributes].map(([key, values]) => [key, values.length === 1 ? values[0]! : values])),
    },
  };
  if (context.teamId) event.team_id = context.teamId;
  return event;
}

/** An attribute whose points disagree (`query_source`: main and subagent) keeps each value, as a list. */
function addAttributes(window: Window, attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) {
    const seen = window.attributes.get(key);
    if (!seen) window.attributes.set(key, [value]);
    else if (!seen.some((v) => sameValue(v, value))) seen.push(value);
  }
}

function withoutType(attributes: Attributes): Attributes {
  const { type: _type, ...rest } = attributes;
  return rest;
}

/** A time in nanoseconds as ISO-8601 (to the millisecond), or null past what a Date holds. */
function isoOf(nanos: bigint): string | null {
  const date = new Date(millisOf(nanos));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
