import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openAnyRuntime, openRuntime, type JsonlRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { JSON_HEADERS } from '../support/test-app.ts';

describe('JSONL storage (the seed’s local fallback)', () => {
  let dir: string;
  let runtime: JsonlRuntime | Runtime;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookd-jsonl-'));
    runtime = await openAnyRuntime(loadConfig({ HOOKD_HOME: dir, STORAGE_TYPE: 'jsonl' }));
    app = await buildApp(runtime.services);
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one canonical JSON line per acknowledged event, without deduplication', async () => {
    const event = { event_type: 'x', session_id: 's', event_id: 'e', timestamp: '2026-01-02T03:04:05.678Z', data: { a: 'ü' } };
    const one = await app.inject({ method: 'POST', url: '/events', headers: JSON_HEADERS, payload: JSON.stringify(event) });
    expect(one.json()).toEqual({ accepted: 1, duplicates: 0, message: 'Events accepted' });
    const batch = await app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: JSON_HEADERS,
      payload: JSON.stringify([event, event]),
    });
    expect(batch.json()).toEqual({ accepted: 2, duplicates: 0, message: 'Events accepted' });
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      event_id: 'e',
      session_id: 's',
      event_type: 'x',
      timestamp: '2026-01-02T03:04:05.678Z',
      source: 'unknown',
      data: { a: 'ü' },
    });
  });

  it('serves health and metrics, and answers every query route with 501 after authentication', async () => {
    expect(runtime.services.storage).toBe('jsonl');
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'healthy', storage: 'jsonl' });
    expect((await app.inject({ url: '/metrics' })).json().events_stored_total).toBe(3);
    // JSONL derives nothing, so there is no derivation to trail.
    expect((await app.inject({ url: '/metrics' })).json().derivation).toBeNull();
    const query = await app.inject({ url: '/events' });
    expect(query.statusCode).toBe(501);
    expect(query.json().error).toMatchObject({
      code: 'not_supported_by_storage',
      message: expect.stringMatching(/^GET \/events is not available with jsonl storage/),
    });
    for (const [method, url] of [
      ['GET', '/events/e'],
      ['GET', '/sessions'],
      ['POST', '/sessions'],
      ['GET', '/analytics/tools'],
      ['GET', '/executions'],
      ['GET', '/performance/summary'],
      ['GET', '/teams'],
      ['POST', '/rules/test'],
      ['GET', '/tokens'],
    ] as const) {
      const res = await app.inject({ method, url, headers: JSON_HEADERS, payload: method === 'POST' ? '{}' : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(501);
    }
    // Authentication still comes first: a caller that is not served learns nothing more.
    const remote = await app.inject({ url: '/sessions', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    // The query routes are documented all the same.
    expect(Object.keys((await app.inject({ url: '/openapi.json' })).json().paths)).toEqual(
      expect.arrayContaining(['/sessions', '/events/stream']),
    );
  });

  it('refuses a command that needs stored data before opening anything, naming what it needed', async () => {
    await expect(openRuntime(loadConfig({ HOOKD_HOME: dir, STORAGE_TYPE: 'jsonl' }), {}, 'sessions')).rejects.toMatchObject({
      statusCode: 501,
      message: expect.stringMatching(/^sessions is not available with jsonl storage/),
    });
  });
});
