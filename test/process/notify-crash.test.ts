import { afterEach, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { startReceiver, type WebhookReceiver } from '../support/receivers.ts';
import { startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { outbox, SECRET_PATH, setUpChannel, until } from './notify-outbox.ts';

const NOTIFICATIONS = 300;
describeEachDialect('notifications across SIGKILL', (dialect) => {
  let db: TestDatabase | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await receiver?.close();
    await db?.cleanup();
  });

  it('delivers every notification after a kill in the middle of deliveries; repeats only those in flight, with their webhook-id', async () => {
    db = await createTestDatabase(dialect);
    const secret = newWebhookSecret();
    receiver = await startReceiver({ kind: 'webhook', secret });
    // Slow answers, so deliveries are in flight when the process dies.
    receiver.setScript(Array.from({ length: 2 * NOTIFICATIONS }, () => ({ status: 200, delayMs: 40 })));
    const env = {
      HOOKD_DATABASE_URL: db.url,
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
      HOOKD_NOTIFY_TIMEOUT_MS: '2000',
      HOOKD_RULES_INTERVAL_MS: '10',
    };
    const first: HookdProcess = await startHookd({ env });
    await setUpChannel(first.url, receiver, secret, 'crash');
    const events = Array.from({ length: NOTIFICATIONS }, (_, i) => ({
      event_type: 'notify_probe',
      session_id: `crash-${i % 10}`,
      team_id: 'crash',
    }));
    expect(
      (
        await fetch(`${first.url}/events/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(events),
        })
      ).status,
    ).toBe(202);

    await until('deliveries under way', async () => receiver!.requests.length >= 60);
    const inFlight = receiver.requests.length;
    expect(first.kill('SIGKILL')).toBe(true);
    await first.exited;
    const seenBeforeKill = receiver.requests.length;

    const second = await startHookd({ env });
    // Claims of the dead process run out after the attempt timeout plus 5 s, then go again.
    await until('every notification sent', async () => {
      const all = await outbox(second.url);
      return all.size === NOTIFICATIONS && [...all.values()].every((s) => s === 'sent');
    });
    const ids = [...(await outbox(second.url)).keys()];
    const counts = receiver.webhookIds();
    expect(ids.filter((id) => !counts.has(id))).toEqual([]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    const repeated = [...counts.entries()].filter(([, n]) => n > 1);
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    // At most a worker's batch (50) was in flight at the kill. A repeat is also right when an
    // attempt timed out (the machine too busy to read the answer in time): its attempts say so.
    const unexplained: string[] = [];
    for (const [id] of repeated) {
      const detail = (await (await fetch(`${second.url}/notifications/${id}`)).json()) as { attempts: { error: string | null }[] };
      if (!detail.attempts.some((a) => a.error?.includes('timed out'))) unexplained.push(id);
    }
    expect(unexplained.length, `${inFlight} requests had arrived at the kill`).toBeLessThanOrEqual(50);
    // Neither the URL's secret path nor the signing secret reached a log line or a reply.
    const replies = await Promise.all(
      ['/channels', '/notifications?limit=500', `/notifications/${ids[0]}`, '/metrics/prometheus'].map(async (path) =>
        (await fetch(`${second.url}${path}`)).text(),
      ),
    );
    for (const text of [...first.lines, ...first.stderr, ...second.lines, ...second.stderr, ...replies]) {
      expect(text).not.toContain(SECRET_PATH);
      expect(text).not.toContain(secret.slice(6));
    }
    expect(receiver.requests[0]!.path).toBe(`/in/${SECRET_PATH}`);
    console.log(
      `notify crash [${dialect}]: ${NOTIFICATIONS} notifications, ${seenBeforeKill} requests before the kill, ${repeated.length} sent twice (${repeated.length - unexplained.length} after a timeout)`,
    );
  }, 120_000);
});
