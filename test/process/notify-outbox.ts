import { expect } from 'vitest';
import type { WebhookReceiver } from '../support/receivers.ts';

/** A path segment that stands for the secret part of a webhook URL: it must never show. */
export const SECRET_PATH = 'T0SECRET-B0SECRET-pathsecret';

/** What the notification process tests share: the outbox read over HTTP, waiting, and a channel with its rule. */

interface Listed {
  items: { notification_id: string; status: string }[];
  next_cursor: string | null;
}

/** Every notification the outbox holds, by id and status. */
export async function outbox(url: string): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${url}/notifications?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as Listed;
    for (const n of page.items) all.set(n.notification_id, n.status);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The webhook channel `crash-hook` to `receiver`, and the team configuration whose rules name it. */
/** One rule firing on every `notify_probe` event, sending to `crash-hook`. */
const CONFIGURATION = {
  // Every notification as itself: these tests count deliveries (notify-digest-crash.test.ts has digests).
  notification_preferences: { batch_timeout_minutes: 0 },
  rules: [
    {
      rule_id: 'every',
      name: 'Every probe',
      hook_types: ['notify_probe'],
      channels: ['crash-hook'],
      conditions: { logic: 'and', conditions: [] },
    },
  ],
};

export async function setUpChannel(
  url: string,
  receiver: WebhookReceiver,
  secret: string,
  team: string,
  configuration: unknown = CONFIGURATION,
) {
  const post = (path: string, method: string, body: unknown) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const channel = await post('/channels', 'POST', {
    channel_id: 'crash-hook',
    kind: 'webhook',
    url: `${receiver.url}in/${SECRET_PATH}`,
    secret,
    team_id: team,
  });
  expect(channel.status, await channel.clone().text()).toBe(201);
  expect((await post(`/teams/${team}/configuration`, 'PUT', { configuration })).status).toBe(200);
}
