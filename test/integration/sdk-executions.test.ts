import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExecutionTimeoutError, HookdApiError, HookdClient } from '../../src/sdk/hookd-client.ts';
import { createTestApp, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const HOOK = { hook_id: 'sdk_hook', hook_type: 'NotifyHook', team_id: 'engineering', event_type: 'tool_execution_failed' };

describeEachDialect('SDK executions', (dialect) => {
  let t: TestApp;
  let client: HookdClient;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    client = new HookdClient({ baseUrl: await listen(t) });
  });
  afterAll(async () => t?.close());

  it('creates, updates, reads and pages executions as the routes answer them', async () => {
    const created = await client.createExecution({ ...HOOK, hook_id: 'sdk_crud', ticket_key: 'ENG-9' });
    expect(created).toMatchObject({ status: 'RUNNING', ticket_key: 'ENG-9' });
    const done = await client.updateExecution(created.execution_id, { status: 'SUCCESS', notification_sent: true });
    expect(done).toEqual(await client.getExecution(created.execution_id));
    expect(done).toMatchObject({ status: 'SUCCESS', notification_sent: true });
    const conflict = await client.updateExecution(created.execution_id, { status: 'FAILED' }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(HookdApiError);
    expect(conflict).toMatchObject({ status: 409, code: 'execution_finished' });
    const missing = await client.getExecution('no such/id').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'execution_not_found' });

    for (let i = 0; i < 4; i++) await client.createExecution({ ...HOOK, hook_id: 'sdk_paged' });
    const seen: string[] = [];
    for await (const e of client.allExecutions({ hook_id: 'sdk_paged', limit: 3 })) seen.push(e.execution_id);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('trackExecution records SUCCESS with the notification, FAILED with the error, TIMEOUT and CANCELLED, and answers as fn did', async () => {
    let seenId = '';
    const value = await client.trackExecution({ ...HOOK, hook_id: 'sdk_ok' }, async (ctx) => {
      seenId = ctx.executionId;
      ctx.notified({ channel: '#alerts', message_id: 'm1' });
      return 42;
    });
    expect(value).toBe(42);
    expect(await client.getExecution(seenId)).toMatchObject({
      hook_id: 'sdk_ok',
      status: 'SUCCESS',
      notification_sent: true,
      notification_result: { channel: '#alerts', message_id: 'm1' },
      execution_time_ms: expect.any(Number),
      completed_at: expect.any(String),
    });

    const boom = new TypeError('Slack answered 500');
    await expect(client.trackExecution({ ...HOOK, hook_id: 'sdk_fail' }, () => Promise.reject(boom))).rejects.toBe(boom);
    const [failed] = (await client.listExecutions({ hook_id: 'sdk_fail' })).items;
    expect(failed).toMatchObject({
      status: 'FAILED',
      errors: [expect.objectContaining({ name: 'TypeError', message: 'Slack answered 500' })],
    });

    let aborted = false;
    const slow = client.trackExecution(
      { ...HOOK, hook_id: 'sdk_slow' },
      (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
          });
          setTimeout(resolve, 5000);
        }),
      { timeoutMs: 100 },
    );
    await expect(slow).rejects.toBeInstanceOf(ExecutionTimeoutError);
    expect(aborted).toBe(true);
    const [timedOut] = (await client.listExecutions({ hook_id: 'sdk_slow' })).items;
    expect(timedOut).toMatchObject({ status: 'TIMEOUT', errors: ['timed out after 100 ms'] });
    expect(timedOut!.execution_time_ms).toBeGreaterThanOrEqual(90);
    expect(timedOut!.execution_time_ms).toBeLessThan(4000);

    const controller = new AbortController();
    const cancelled = client.trackExecution({ ...HOOK, hook_id: 'sdk_cancel' }, () => new Promise((resolve) => setTimeout(resolve, 5000)), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('user pressed stop')), 50);
    await expect(cancelled).rejects.toThrow('user pressed stop');
    expect((await client.listExecutions({ hook_id: 'sdk_cancel' })).items[0]).toMatchObject({
      status: 'CANCELLED',
      errors: ['cancelled: user pressed stop'],
    });

    // Refused before anything runs: the creation fails, fn is never called.
    let ran = false;
    const refused = client.trackExecution({ ...HOOK, team_id: undefined }, () => {
      ran = true;
    });
    await expect(refused).rejects.toMatchObject({ status: 400 });
    expect(ran).toBe(false);
  });
});
