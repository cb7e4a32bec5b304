import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../core/app-error.ts';
import { usageFromMetrics } from './usage-from-metrics.ts';

const fixture = () => JSON.parse(readFileSync(new URL('../../../test/fixtures/otel/claude-code-metrics.json', import.meta.url), 'utf8'));
const none = { teamId: null };
const START = '1796205600000000000';
const END = '1796205660000000000';

interface Point {
  value: number;
  attributes: Record<string, string>;
  start?: string;
  end?: string;
}

/** An export of token and cost sums with these points. */
function exportOf(tokens: Point[], cost: Point[] = [], temporality = 1) {
  const sum = (points: Point[]) => ({
    aggregationTemporality: temporality,
    isMonotonic: true,
    dataPoints: points.map((p) => ({
      startTimeUnixNano: p.start ?? START,
      timeUnixNano: p.end ?? END,
      asDouble: p.value,
      attributes: Object.entries(p.attributes).map(([key, v]) => ({ key, value: { stringValue: v } })),
    })),
  });
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeMetrics: [
          {
            metrics: [
              { name: 'claude_code.token.usage', sum: sum(tokens) },
              { name: 'claude_code.cost.usage', sum: sum(cost) },
            ],
          },
        ],
      },
    ],
  };
}
const point = (value: number, attributes: Record<string, string>, times: Partial<Point> = {}): Point => ({ value, attributes, ...times });
const data = (event: Record<string, unknown>) => event.data as Record<string, unknown>;

describe('usageFromMetrics', () => {
  it("groups a window's token types and cost into one event per session and model; points without a session are not stored", () => {
    const batch = usageFromMetrics(fixture(), { teamId: 'team-m' });
    expect(batch.rejected).toBe(0);
    expect(batch.events).toHaveLength(1);
    const { event, records } = batch.events[0]!;
    expect(records).toBe(5);
    expect(event).toMatchObject({
      event_type: 'usage_metric_reported',
      session_id: 'otel-cc-session-1',
      source: 'claude-code',
      team_id: 'team-m',
      timestamp: Date.parse('2026-12-02T10:01:00.000Z'),
    });
    expect(event.event_id).toMatch(/^otelm:[0-9a-f]{32}$/);
    expect(data(event)).toEqual({
      origin: 'telemetry_metric',
      model: 'claude-sonnet-4-5-20250929',
      input_tokens: 1200,
      output_tokens: 350,
      cache_read_tokens: 15000,
      cache_creation_tokens: 800,
      cost_usd: 0.0123,
      start_time: '2026-12-02T10:00:00.000Z',
      end_time: '2026-12-02T10:01:00.000Z',
      temporality: 'delta',
      attributes: {
        'service.name': 'claude-code',
        'service.version': '2.1.220',
        'session.id': 'otel-cc-session-1',
        'user.account_uuid': '9a8b7c6d',
        model: 'claude-sonnet-4-5-20250929',
        query_source: 'main',
      },
    });
  });

  it('adds up the points of one window (one per query_source) and keeps the attributes that differ as lists', () => {
    const s = { 'session.id': 's1', model: 'm1' };
    const batch = usageFromMetrics(
      exportOf(
        [point(100, { ...s, type: 'input', query_source: 'main' }), point(40, { ...s, type: 'input', query_source: 'subagent' })],
        [point(0.5, { ...s, query_source: 'main' }), point(0.25, { ...s, query_source: 'subagent' })],
      ),
      none,
    );
    expect(batch.events).toHaveLength(1);
    expect(data(batch.events[0]!.event)).toMatchObject({
      input_tokens: 140,
      output_tokens: null,
      cost_usd: 0.75,
      attributes: { query_source: ['main', 'subagent'] },
    });
  });

  it('makes one event per model and per window, each with a stable id', () => {
    const points = [
      point(1, { 'session.id': 's1', model: 'm1', type: 'input' }),
      point(2, { 'session.id': 's1', model: 'm2', type: 'input' }),
      point(3, { 'session.id': 's1', model: 'm1', type: 'input' }, { start: END, end: '1796205720000000000' }),
      point(4, { 'session.id': 's2', model: 'm1', type: 'input' }),
    ];
    const ids = usageFromMetrics(exportOf(points), none).events.map((e) => e.event.event_id);
    expect(new Set(ids).size).toBe(4);
    expect(usageFromMetrics(exportOf(points), none).events.map((e) => e.event.event_id)).toEqual(ids);
    // The token points alone are another event than tokens and cost together.
    const withCost = usageFromMetrics(exportOf(points.slice(0, 1), [point(0.1, { 'session.id': 's1', model: 'm1' })]), none);
    expect(withCost.events[0]!.event.event_id).not.toBe(ids[0]);
  });

  it('keeps a cumulative point as it is, with its start time', () => {
    const batch = usageFromMetrics(
      exportOf([point(500, { 'session.id': 's1', model: 'm1', type: 'output' }, { start: '1796200000000000000' })], [], 2),
      none,
    );
    expect(data(batch.events[0]!.event)).toMatchObject({
      output_tokens: 500,
      temporality: 'cumulative',
      start_time: new Date(1796200000000).toISOString(),
    });
  });

  it('rejects points without a time or a value, and skips those marked as having no recorded value', () => {
    const batch = usageFromMetrics(
      {
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'claude_code.token.usage',
                    sum: {
                      aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                      dataPoints: [
                        { asInt: '5', attributes: [{ key: 'session.id', value: { stringValue: 's1' } }] },
                        { timeUnixNano: END, attributes: [{ key: 'session.id', value: { stringValue: 's1' } }] },
                        { timeUnixNano: END, flags: 1, attributes: [{ key: 'session.id', value: { stringValue: 's1' } }] },
                        { timeUnixNano: END, asInt: 7, attributes: [{ key: 'session.id', value: { stringValue: 's1' } }] },
                      ],
                    },
                  },
                  { name: 'claude_code.active_time.total', gauge: { dataPoints: 'ignored' } },
                  { name: 'claude_code.token.usage', histogram: {} },
                ],
              },
            ],
          },
        ],
      },
      none,
    );
    expect(batch.rejected).toBe(2);
    expect(batch.problems).toEqual([
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].timeUnixNano: is required',
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[1]: has no finite value (asInt or asDouble)',
    ]);
    expect(batch.events).toHaveLength(1);
    // A point without `type` counts toward no token field, yet its window is stored.
    expect(data(batch.events[0]!.event)).toMatchObject({ input_tokens: null, temporality: 'delta', start_time: null });
  });

  it('refuses what is not a metrics export, naming the field', () => {
    const refused = (body: unknown) => {
      try {
        usageFromMetrics(body, none);
      } catch (error) {
        return (error as ValidationError).problems[0];
      }
      return null;
    };
    expect(refused({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 7 }] }] }] })).toEqual({
      field: 'resourceMetrics[0].scopeMetrics[0].metrics[0].name',
      message: 'must be a string (got number)',
    });
    expect(refused({ resourceLogs: [] })).toMatchObject({ field: 'resourceLogs' });
    expect(refused(exportOf([point(1, { 'session.id': 's1' })], [], 1.5))).toMatchObject({
      field: 'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality',
    });
  });
});
