import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * Sessions' tokens and cost from usage events, as the OTLP receiver and the transcript
 * reader store them: per request, telemetry over a transcript, metrics only as a fallback.
 */
describeEachDialect('what each session cost', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const base = Date.parse('2026-12-01T09:00:00Z');
  const usage = (session: string, id: string, data: Record<string, unknown>, at = 0, type = 'usage_reported') => ({
    event_type: type,
    event_id: id,
    session_id: session,
    source: 'claude-code',
    timestamp: base + at,
    data,
  });
  const send = async (events: object[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  };
  const session = async (id: string) => {
    const res = await t.app.inject({ url: `/sessions/${id}` });
    expect(res.statusCode).toBe(200);
    return res.json() as Record<string, unknown>;
  };
  const figures = (s: Record<string, unknown>) => ({
    input_tokens: s.input_tokens,
    output_tokens: s.output_tokens,
    cache_read_tokens: s.cache_read_tokens,
    cache_creation_tokens: s.cache_creation_tokens,
    cost_usd: s.cost_usd,
    unpriced_tokens: s.unpriced_tokens,
  });

  it('adds up requests: reported cost as reported, the rest priced, unknown models unpriced', async () => {
    const id = `cost-requests-${dialect}`;
    await send([
      usage(id, 'otel:req_1', {
        origin: 'telemetry',
        request_id: 'req_1',
        prompt_id: 'p1',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: 1000,
        output_tokens: 200,
        cache_read_tokens: 5000,
        cache_creation_tokens: 300,
        cost_usd: 0.0123,
      }),
      // Codex reports no cost, and some counts as strings: priced at gpt-5's $1.25/$10/$0.125.
      usage(
        id,
        'otel:req_2',
        {
          origin: 'telemetry',
          request_id: 'req_2',
          prompt_id: 'p2',
          model: 'gpt-5-codex',
          input_tokens: '1000000',
          output_tokens: 100000,
          cache_read_tokens: '2000000',
        },
        1000,
      ),
      usage(
        id,
        'otel:req_3',
        { origin: 'telemetry', request_id: 'req_3', model: 'some-new-model', input_tokens: 10, output_tokens: 5 },
        2000,
      ),
    ]);
    const s = await session(id);
    expect(figures(s)).toEqual({
      input_tokens: 1_001_010,
      output_tokens: 100_205,
      cache_read_tokens: 2_005_000,
      cache_creation_tokens: 300,
      cost_usd: expect.closeTo(0.0123 + 1.25 + 1 + 0.25, 9),
      unpriced_tokens: 15,
    });
    // The session analytics show the same figures.
    const summary = await t.app.inject({ url: `/analytics/sessions/${id}` });
    expect(summary.statusCode).toBe(200);
    expect(figures(summary.json())).toEqual(figures(s));
    // A replay of the same export changes nothing.
    await send([usage(id, 'otel:req_1', { origin: 'telemetry', request_id: 'req_1', model: 'x', input_tokens: 1, cost_usd: 9 })]);
    expect(figures(await session(id))).toEqual(figures(s));
  });

  it('counts a prompt reported both by its transcript and by telemetry once, telemetry winning', async () => {
    const id = `cost-both-${dialect}`;
    const transcript = (request: string, prompt: string, input: number) =>
      usage(id, `transcript:${request}`, {
        origin: 'transcript',
        request_id: request,
        prompt_id: prompt,
        model: 'claude-haiku-4-5',
        input_tokens: input,
        output_tokens: 100,
      });
    // The transcript first: p1 in two requests, p2 in one.
    await send([transcript('r1', 'p1', 1000), transcript('r2', 'p1', 2000), transcript('r3', 'p2', 500)]);
    expect(figures(await session(id))).toMatchObject({ input_tokens: 3500, output_tokens: 300 });
    // Telemetry for p1 arrives: one of its requests under another id. p1 now counts only
    // telemetry's figures, p2 still the transcript's.
    await send([
      usage(id, 'otel:r1', {
        origin: 'telemetry',
        request_id: 'r1',
        prompt_id: 'p1',
        model: 'claude-haiku-4-5',
        input_tokens: 1000,
        output_tokens: 100,
        cost_usd: 0.5,
      }),
      usage(id, 'otel:r2x', {
        origin: 'telemetry',
        request_id: 'r2x',
        prompt_id: 'p1',
        model: 'claude-haiku-4-5',
        input_tokens: 2000,
        output_tokens: 100,
        cost_usd: 0.25,
      }),
    ]);
    const s = await session(id);
    expect(figures(s)).toMatchObject({ input_tokens: 3500, output_tokens: 300 });
    // p2's transcript row priced at Haiku 4.5's $1/$5 per million.
    expect(s.cost_usd).toBeCloseTo(0.5 + 0.25 + (500 * 1 + 100 * 5) / 1e6, 9);
    // Per prompt and model, as the session page shows them: p1 from telemetry, p2 from the transcript.
    expect(s.usage).toEqual([
      expect.objectContaining({ prompt_id: 'p1', model: 'claude-haiku-4-5', requests: 2, input_tokens: 3000, cost_usd: 0.75 }),
      expect.objectContaining({ prompt_id: 'p2', model: 'claude-haiku-4-5', requests: 1, input_tokens: 500, unpriced_tokens: 0 }),
    ]);
    // A transcript arriving after telemetry for the same request never replaces it.
    await send([transcript('r1', 'p1', 999_999)].map((e) => ({ ...e, event_id: 'transcript:r1-again' })));
    expect(figures(await session(id))).toEqual(figures(s));
  });

  it('falls back to the usage metrics only for a session without per-request figures', async () => {
    const id = `cost-metrics-${dialect}`;
    const metric = (key: string, data: Record<string, unknown>, at: number) =>
      usage(id, key, { origin: 'telemetry_metric', ...data }, at, 'usage_metric_reported');
    await send([
      metric('otelm:1', { model: 'claude-opus-4-5', input_tokens: 100, output_tokens: 10, cost_usd: 0.01 }, 0),
      metric('otelm:2', { model: 'claude-opus-4-5', input_tokens: 200, output_tokens: 20, cost_usd: 0.02 }, 60_000),
    ]);
    expect(figures(await session(id))).toMatchObject({ input_tokens: 300, output_tokens: 30, cost_usd: expect.closeTo(0.03, 9) });
    await send([
      usage(
        id,
        'otel:rq',
        { origin: 'telemetry', request_id: 'rq', model: 'claude-opus-4-5', input_tokens: 7, output_tokens: 1, cost_usd: 0.001 },
        70_000,
      ),
    ]);
    expect(figures(await session(id))).toMatchObject({ input_tokens: 7, output_tokens: 1, cost_usd: expect.closeTo(0.001, 9) });
  });

  it('gives the same figures back from a rebuild', async () => {
    const id = `cost-requests-${dialect}`;
    const before = await session(id);
    expect(await t.runtime.services.sessionMaintenance.rebuild({ sessionId: id })).toMatchObject({ changed: 0 });
    expect(figures(await session(id))).toEqual(figures(before));
  });
});
