import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('health, metrics and OpenAPI', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: JSON_HEADERS,
      payload: JSON.stringify([
        { event_type: 'x', session_id: 'm', event_id: '1' },
        { event_type: 'x', session_id: 'm', event_id: '1' },
      ]),
    });
  });
  afterAll(async () => t?.close());

  it('reports health in the seed shape', async () => {
    for (const url of ['/health', '/health/ready']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'healthy',
        storage: dialect,
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        database_healthy: true,
        recent_executions_count: 0,
      });
    }
  });

  it('counts events in JSON /metrics with latency percentiles and queue depth', async () => {
    const m = (await t.app.inject({ url: '/metrics' })).json();
    expect(m).toMatchObject({
      events_received_total: 2,
      events_stored_total: 2,
      storage_errors_total: 0,
      events_duplicate_total: 1,
      queue_depth: 0,
    });
    expect(m.ingest_latency_ms.samples).toBe(1);
    expect(m.ingest_latency_ms.p99).toBeGreaterThan(0);
    expect(m.uptime_seconds).toBeGreaterThanOrEqual(0);
  });

  it('exposes valid Prometheus text with the seed counters, histograms and process metrics', async () => {
    const res = await t.app.inject({ url: '/metrics/prometheus' });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/^hooks_events_received_total 2$/m);
    expect(text).toMatch(/^hooks_events_stored_total 2$/m);
    expect(text).toMatch(/^hooks_storage_errors_total 0$/m);
    expect(text).toMatch(/^hooks_uptime_seconds \d/m);
    expect(text).toMatch(/^# TYPE hookd_ingest_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE hookd_commit_events histogram$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // Prometheus parses values with Go's ParseFloat, which takes NaN and Inf in any case.
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?\d+(\.\d+)?(e[-+]?\d+)?|[+-]?inf|nan)( \d+)?$/i;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(sample);
    }
  });

  it('lints clean with promtool check metrics', async (context) => {
    const promtool = spawnSync('promtool', ['--version']);
    if (promtool.error) {
      console.log('promtool check skipped: promtool is not installed (Debian package prometheus; .ci/run installs it)');
      context.skip();
    }
    // A request of each ingest route, so every labelled series is in the text.
    await t.app.inject({
      method: 'POST',
      url: '/hooks/claude-code',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ hook_event_name: 'Stop', session_id: 'm' }),
    });
    const text = (await t.app.inject({ url: '/metrics/prometheus' })).body;
    expect(text).toMatch(/^hookd_ingest_request_duration_seconds_count\{route="\/hooks\/:source"\} 1$/m);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/events'].post.requestBody.content['application/json'].schema.required).toEqual(['event_type', 'session_id']);
    expect(doc.paths['/events'].post.responses['202']).toBeDefined();
    expect(doc.paths['/events'].get.parameters.map((p: { name: string }) => p.name)).toContain('cursor');
    expect(doc.paths['/events/{event_id}'].get.parameters[0]).toMatchObject({ name: 'event_id', in: 'path', required: true });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/events/batch', '/health', '/metrics', '/metrics/prometheus', '/tokens']),
    );
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });
});

describeEachDialect('the derivation backlog in /metrics', (dialect) => {
  let t: TestApp;
  // Passes held off, so the events wait until a read of derived rows derives them.
  beforeAll(async () => {
    t = await createTestApp(dialect, { HOOKD_DERIVE_DELAY_MS: '600000' });
  });
  afterAll(async () => t?.close());

  const backlogGauges = async () => {
    const text = (await t.app.inject({ url: '/metrics/prometheus' })).body;
    return {
      events: Number(/^hookd_derivation_backlog_events (\S+)$/m.exec(text)?.[1]),
      lag: Number(/^hookd_derivation_lag_seconds (\S+)$/m.exec(text)?.[1]),
    };
  };

  it('counts stored events not yet derived and how long the oldest has waited, until a read derives them', async () => {
    expect((await t.app.inject({ url: '/metrics' })).json().derivation).toEqual({
      backlog_events: 0,
      lag_seconds: 0,
      stored_events: 0,
      from_other_writers: 0,
    });
    const batch = (session: string, n: number) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({ event_type: 'session_started', session_id: session, event_id: `${session}-${i}` })),
      );
    expect((await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: batch('a', 3) })).statusCode).toBe(
      202,
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    // A second commit: the oldest event is still the first commit's.
    expect((await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: batch('b', 2) })).statusCode).toBe(
      202,
    );
    // A duplicate is not stored again, so it waits for nothing.
    await t.app.inject({
      method: 'POST',
      url: '/events',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ event_type: 'x', session_id: 'a', event_id: 'a-0' }),
    });

    const json = (await t.app.inject({ url: '/metrics' })).json().derivation;
    expect(json.backlog_events).toBe(5);
    expect(json.lag_seconds).toBeGreaterThanOrEqual(0.1);
    expect(json.lag_seconds).toBeLessThan(60);
    const gauges = await backlogGauges();
    expect(gauges.events).toBe(5);
    expect(gauges.lag).toBeGreaterThanOrEqual(json.lag_seconds);

    // Reads of sessions wait for the derivation, which empties the backlog.
    expect((await t.app.inject({ url: '/sessions' })).json().items).toHaveLength(2);
    const after = (await t.app.inject({ url: '/metrics' })).json().derivation;
    expect(after).toMatchObject({ backlog_events: 0, lag_seconds: 0, from_other_writers: 0 });
    // SQLite may spend an id on the duplicate; nothing else is counted.
    expect(after.stored_events).toBeGreaterThanOrEqual(5);
    expect(after.stored_events).toBeLessThanOrEqual(6);
    expect(await backlogGauges()).toEqual({ events: 0, lag: 0 });
  });

  it('counts the events another writer stored, which this process derives but never received', async () => {
    const other = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: t.url }), { serverThreads: false });
    const events = ['o1', 'o2', 'o3'].map((id) =>
      other.services.ingest.validateOne({ event_type: 'session_started', session_id: 'other-writer', event_id: id }),
    );
    await other.services.stores.events.writeGroups([events]);
    // Closed without deriving: the events wait for this process, as a hook's would.
    await other.services.stores.close();
    const before = (await t.app.inject({ url: '/metrics' })).json();
    expect((await t.app.inject({ url: '/sessions/other-writer' })).statusCode).toBe(200);
    const m = (await t.app.inject({ url: '/metrics' })).json();
    expect(m.derivation.from_other_writers).toBe(3);
    expect(m.derivation.stored_events).toBeGreaterThanOrEqual(before.derivation.stored_events);
    expect(m.events_stored_total).toBe(before.events_stored_total);
    const text = (await t.app.inject({ url: '/metrics/prometheus' })).body;
    expect(text).toMatch(/^hookd_events_derived_from_other_writers_total 3$/m);
    expect(Number(/^hookd_events_stored (\d+)$/m.exec(text)?.[1])).toBe(m.derivation.stored_events);
  });
});
