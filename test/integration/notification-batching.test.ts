import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { CLI_PRINCIPAL } from '../../src/modules/tokens/token-service.ts';
import { batchPolicies, TeamRules } from '../../src/modules/automation/team-rules.ts';
import type { ChannelMessage, NotificationKind, Priority } from '../../src/modules/channels/channel-message.ts';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import type { NewNotification } from '../../src/modules/notifications/notification.ts';
import { insertNotifications } from '../../src/modules/notifications/notification-store-postgres.ts';
import { prepareNotificationInsert } from '../../src/modules/notifications/notification-store-sqlite.ts';
import { NotificationWorker } from '../../src/modules/notifications/notification-worker.ts';
import { startReceiver, type WebhookReceiver } from '../support/receivers.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

/**
 * Digests and quiet hours on both storages, with the worker's clock in the test's hands:
 * each team's preferences are saved as users save them, notifications are put into the
 * outbox as a rules pass does, and a worker whose `now` is set delivers to a real receiver.
 */
describeEachDialect('notifications: digests and quiet hours', (dialect) => {
  let t: TestApp;
  let hook: WebhookReceiver;
  const secret = newWebhookSecret();
  let seq = 0;

  beforeAll(async () => {
    hook = await startReceiver({ kind: 'webhook', secret });
    t = await createTestApp(dialect, {
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
    });
    await t.runtime.services.channels.create({ channel_id: 'digest-hook', kind: 'webhook', url: `${hook.url}in`, secret }, CLI_PRINCIPAL);
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
  });
  // The worker's clock is months away from the receiver's, whose signature check holds the
  // webhook-timestamp to five minutes: it answers 200 as scripted (signatures have their own tests).
  const accepted = () => Array.from({ length: 100 }, () => ({ status: 200 }));
  beforeEach(() => hook.setScript(accepted()));

  async function send(method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) {
    const res = await t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  }
  async function team(teamId: string, preferences: Record<string, unknown>) {
    const res = await send('PUT', `/teams/${teamId}/configuration`, {
      configuration: { notification_preferences: preferences, rules: [] },
    });
    expect(res.status, res.text).toBe(200);
  }
  /** A worker whose clock reads `clock.now`. */
  function worker(clock: { now: number }) {
    return new NotificationWorker(t.runtime.services.stores.notifications, (c) => t.runtime.services.channels.open(c), {
      ...t.config.notifications,
      policies: batchPolicies(new TeamRules(t.runtime.services.stores.teams)),
      now: () => clock.now,
    });
  }
  /** A notification as a rules pass inserts it, created at `createdAt`. */
  async function put(teamId: string, createdAt: number, kind: NotificationKind = 'stop', priority: Priority = 'normal') {
    const id = `ntf_test_${dialect}_${++seq}`;
    const message: ChannelMessage = {
      kind,
      priority,
      title: `Event ${seq}`,
      text: `text ${seq}`,
      fields: [],
      context: {
        session_id: `s${seq}`,
        event_id: null,
        event_type: 'Stop',
        team_id: teamId,
        rule_id: 'r',
        project: 'web',
        timestamp: new Date(createdAt).toISOString(),
      },
    };
    const n: NewNotification = {
      notificationId: id,
      executionId: null,
      teamId,
      sessionId: `s${seq}`,
      eventId: null,
      eventType: 'Stop',
      channelId: 'digest-hook',
      kind,
      priority,
      message,
      eventAt: createdAt,
      createdAt,
      expiresAt: createdAt + 24 * 60 * MIN,
      status: 'new',
      error: null,
    };
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') prepareNotificationInsert(db.sqlite)(n);
    else await insertNotifications(db.pool, [n]);
    return id;
  }
  const detail = async (id: string) => (await send('GET', `/notifications/${id}`)).body;
  const bodies = (from: number) =>
    hook.requests.slice(from).map((r) => ({ id: r.headers['webhook-id'] as string, data: JSON.parse(r.body).data }));

  it('sends the first at once, holds the rest, and sends them as one digest when the threshold is reached', async () => {
    await team('t-threshold', { batch_threshold: 3, batch_timeout_minutes: 5 });
    const clock = { now: at('2026-06-01T12:00:00Z') };
    const w = worker(clock);
    const from = hook.requests.length;
    const first = await put('t-threshold', clock.now);
    expect(await w.drain()).toBe(1);
    expect(await detail(first)).toMatchObject({ status: 'sent', opens_window: true });

    clock.now += MIN;
    const a = await put('t-threshold', clock.now);
    const b = await put('t-threshold', clock.now);
    expect(await w.drain()).toBe(0);
    expect(await detail(a)).toMatchObject({ status: 'held', held_reason: 'digest', next_attempt_at: '2026-06-01T12:05:00.000Z' });
    const held = (await send('GET', '/notifications?status=held')).body.items;
    expect(held.map((n: { notification_id: string }) => n.notification_id).sort()).toEqual([a, b].sort());

    const c = await put('t-threshold', clock.now);
    expect(await w.drain()).toBe(1);
    const sent = bodies(from);
    expect(sent).toHaveLength(2);
    const digest = sent[1]!;
    expect(digest.data.digest).toEqual({ count: 3, notification_ids: [a, b, c].sort() });
    expect(digest.data.title).toBe('3 agents stopped');
    // Its own webhook-id, not a member's; each member says it went in it.
    expect([a, b, c]).not.toContain(digest.id);
    expect(await detail(digest.id)).toMatchObject({ status: 'sent', digest_size: 3 });
    for (const id of [a, b, c]) expect(await detail(id)).toMatchObject({ status: 'sent', digest_id: digest.id });
    const members = (await send('GET', `/notifications?digest_id=${digest.id}`)).body.items;
    expect(members).toHaveLength(3);
  });

  it('sends what waits when the window closes, a lone one as itself, and lets critical ones through', async () => {
    await team('t-window', { batch_threshold: 5, batch_timeout_minutes: 5 });
    const clock = { now: at('2026-06-02T09:00:00Z') };
    const w = worker(clock);
    const from = hook.requests.length;
    await put('t-window', clock.now);
    await w.drain();
    clock.now += 2 * MIN;
    const lone = await put('t-window', clock.now);
    const urgent = await put('t-window', clock.now, 'stop', 'critical');
    expect(await w.drain()).toBe(1);
    expect(await detail(urgent)).toMatchObject({ status: 'sent', held_reason: null });
    clock.now = at('2026-06-02T09:04:59Z');
    expect(await w.drain()).toBe(0);
    clock.now = at('2026-06-02T09:05:00Z');
    expect(await w.drain()).toBe(1);
    expect(await detail(lone)).toMatchObject({ status: 'sent', digest_id: null, held_reason: 'digest' });
    expect(bodies(from).map((b) => b.id)).toEqual([expect.any(String), urgent, lone]);
    // The window closed: the next one goes at once and opens another.
    clock.now += MIN;
    const next = await put('t-window', clock.now);
    expect(await w.drain()).toBe(1);
    expect(await detail(next)).toMatchObject({ status: 'sent', opens_window: true });
  });

  for (const [zone, start, end, night] of [
    // Clocks go forward: 23:30 EST to 08:00 EDT.
    ['America/New_York', '2026-03-08T04:30:00Z', '2026-03-08T12:00:00Z', 7.5],
    // Clocks go back: 23:30 CEST to 08:00 CET.
    ['Europe/Berlin', '2026-10-24T21:30:00Z', '2026-10-25T07:00:00Z', 9.5],
  ] as const) {
    it(`holds everything but critical ones in quiet hours (${zone}, across a daylight-saving change) and sends them as a digest at their end`, async () => {
      const teamId = `t-quiet-${zone.replace('/', '-')}`;
      await team(teamId, {
        batch_threshold: 2,
        batch_timeout_minutes: 5,
        quiet_hours: { enabled: true, start: '22:00', end: '08:00', time_zone: zone },
      });
      const clock = { now: at(start) };
      const w = worker(clock);
      const from = hook.requests.length;
      const held = [await put(teamId, clock.now), await put(teamId, clock.now), await put(teamId, clock.now, 'failure')];
      const critical = await put(teamId, clock.now, 'permission', 'critical');
      expect(await w.drain()).toBe(1);
      expect(bodies(from).map((b) => b.id)).toEqual([critical]);
      for (const id of held)
        expect(await detail(id)).toMatchObject({
          status: 'held',
          held_reason: 'quiet_hours',
          next_attempt_at: new Date(at(end)).toISOString(),
        });
      expect(at(end) - at(start)).toBe(night * 3_600_000);
      // The threshold does not end quiet hours.
      clock.now = at(end) - MIN;
      expect(await w.drain()).toBe(0);
      clock.now = at(end);
      expect(await w.drain()).toBe(2);
      const sent = bodies(from + 1);
      // The two stops as one digest, the lone failure as itself.
      expect(sent.map((b) => b.data.digest?.count ?? 1).sort()).toEqual([1, 2]);
      expect(sent.find((b) => b.id === held[2])).toBeDefined();
    });
  }

  it('moves a digest whose window ends in quiet hours to their end', async () => {
    await team('t-edge', {
      batch_threshold: 9,
      batch_timeout_minutes: 30,
      quiet_hours: { enabled: true, start: '22:00', end: '07:00', time_zone: 'UTC' },
    });
    const clock = { now: at('2026-06-03T21:50:00Z') };
    const w = worker(clock);
    await put('t-edge', clock.now);
    await w.drain();
    const later = await put('t-edge', clock.now);
    await w.drain();
    expect(await detail(later)).toMatchObject({ status: 'held', held_reason: 'digest', next_attempt_at: '2026-06-03T22:20:00.000Z' });
    clock.now = at('2026-06-03T22:20:00Z');
    expect(await w.drain()).toBe(0);
    expect(await detail(later)).toMatchObject({ status: 'held', held_reason: 'quiet_hours', next_attempt_at: '2026-06-04T07:00:00.000Z' });
    clock.now = at('2026-06-04T07:00:00Z');
    expect(await w.drain()).toBe(1);
    expect(await detail(later)).toMatchObject({ status: 'sent' });
  });

  it("fixes a digest's members before its first attempt and retries it with the same webhook-id", async () => {
    await team('t-retry', { batch_threshold: 2, batch_timeout_minutes: 10 });
    const clock = { now: at('2026-06-05T10:00:00Z') };
    const w = worker(clock);
    await put('t-retry', clock.now);
    await w.drain();
    hook.setScript([{ status: 503, body: 'busy' }, ...accepted()]);
    const from = hook.requests.length;
    const members = [await put('t-retry', clock.now), await put('t-retry', clock.now)];
    expect(await w.drain()).toBe(1);
    const digestId = bodies(from)[0]!.id;
    expect(await detail(digestId)).toMatchObject({ status: 'failed', digest_size: 2 });
    for (const id of members) expect(await detail(id)).toMatchObject({ status: 'digested', digest_id: digestId });
    const retried = await send('POST', `/notifications/${members[0]}/retry`, {});
    expect(retried.status).toBe(409);
    expect(retried.body.error).toMatchObject({ code: 'not_retryable', message: expect.stringContaining(digestId) });
    // A newcomer waits for a digest of its own.
    const newcomer = await put('t-retry', clock.now + 1000);
    clock.now += 2 * MIN;
    await w.drain();
    const again = bodies(from + 1);
    expect(again[0]!.id).toBe(digestId);
    expect(again[0]!.data.digest.notification_ids).toEqual([...members].sort());
    expect(await detail(newcomer)).toMatchObject({ status: 'held' });
    for (const id of members) expect(await detail(id)).toMatchObject({ status: 'sent' });
  });

  it('records a stale prompt without sending it', async () => {
    const id = `ntf_stale_${dialect}`;
    const now = Date.now();
    const n = {
      notificationId: id,
      executionId: null,
      teamId: 'eng',
      sessionId: 's-stale',
      eventId: null,
      eventType: 'PermissionRequest',
      channelId: 'digest-hook',
      kind: 'permission' as const,
      priority: 'normal' as const,
      message: { kind: 'permission', priority: 'normal', title: 'x', text: 'x', fields: [], context: {} } as unknown as ChannelMessage,
      eventAt: now - 30 * MIN,
      createdAt: now,
      expiresAt: now + 60 * MIN,
      status: 'stale' as const,
      error: 'stale: its event was 30 min old',
    };
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') prepareNotificationInsert(db.sqlite)(n);
    else await insertNotifications(db.pool, [n]);
    const from = hook.requests.length;
    await worker({ now: now + MIN }).drain();
    expect(bodies(from).map((b) => b.id)).not.toContain(id);
    expect(await detail(id)).toMatchObject({ status: 'stale', error: expect.stringContaining('stale') });
  });
});
