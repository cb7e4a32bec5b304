import { afterEach, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { startReceiver, type WebhookReceiver } from '../support/receivers.ts';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/test-database.ts';
import { outbox, setUpChannel, until } from './notify-outbox.ts';

/** How long both processes take events and deliver; the figure. */
const SECONDS = Number(process.env.HOOKD_TEST_NOTIFY_SECONDS ?? 30);
describe.skipIf(postgresSkipReason() !== null)('two hookd processes delivering one outbox [postgres]', () => {
  let db: TestDatabase | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await receiver?.close();
    await db?.cleanup();
  });

  it(
    `sends every notification exactly once over ${SECONDS} s of events arriving at both`,
    async () => {
      db = await createTestDatabase('postgres');
      const secret = newWebhookSecret();
      receiver = await startReceiver({ kind: 'webhook', secret });
      const env = {
        HOOKD_DATABASE_URL: db.url,
        HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 6).toString('base64')}`,
        HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
        HOOKD_NOTIFY_POLL_MS: '50',
      };
      const [a, b] = await Promise.all([startHookd({ env }), startHookd({ env })]);
      await setUpChannel(a!.url, receiver, secret, 'pair');

      // Events at both, about 50 a second, each firing one notification.
      let sent = 0;
      const stopAt = Date.now() + SECONDS * 1000;
      while (Date.now() < stopAt) {
        const target = sent % 2 === 0 ? a! : b!;
        const batch = Array.from({ length: 5 }, (_, i) => ({
          event_type: 'notify_probe',
          session_id: `pair-${(sent + i) % 20}`,
          team_id: 'pair',
        }));
        const res = await fetch(`${target.url}/events/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        expect(res.status).toBe(202);
        sent += batch.length;
        await new Promise((r) => setTimeout(r, 100));
      }
      await until('every notification sent', async () => {
        const all = await outbox(a!.url);
        return all.size === sent && [...all.values()].every((s) => s === 'sent');
      });
      const counts = receiver.webhookIds();
      expect(counts.size).toBe(sent);
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(receiver.requests.every((r) => r.verified)).toBe(true);
      // Both delivered: each process counts its own attempts.
      const attempts = await Promise.all(
        [a!, b!].map(async (p) => sentAttempts(await (await fetch(`${p.url}/metrics/prometheus`)).text())),
      );
      expect(attempts[0]! + attempts[1]!).toBe(sent);
      expect(Math.min(...attempts)).toBeGreaterThan(0);
      console.log(
        `notify pair: ${sent} notifications over ${SECONDS} s, ${attempts.join(' + ')} from the two processes, none delivered twice`,
      );
    },
    (SECONDS + 90) * 1000,
  );
});

function sentAttempts(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('hookd_notification_attempts_total{channel_type="webhook",outcome="sent"}'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
