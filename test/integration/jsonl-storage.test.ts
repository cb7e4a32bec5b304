import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { JSON_HEADERS } from '../support/test-app.ts';

describe('JSONL storage (the seed’s local fallback)', () => {
  let dir: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookd-jsonl-'));
    runtime = await openRuntime(loadConfig({ HOOKD_HOME: dir, STORAGE_TYPE: 'jsonl' }));
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

  it('serves health and metrics, and answers queries with 501', async () => {
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'healthy', storage: 'jsonl' });
    expect((await app.inject({ url: '/metrics' })).json().events_stored_total).toBe(3);
    // JSONL derives nothing, so there is no derivation to trail.
    expect((await app.inject({ url: '/metrics' })).json().derivation).toBeNull();
    const query = await app.inject({ url: '/events' });
    expect(query.statusCode).toBe(501);
    expect(query.json().error.message).toMatch(/not available with jsonl storage/);
    expect((await app.inject({ url: '/events/e' })).statusCode).toBe(501);
  });
});
