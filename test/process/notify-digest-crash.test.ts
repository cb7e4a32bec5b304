import { afterEach, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { startReceiver, type WebhookReceiver } from '../support/receivers.ts';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { setUpChannel, until } from './notify-outbox.ts';

const EVENTS = 400;
const BATCHES = 8;

interface Row {
  notification_id: string;
  status: string;
  digest_id: string | null;
  digest_size: number;
}

/** The probe events stored: one sent to the killed process may be stored without its 202 arriving. */
async function storedEvents(url: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${url}/events?event_type=notify_probe&limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      items: unknown[];
      next_cursor: string | null;
    };
    n += page.items.length;
    cursor = page.next_cursor;
  } while (cursor);
  return n;
}

async function everyNotification(url: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${url}/notifications?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      items: Row[];
      next_cursor: string | null;
    };
    rows.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return rows;
}

describeEachDialect('digests across SIGKILL', (dialect) => {
  let db: TestDatabase | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await receiver?.close();
    await db?.cleanup();
  });

  it('loses no member and puts none in two digests when the process dies while digests are assembled', async () => {
    db = await createTestDatabase(dialect);
    const secret = newWebhookSecret();
    receiver = await startReceiver({ kind: 'webhook', secret });
    const env = {
      HOOKD_DATABASE_URL: db.url,
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 6).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
      HOOKD_NOTIFY_TIMEOUT_MS: '2000',
      HOOKD_NOTIFY_POLL_MS: '50',
      HOOKD_RULES_INTERVAL_MS: '10',
    };
    const first = await startHookd({ env });
    await setUpChannel(first.url, receiver, secret, 'digest', {
      // Digests of 10 or more while events pour in; what waits at the end goes within 12 s.
      notification_preferences: { batch_threshold: 10, batch_timeout_minutes: 0.2 },
      rules: [
        {
          rule_id: 'every',
          name: 'Every probe',
          hook_types: ['notify_probe'],
          channels: ['crash-hook'],
          conditions: { logic: 'and', conditions: [] },
        },
      ],
    });
    const post = (url: string, from: number, n: number) =>
      fetch(`${url}/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          Array.from({ length: n }, (_, i) => ({ event_type: 'notify_probe', session_id: `digest-${(from + i) % 7}`, team_id: 'digest' })),
        ),
      });
    const perBatch = EVENTS / BATCHES;
    let acknowledged = 0;
    let b = 0;
    // Half the events, then the kill as soon as a digest has gone, with events still arriving.
    for (; b < BATCHES / 2; b++) {
      expect((await post(first.url, b * perBatch, perBatch)).status).toBe(202);
      acknowledged += perBatch;
    }
    await until('a digest delivered', async () => receiver!.requests.some((r) => JSON.parse(r.body).data.digest));
    const writes = (async () => {
      for (; b < BATCHES; b++) {
        const res = await post(first.url, b * perBatch, perBatch).catch(() => null);
        if (res?.status !== 202) return;
        acknowledged += perBatch;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 15));
    first.kill('SIGKILL');
    await first.exited;
    await writes;

    const second = await startHookd({ env });
    for (; b < BATCHES; b++) {
      expect((await post(second.url, b * perBatch, perBatch)).status).toBe(202);
      acknowledged += perBatch;
    }
    // Claims of the dead process run out after the attempt timeout plus 5 s; held ones go within the 12 s window.
    const stored = await storedEvents(second.url);
    expect(stored).toBeGreaterThanOrEqual(acknowledged);
    let last: Row[] = [];
    await until(
      'every notification sent',
      async () => {
        last = await everyNotification(second.url);
        return last.filter((r) => r.digest_size === 0).length === stored && last.every((r) => r.status === 'sent');
      },
      90_000,
    ).catch((error) => {
      // What was left, to tell a slow machine from a lost member.
      const counts: Record<string, number> = {};
      for (const r of last)
        counts[`${r.digest_size > 0 ? 'digest' : 'member'}:${r.status}`] =
          (counts[`${r.digest_size > 0 ? 'digest' : 'member'}:${r.status}`] ?? 0) + 1;
      throw new Error(
        `${(error as Error).message}: ${acknowledged} acknowledged, outbox ${JSON.stringify(counts)}\n${second.stderr.slice(-10).join('\n')}`,
      );
    });

    const rows = await everyNotification(second.url);
    const members = rows.filter((r) => r.digest_size === 0);
    const digests = new Map(rows.filter((r) => r.digest_size > 0).map((r) => [r.notification_id, r]));
    // What the receiver got, by webhook-id (a repeat of one id is the same message again).
    const received = new Map<string, string[] | null>();
    for (const r of receiver.requests) {
      const data = JSON.parse(r.body).data;
      received.set(r.headers['webhook-id'] as string, data.digest ? data.digest.notification_ids : null);
    }
    const deliveredIn = new Map<string, string[]>();
    for (const [webhookId, ids] of received) {
      for (const id of ids ?? [webhookId]) deliveredIn.set(id, [...(deliveredIn.get(id) ?? []), webhookId]);
    }
    expect(members).toHaveLength(stored);
    const lost = members.filter((m) => !deliveredIn.has(m.notification_id)).map((m) => m.notification_id);
    expect(lost).toEqual([]);
    const twice = [...deliveredIn.entries()].filter(([, by]) => by.length > 1);
    expect(twice).toEqual([]);
    for (const m of members) {
      if (m.digest_id === null) expect(deliveredIn.get(m.notification_id)).toEqual([m.notification_id]);
      else {
        expect(deliveredIn.get(m.notification_id)).toEqual([m.digest_id]);
        expect(digests.get(m.digest_id)?.status).toBe('sent');
      }
    }
    const inDigests = members.filter((m) => m.digest_id !== null).length;
    expect(inDigests).toBeGreaterThan(0);
    console.log(
      `notify digest crash [${dialect}]: ${stored} notifications (${acknowledged} acknowledged), ${digests.size} digests carrying ${inDigests}, ${members.length - inDigests} sent alone, ${receiver.requests.length} requests`,
    );
  }, 150_000);
});
