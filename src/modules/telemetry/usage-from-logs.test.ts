import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/app-error.ts';
import { usageFromLogs } from './usage-from-logs.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/otel/${name}`, import.meta.url), 'utf8'));
const none = { teamId: null };

/** One log record in an export of one resource. */
const exportOf = (record: Record<string, unknown>, service = 'claude-code') => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeLogs: [{ logRecords: [record] }],
    },
  ],
});
const attrs = (values: Record<string, unknown>) =>
  Object.entries(values).map(([key, v]) => ({
    key,
    value: typeof v === 'number' ? { intValue: String(v) } : typeof v === 'boolean' ? { boolValue: v } : { stringValue: v },
  }));

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems[0];
  }
  throw new Error('not refused');
};

describe('usageFromLogs', () => {
  it("maps Claude Code's api_request records to usage_reported and keeps user_prompt; other events are not stored", () => {
    const batch = usageFromLogs(fixture('claude-code-logs.json'), none);
    expect(batch.rejected).toBe(0);
    expect(batch.events.map((e) => e.event.event_type)).toEqual(['telemetry_user_prompt', 'usage_reported', 'usage_reported']);
    const [prompt, first, second] = batch.events.map((e) => e.event);
    expect(first).toEqual({
      event_type: 'usage_reported',
      session_id: 'otel-cc-session-1',
      source: 'claude-code',
      event_id: 'otel:req_011CVcc0001',
      timestamp: Date.parse('2026-12-02T10:00:04.500Z'),
      data: expect.objectContaining({
        origin: 'telemetry',
        request_id: 'req_011CVcc0001',
        prompt_id: '7c1f0b2e-5d44-4a8e-9d0b-4f1b6a2c9e01',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: 1200,
        output_tokens: 350,
        cache_read_tokens: 15000,
        cache_creation_tokens: 800,
        reasoning_tokens: null,
        cost_usd: 0.0123,
        duration_ms: 4210,
        query_source: 'repl_main_thread',
        agent_name: 'main',
      }),
    });
    // Attributes of the record and its resource, as plain values.
    expect((first!.data as { attributes: unknown }).attributes).toMatchObject({
      'service.name': 'claude-code',
      'session.id': 'otel-cc-session-1',
      'event.sequence': 2,
      speed: 'normal',
    });
    // cost_usd_micros when cost_usd is absent.
    expect(second!.data).toMatchObject({ prompt_id: '0d9e8f7a-1b2c-4d3e-8f40-5a6b7c8d9e02', cost_usd: 0.00245, duration_ms: 980 });
    expect(prompt).toMatchObject({ session_id: 'otel-cc-session-1', data: { origin: 'telemetry', attributes: { prompt_length: 42 } } });
    expect(prompt!.event_id).toMatch(/^otel:[0-9a-f]{32}$/);
  });

  it("maps Codex's completed response, uncached input apart from the cached, output with its reasoning", () => {
    const batch = usageFromLogs(fixture('codex-logs.json'), { teamId: 'team-x' });
    expect(batch.events).toHaveLength(1);
    const event = batch.events[0]!.event;
    expect(event).toMatchObject({
      event_type: 'usage_reported',
      session_id: 'otel-codex-conv-1',
      source: 'codex',
      team_id: 'team-x',
      timestamp: Date.parse('2026-12-02T10:01:52.000Z'),
      data: {
        origin: 'telemetry',
        request_id: null,
        model: 'gpt-5-codex',
        input_tokens: 3000,
        cache_read_tokens: 6000,
        output_tokens: 1500,
        reasoning_tokens: 1024,
        cache_creation_tokens: 0,
        cost_usd: null,
        duration_ms: 5120,
      },
    });
    expect(event.event_id).toMatch(/^otel:[0-9a-f]{32}$/);
  });

  it('reads the name from eventName, the event.name attribute or the body, with or without the prefix', () => {
    const base = { timeUnixNano: '1796205604500000000', attributes: attrs({ 'session.id': 's1', request_id: 'r1', input_tokens: 5 }) };
    for (const record of [
      { ...base, eventName: 'claude_code.api_request' },
      { ...base, body: { stringValue: 'claude_code.api_request' } },
      { ...base, attributes: [...base.attributes, ...attrs({ 'event.name': 'api_request' })] },
      { ...base, eventName: 'api_request' },
    ]) {
      expect(usageFromLogs(exportOf(record), none).events.map((e) => e.event.event_id)).toEqual(['otel:r1']);
    }
    expect(usageFromLogs(exportOf({ ...base, body: { stringValue: 'something happened' } }), none).events).toEqual([]);
  });

  it('gives the same id to the same record, and another to another', () => {
    const record = (sequence: number) => ({
      timeUnixNano: '1796205604500000000',
      attributes: attrs({ 'event.name': 'tool_result', 'session.id': 's1', 'event.sequence': sequence, tool_name: 'Bash' }),
    });
    const id = (r: Record<string, unknown>) => usageFromLogs(exportOf(r), none).events[0]!.event.event_id;
    expect(id(record(1))).toBe(id(record(1)));
    // Attribute order does not matter.
    expect(id({ ...record(1), attributes: [...record(1).attributes].reverse() })).toBe(id(record(1)));
    expect(id(record(2))).not.toBe(id(record(1)));
  });

  it('falls back to the observed time, then to none (the time received)', () => {
    const attributes = attrs({ 'event.name': 'api_request', 'session.id': 's1' });
    const at = (r: Record<string, unknown>) => usageFromLogs(exportOf(r), none).events[0]!.event.timestamp;
    expect(at({ timeUnixNano: '0', observedTimeUnixNano: '1796205604500000000', attributes })).toBe(1796205604500);
    expect(at({ attributes })).toBeUndefined();
  });

  it('rejects a usage record without its session id; other events without one are just not stored', () => {
    const batch = usageFromLogs(
      {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { attributes: attrs({ 'event.name': 'api_request', request_id: 'r1' }) },
                  { attributes: attrs({ 'event.name': 'user_prompt' }) },
                  { attributes: attrs({ 'event.name': 'codex.sse_event', 'event.kind': 'response.completed' }) },
                  { attributes: attrs({ 'event.name': 'codex.sse_event', 'event.kind': 'response.output_item.done' }) },
                ],
              },
            ],
          },
        ],
      },
      none,
    );
    expect(batch.events).toEqual([]);
    expect(batch.rejected).toBe(2);
    expect(batch.problems).toEqual([
      'resourceLogs[0].scopeLogs[0].logRecords[0].attributes["session.id"]: is required: hookd stores usage by session',
      'resourceLogs[0].scopeLogs[0].logRecords[2].attributes["conversation.id"]: is required: hookd stores usage by session',
    ]);
  });

  it('takes the source from service.name', () => {
    const record = { attributes: attrs({ 'event.name': 'api_request', 'session.id': 's1' }) };
    const source = (service: string) => usageFromLogs(exportOf(record, service), none).events[0]!.event.source;
    expect(source('claude-code-desktop')).toBe('claude-code');
    expect(source('codex-cli')).toBe('codex');
    expect(source('my-agent')).toBe('otel');
  });

  it('flattens every kind of attribute value', () => {
    const record = {
      attributes: [
        ...attrs({ 'event.name': 'api_request', 'session.id': 's1' }),
        { key: 'flag', value: { boolValue: false } },
        { key: 'zero', value: { intValue: 0 } },
        { key: 'big', value: { intValue: '9007199254740993' } },
        { key: 'ratio', value: { doubleValue: 0.5 } },
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }, {}] } } },
        { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
        { key: 'raw', value: { bytesValue: 'AQI=' } },
        { key: 'empty', value: {} },
        { key: '__proto__', value: { stringValue: 'kept' } },
      ],
    };
    const attributes = (usageFromLogs(exportOf(record), none).events[0]!.event.data as { attributes: Record<string, unknown> }).attributes;
    expect(attributes).toMatchObject({
      flag: false,
      zero: 0,
      big: '9007199254740993',
      ratio: 0.5,
      nan: 'NaN',
      list: ['a', 1, null],
      map: { k: 'v' },
      raw: 'AQI=',
      empty: null,
    });
    expect(Object.hasOwn(attributes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });

  it('refuses what is not an export request, naming the field', () => {
    expect(refusal(() => usageFromLogs([], none))).toEqual({ field: '(body)', message: 'must be an object (got array)' });
    expect(refusal(() => usageFromLogs({ resourceLogs: {} }, none))!.field).toBe('resourceLogs');
    expect(refusal(() => usageFromLogs({ resourceLogs: [null] }, none))!.field).toBe('resourceLogs[0]');
    expect(refusal(() => usageFromLogs(exportOf({ attributes: 'x' }), none))!.field).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[0].attributes',
    );
    expect(refusal(() => usageFromLogs(exportOf({ timeUnixNano: 'soon' }), none))!.field).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano',
    );
    expect(refusal(() => usageFromLogs(exportOf({ attributes: [{ key: 'a', value: { intValue: 'x' } }] }), none))!.field).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value.intValue',
    );
    expect(refusal(() => usageFromLogs({ resourceMetrics: [] }, none))).toEqual({
      field: 'resourceMetrics',
      message: 'this is a metrics export: send it to /v1/metrics',
    });
    // Unknown fields are ignored, and an empty export is a valid one.
    expect(usageFromLogs({ somethingNew: 1 }, none)).toEqual({ events: [], rejected: 0, problems: [] });
  });
});
