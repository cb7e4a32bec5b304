import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const PROTO_DIR = fileURLToPath(new URL('../../src/modules/telemetry/proto', import.meta.url));
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

/** The vendored .proto files, for encoding the recorded exports as an exporter would. */
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync([
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
]);
const TYPES = {
  logs: {
    request: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  },
  metrics: {
    request: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
  },
};
type Signal = keyof typeof TYPES;

/** A recorded export (test/fixtures/otel), its session ids renamed so each test has its own. */
function recorded(name: string, sessions: Record<string, string> = {}): Record<string, unknown> {
  let text = readFileSync(new URL(`../fixtures/otel/${name}`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(sessions)) text = text.replaceAll(from, to);
  return JSON.parse(text);
}
const encoded = (signal: Signal, json: unknown) => {
  const type = TYPES[signal].request;
  return Buffer.from(type.encode(type.fromObject(json as Record<string, unknown>)).finish());
};
const decodedResponse = (signal: Signal, body: Buffer) => {
  const type = TYPES[signal].response;
  return type.toObject(type.decode(body), { longs: Number });
};

describeEachDialect('OTLP/HTTP receiver', (dialect) => {
  let t: TestApp;
  let admin: string | null = null;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const auth = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
  const post = (signal: Signal, payload: Buffer | string, headers: Record<string, string>, token = admin) =>
    t.app.inject({ method: 'POST', url: `/v1/${signal}`, headers: { ...headers, ...auth(token) }, payload });
  const postJson = (signal: Signal, body: unknown, token = admin) => post(signal, JSON.stringify(body), JSON_HEADERS, token);
  const events = async (sessionId: string) => {
    const res = await t.app.inject({ url: `/events?session_id=${encodeURIComponent(sessionId)}&limit=100`, headers: auth(admin) });
    expect(res.statusCode).toBe(200);
    return (res.json().items as Record<string, any>[]).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  };

  it("stores Claude Code's API requests and prompts from a JSON export, and nothing new when the protobuf one follows", async () => {
    const sid = `cc-logs-${dialect}`;
    const json = recorded('claude-code-logs.json', { 'otel-cc-session-1': sid });
    const res = await postJson('logs', json);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({});

    const stored = await events(sid);
    expect(stored.map((e) => e.event_type)).toEqual(['telemetry_user_prompt', 'usage_reported', 'usage_reported']);
    const [prompt, first, second] = stored;
    expect(first).toMatchObject({
      event_id: 'otel:req_011CVcc0001',
      source: 'claude-code',
      timestamp: '2026-12-02T10:00:04.500Z',
      data: {
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
        attributes: { 'session.id': sid, 'service.name': 'claude-code', 'event.sequence': 2 },
      },
    });
    expect(second).toMatchObject({
      event_id: 'otel:req_011CVcc0002',
      data: { prompt_id: '0d9e8f7a-1b2c-4d3e-8f40-5a6b7c8d9e02', model: 'claude-haiku-4-5-20251001', cost_usd: 0.00245 },
    });
    expect(prompt).toMatchObject({ data: { origin: 'telemetry', attributes: { prompt_length: 42 } } });

    // The same export as gzipped protobuf: an empty protobuf reply, and the same events, once.
    const again = await post('logs', gzipSync(encoded('logs', json)), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/x-protobuf');
    expect(again.rawPayload).toHaveLength(0);
    expect((await events(sid)).map((e) => e.event_id)).toEqual(stored.map((e) => e.event_id));
  });

  it("stores Codex's completed responses from a protobuf export, input without the cached tokens", async () => {
    const sid = `codex-${dialect}`;
    const body = encoded('logs', recorded('codex-logs.json', { 'otel-codex-conv-1': sid }));
    expect((await post('logs', body, PROTOBUF)).statusCode).toBe(200);
    const stored = await events(sid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      event_type: 'usage_reported',
      source: 'codex',
      timestamp: '2026-12-02T10:01:52.000Z',
      data: {
        input_tokens: 3000,
        cache_read_tokens: 6000,
        output_tokens: 1500,
        reasoning_tokens: 1024,
        cache_creation_tokens: 0,
        cost_usd: null,
        model: 'gpt-5-codex',
      },
    });
    expect((await post('logs', body, PROTOBUF)).statusCode).toBe(200);
    expect(await events(sid)).toHaveLength(1);
    // The same record twice in one export (an exporter's batch retried into the next) is stored once.
    const twice = recorded('codex-logs.json', { 'otel-codex-conv-1': `${sid}-twice` }) as any;
    const records = twice.resourceLogs[0].scopeLogs[0].logRecords;
    records.push(records[1]);
    expect((await postJson('logs', twice)).statusCode).toBe(200);
    expect(await events(`${sid}-twice`)).toHaveLength(1);
  });

  it("stores a window of Claude Code's token and cost metrics as one event, from JSON and protobuf alike", async () => {
    const sid = `cc-metrics-${dialect}`;
    const json = recorded('claude-code-metrics.json', { 'otel-cc-session-1': sid });
    const res = await post('metrics', encoded('metrics', json), PROTOBUF);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toHaveLength(0);
    const stored = await events(sid);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      event_type: 'usage_metric_reported',
      source: 'claude-code',
      timestamp: '2026-12-02T10:01:00.000Z',
      data: {
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
        attributes: { query_source: 'main', 'session.id': sid },
      },
    });
    expect(stored[0]!.event_id).toMatch(/^otelm:/);
    const again = await postJson('metrics', json);
    expect(again.json()).toEqual({});
    expect((await events(sid)).map((e) => e.event_id)).toEqual([stored[0]!.event_id]);
  });

  it('refuses malformed exports with 400 naming the field, and stores nothing of them', async () => {
    const problem = async (res: { statusCode: number; json(): any }) => {
      expect(res.statusCode).toBe(400);
      return res.json().error.details.problems[0];
    };
    expect(await problem(await post('logs', Buffer.from('\x0a\xff\xff\xff\xff\x0f'), PROTOBUF))).toMatchObject({ field: '(body)' });
    expect(await problem(await postJson('logs', { resourceLogs: {} }))).toMatchObject({ field: 'resourceLogs' });
    expect(await problem(await postJson('metrics', ['not', 'an', 'export']))).toMatchObject({ field: '(body)' });
    expect(await problem(await postJson('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: 5 }] }] }] }))).toEqual({
      field: 'resourceLogs[0].scopeLogs[0].logRecords[0].attributes',
      message: 'must be an array (got number)',
    });
    expect(await problem(await postJson('logs', recorded('claude-code-metrics.json')))).toMatchObject({ field: 'resourceMetrics' });
    expect(
      await problem(await post('logs', Buffer.from('{"resourceLogs":[]}'), { ...JSON_HEADERS, 'content-encoding': 'gzip' })),
    ).toMatchObject({
      field: '(body)',
    });
    const malformed = await post('logs', '{"resourceLogs":', JSON_HEADERS);
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'invalid_json']);
    expect(await events('otel-cc-session-1')).toEqual([]);
  });

  it('answers 415 to other content types and encodings, and 413 to a body that inflates past the limit', async () => {
    const json = JSON.stringify(recorded('codex-logs.json'));
    const cases: Record<string, string>[] = [{ 'content-type': 'text/plain' }, {}, { ...JSON_HEADERS, 'content-encoding': 'br' }];
    for (const headers of cases) {
      const res = await post('logs', json, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
    const bomb = gzipSync(Buffer.alloc(t.config.limits.maxBodyBytes + 1));
    const res = await post('metrics', bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect([res.statusCode, res.json().error.code]).toEqual([413, 'payload_too_large']);
  });

  it('stores the valid records of an export and reports the others as a partial success', async () => {
    const sid = `partial-${dialect}`;
    const json = recorded('claude-code-logs.json', { 'otel-cc-session-1': sid });
    const records = (json as any).resourceLogs[0].scopeLogs[0].logRecords;
    // The second API request's session id is longer than the 255 characters hookd keeps.
    records[2].attributes.find((a: { key: string }) => a.key === 'session.id').value.stringValue = 'x'.repeat(300);
    const res = await postJson('logs', json);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: 'resourceLogs[0].scopeLogs[0].logRecords[2]: session_id: must be 1-255 characters (got 300)',
      },
    });
    expect((await events(sid)).map((e) => e.event_id)).toEqual([expect.stringMatching(/^otel:/), 'otel:req_011CVcc0001']);

    const proto = await post('logs', encoded('logs', json), PROTOBUF);
    expect(decodedResponse('logs', proto.rawPayload)).toEqual({
      partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringContaining('session_id') },
    });
  });

  it('writes with the ingest scope only, and a session-bound token its own session only, as /hooks', async () => {
    admin = (await t.runtime.services.tokens.create({ scopes: ['admin'] })).token;
    const reader = (await t.runtime.services.tokens.create({ scopes: ['read'] })).token;
    const mine = `bound-${dialect}`;
    const bound = (await t.runtime.services.tokens.create({ scopes: ['ingest'], sessionId: mine })).token;
    const export_ = (sid: string) => recorded('codex-logs.json', { 'otel-codex-conv-1': sid });

    expect((await postJson('logs', export_(mine), null)).statusCode).toBe(401);
    const refused = await postJson('logs', export_(mine), reader);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'insufficient_scope']);
    expect((await post('metrics', encoded('metrics', recorded('claude-code-metrics.json')), PROTOBUF, reader)).statusCode).toBe(403);

    expect((await postJson('logs', export_(mine), bound)).statusCode).toBe(200);
    expect(await events(mine)).toHaveLength(1);
    const other = `other-${dialect}`;
    const viaOtlp = await post('logs', encoded('logs', export_(other)), PROTOBUF, bound);
    const viaHook = await t.app.inject({
      method: 'POST',
      url: '/hooks/codex',
      headers: { ...JSON_HEADERS, ...auth(bound) },
      payload: JSON.stringify({ hook_event_name: 'Stop', session_id: other }),
    });
    expect([viaOtlp.statusCode, viaOtlp.json().error.code]).toEqual([viaHook.statusCode, viaHook.json().error.code]);
    expect(viaOtlp.statusCode).toBe(404);
    expect(await events(other)).toEqual([]);
  });
});
