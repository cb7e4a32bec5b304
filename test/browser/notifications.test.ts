import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { describeInChromium, newPage, pageErrors, screenshotDir, seriousViolations } from '../support/browser.ts';
import { type HookdProcess, runHookd, startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { startReceiver, type WebhookReceiver } from '../support/receivers.ts';

const TEAM = 'eng';
const SESSION = 'notify-ui-session-1';
const CHANNEL = 'ops-hook';
const RULES = {
  team_name: 'Engineering',
  rules: [
    {
      rule_id: 'permission',
      name: 'Permission prompts',
      hook_types: ['PermissionRequest'],
      channels: [CHANNEL],
      priority: 'critical',
      conditions: { logic: 'and', conditions: [] },
    },
  ],
};
// As Claude Code sends it (test/fixtures/claude-code/PermissionRequest.json).
const PERMISSION_REQUEST = {
  session_id: SESSION,
  transcript_path: `/home/ana/.claude/projects/-home-ana-src-billing/${SESSION}.jsonl`,
  cwd: '/home/ana/src/billing',
  permission_mode: 'default',
  hook_event_name: 'PermissionRequest',
  tool_name: 'Bash',
  tool_input: { command: 'git push origin fix/rounding', description: 'Push the branch' },
};
const REFUSAL = 'bad payload: this receiver wants a field the message lacks';
// A second team whose agents' stops are batched: the first goes at once and opens a
// 30-minute window, the next ones are held until it closes or 3 wait.
const DIGEST_TEAM = 'design';
const DIGEST_CHANNEL = 'design-hook';
// A third, in quiet hours for the whole test: what it sends waits for their end.
const QUIET_TEAM = 'night';
const QUIET_CHANNEL = 'night-hook';
const stopsTo = (channel: string) => ({
  rule_id: 'stops',
  name: 'Agent stopped',
  hook_types: ['Stop'],
  channels: [channel],
  conditions: { logic: 'and', conditions: [] },
});
// As Claude Code sends it (test/fixtures/claude-code/Stop.json).
const stop = (session: string) => ({
  session_id: session,
  transcript_path: `/home/ana/.claude/projects/-home-ana-src-billing/${session}.jsonl`,
  cwd: '/home/ana/src/billing',
  permission_mode: 'default',
  hook_event_name: 'Stop',
  stop_hook_active: false,
  last_assistant_message: 'Done.',
});
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

interface ListedNotification {
  notification_id: string;
  status: string;
  title: string;
  channel: string;
  held_reason: string | null;
  next_attempt_at: string | null;
  opens_window: boolean;
  digest_id: string | null;
  digest_size: number;
}

/**
 * The notifications page in Debian's Chromium against a real `hookd serve` (SQLite) and a
 * real webhook receiver: a rule's notification refused by the receiver goes dead, the page
 * shows it and the receiver's answer, Retry delivers it again under the same webhook-id,
 * and the channels view tests the channel; notifications held for a digest or for quiet
 * hours are shown with why and when they go, and a digest with what it carries. SQLite alone: the page reads the same API on
 * both storages, whose outbox the integration tests cover on each.
 */
describeInChromium('notifications page in Chromium', (browser) => {
  describe('notifications [sqlite]', () => {
    const secret = newWebhookSecret();
    const shots = screenshotDir();
    let home: string;
    let receiver: WebhookReceiver;
    let hookd: HookdProcess;
    let token: string;
    let deadId: string;

    async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${hookd.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      expect(res.ok, `${method} ${path}: ${res.status} ${text}`).toBe(true);
      return (text ? JSON.parse(text) : null) as T;
    }
    const list = async (query: string) => (await call<{ items: ListedNotification[] }>('GET', `/notifications${query}`)).items;

    beforeAll(async () => {
      receiver = await startReceiver({ kind: 'webhook', secret });
      home = mkdtempSync(join(tmpdir(), 'hookd-notify-ui-'));
      // A token exists before the server starts: the dashboard asks to sign in.
      const created = await runHookd(['token', 'create', '--scope', 'admin', '--name', 'dashboard-test', '--json'], { HOOKD_HOME: home });
      expect(created.code, created.stderr).toBe(0);
      token = JSON.parse(created.stdout).token;
      hookd = await startHookd({ env: { HOOKD_HOME: home, HOOKD_NOTIFY_ALLOW_PRIVATE: 'true' } });

      await call('POST', '/channels', { channel_id: CHANNEL, kind: 'webhook', url: `${receiver.url}hookd`, secret, team_id: TEAM });
      await call('PUT', `/teams/${TEAM}/configuration`, { configuration: RULES });
      // The receiver refuses the first delivery for good: a 400 is permanent, so it is dead at once.
      receiver.setScript([{ status: 400, headers: { 'content-type': 'text/plain' }, body: REFUSAL }]);
      await call('POST', '/hooks/claude-code', PERMISSION_REQUEST, { 'x-hookd-team': TEAM, 'x-hookd-project': 'billing' });
      // The rules run and the worker delivers within a second or so.
      let dead: ListedNotification[] = [];
      for (const deadline = Date.now() + 15_000; dead.length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        dead = await list('?status=dead');
      }
      expect(
        dead.map((n) => n.title),
        'the refused notification is dead',
      ).toEqual(['Permission requested: Bash']);
      deadId = dead[0]!.notification_id;
      expect(receiver.webhookIds().get(deadId)).toBe(1);
    }, 60_000);
    afterAll(async () => {
      await stopAllHookd();
      await receiver?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    async function signIn(page: Page): Promise<void> {
      await page.goto(`${hookd.url}/`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('.figure-label').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    /** The overview's figure by its label, as shown. */
    const figure = (page: Page, label: string) =>
      page
        .locator('.figure', { has: page.locator('.figure-label', { hasText: label }) })
        .locator('.figure-value')
        .first();
    // Before signing in, GET /auth/session answers 401: the browser logs it; nothing else may be.
    const signedInErrors = (page: Page) => pageErrors(page).filter((e) => !e.includes('401'));
    const overflow = async (page: Page) => (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;

    it('shows the dead notification and its answer, and Retry delivers it with the same webhook-id', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await signIn(page);
        await expect.poll(() => figure(page, 'Dead notifications').textContent(), { timeout: 10_000 }).toBe('1');
        expect(await figure(page, 'Notifications waiting').textContent()).toBe('0');
        await page.screenshot({ path: join(shots, 'notifications-overview-sqlite.png'), fullPage: true });

        // By keyboard: g then n opens the page.
        await page.evaluate('document.activeElement?.blur()');
        await page.keyboard.press('g');
        await page.keyboard.press('n');
        await expect.poll(() => new URL(page.url()).pathname).toBe('/ui/notifications');
        const rows = page.locator('table.queue tbody tr');
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
        const row = await rows.first().textContent();
        for (const shown of ['dead', 'permission', 'critical', CHANNEL, 'Permission requested: Bash', '400']) expect(row).toContain(shown);

        // The status filter is kept in the URL, across a reload.
        await page.getByLabel('Status').selectOption('dead');
        await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('dead');
        await page.reload();
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
        expect(await page.getByLabel('Status').inputValue()).toBe('dead');
        await page.getByLabel('Status').selectOption('sent');
        await expect.poll(() => page.getByText('No notification matches these filters.').count()).toBe(1);
        await page.getByLabel('Status').selectOption('');
        await expect.poll(() => rows.count()).toBe(1);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notifications-sqlite.png'), fullPage: true });

        // Its detail: the message, and the attempt with what the receiver answered.
        await page.getByRole('link', { name: 'Permission requested: Bash' }).click();
        await expect.poll(() => new URL(page.url()).pathname).toBe(`/ui/notifications/${deadId}`);
        await expect.poll(() => page.locator('.attempt').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('.attempt').textContent()).toContain('status 400');
        expect(await page.locator('.attempt pre').textContent()).toBe(REFUSAL);
        expect(await page.locator('.message-text').textContent()).toContain('git push origin fix/rounding');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-dead-sqlite.png'), fullPage: true });

        // The receiver now takes it (its default: 200 to a good signature).
        await page.getByRole('button', { name: 'Retry' }).click();
        await expect.poll(() => page.locator('.outcome.ok').textContent(), { timeout: 10_000 }).toContain('Sending it again');
        await expect.poll(() => page.locator('.head-actions .chip').textContent(), { timeout: 15_000 }).toBe('sent');
        await expect.poll(() => page.locator('.attempt').count(), { timeout: 10_000 }).toBe(2);
        expect(await page.locator('.attempt').nth(1).textContent()).toContain('status 200');
        expect(await page.getByRole('button', { name: 'Retry' }).count(), 'a sent notification is not retried').toBe(0);
        await page.screenshot({ path: join(shots, 'notification-sent-sqlite.png'), fullPage: true });

        const deliveries = receiver.requests.filter((r) => r.headers['webhook-id'] === deadId);
        expect(deliveries.length, 'the second delivery carries the same webhook-id').toBe(2);
        expect(deliveries.map((r) => r.verified)).toEqual([true, true]);
        expect((await call<{ status: string }>('GET', `/notifications/${deadId}`)).status).toBe('sent');

        // The session's page lists it.
        await page.goto(`${hookd.url}/ui/sessions/${SESSION}`);
        const link = page.locator('.notification-list a', { hasText: 'Permission requested: Bash' });
        await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
        expect(await link.getAttribute('href')).toBe(`/ui/notifications/${deadId}`);
        await page.screenshot({ path: join(shots, 'notifications-session-sqlite.png'), fullPage: true });
        expect(signedInErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('shows the channel, and Send test reports the delivery and the answer', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await signIn(page);
        await page.goto(`${hookd.url}/ui/notifications?view=channels`);
        const card = page.locator('.channel-card', { has: page.getByRole('heading', { name: CHANNEL }) });
        await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
        const text = await card.textContent();
        for (const shown of ['webhook', 'active', TEAM, `${receiver.url.replace(/\/$/, '')}`]) expect(text).toContain(shown);
        expect(text, 'the URL is shown redacted').not.toContain(`${receiver.url}hookd`);

        const before = receiver.requests.length;
        await card.getByRole('button', { name: 'Send test' }).click();
        await expect
          .poll(() => card.locator('.test-result .outcome').textContent(), { timeout: 15_000 })
          .toMatch(/^Delivered \(status 200, /);
        expect(receiver.requests.length).toBe(before + 1);
        expect(receiver.requests.at(-1)!.verified).toBe(true);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-channels-sqlite.png'), fullPage: true });

        // Pause with a reason, shown highlighted; resume.
        await card.getByRole('button', { name: 'Pause' }).click();
        await card.getByLabel('Reason (shown with the channel)').fill('maintenance window');
        await card.getByRole('button', { name: `Pause ${CHANNEL}` }).click();
        await expect.poll(() => card.locator('.paused-note').textContent(), { timeout: 10_000 }).toContain('maintenance window');
        expect((await call<{ paused: boolean }>('GET', `/channels/${CHANNEL}`)).paused).toBe(true);
        await card.getByRole('button', { name: 'Resume' }).click();
        await expect.poll(() => card.locator('.paused-note').count(), { timeout: 10_000 }).toBe(0);
        expect((await call<{ paused: boolean }>('GET', `/channels/${CHANNEL}`)).paused).toBe(false);
        expect(signedInErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('fits a phone in dark, with no horizontal scrolling at 390 px', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true, colorScheme: 'dark', width: 390, height: 844 });
      try {
        await signIn(page);
        await page.goto(`${hookd.url}/ui/notifications`);
        await expect.poll(() => page.locator('table.queue tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await overflow(page), 'queue: no horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notifications-phone-sqlite.png'), fullPage: true });

        await page.getByRole('radio', { name: 'Channels' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('channels');
        await expect.poll(() => page.locator('.channel-card').count(), { timeout: 10_000 }).toBe(1);
        expect(await overflow(page), 'channels: no horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(shots, 'notification-channels-phone-sqlite.png'), fullPage: true });

        await page.goto(`${hookd.url}/ui/notifications/${deadId}`);
        await expect.poll(() => page.locator('.attempt').count(), { timeout: 10_000 }).toBe(2);
        expect(await overflow(page), 'detail: no horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-phone-sqlite.png'), fullPage: true });
        expect(signedInErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
      console.log(`notifications screenshots: ${shots}`);
    });

    // Last: the notifications it makes would change what the tests above count.
    it('shows held notifications with why and when they go, and a digest with what it carries', async () => {
      const now = Date.now();
      // Quiet hours from an hour ago to two hours from now (UTC): they end at quietEnd.
      const quietEnd = Math.floor((now + 2 * 3_600_000) / 60_000) * 60_000;
      await call('POST', '/channels', {
        channel_id: DIGEST_CHANNEL,
        kind: 'webhook',
        url: `${receiver.url}digest`,
        secret,
        team_id: DIGEST_TEAM,
      });
      await call('POST', '/channels', {
        channel_id: QUIET_CHANNEL,
        kind: 'webhook',
        url: `${receiver.url}night`,
        secret,
        team_id: QUIET_TEAM,
      });
      await call('PUT', `/teams/${DIGEST_TEAM}/configuration`, {
        configuration: {
          team_name: 'Design',
          notification_preferences: { batch_threshold: 3, batch_timeout_minutes: 30 },
          rules: [stopsTo(DIGEST_CHANNEL)],
        },
      });
      await call('PUT', `/teams/${QUIET_TEAM}/configuration`, {
        configuration: {
          team_name: 'Night shift',
          notification_preferences: {
            batch_threshold: 3,
            batch_timeout_minutes: 30,
            quiet_hours: { enabled: true, start: hhmm(now - 3_600_000), end: hhmm(quietEnd), time_zone: 'UTC' },
          },
          rules: [stopsTo(QUIET_CHANNEL)],
        },
      });
      const fire = (team: string, session: string) =>
        call('POST', '/hooks/claude-code', stop(session), { 'x-hookd-team': team, 'x-hookd-project': 'billing' });
      /** The notifications of a channel once `done` holds for them (the rules and the worker take a second or so). */
      async function until(channel: string, done: (items: ListedNotification[]) => boolean): Promise<ListedNotification[]> {
        let items: ListedNotification[] = [];
        for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
          items = await list(`?channel=${channel}&limit=500`);
          if (done(items)) return items;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`${channel}: not reached in 15 s: ${JSON.stringify(items.map((n) => [n.status, n.held_reason]))}`);
      }

      // The first stop goes at once and opens the window; the next two are held for it.
      await fire(DIGEST_TEAM, 'notify-ui-stop-1');
      const [opener] = await until(DIGEST_CHANNEL, (items) => items.some((n) => n.status === 'sent'));
      expect(opener).toMatchObject({ opens_window: true, held_reason: null });
      await fire(DIGEST_TEAM, 'notify-ui-stop-2');
      await fire(DIGEST_TEAM, 'notify-ui-stop-3');
      const digestHeld = (await until(DIGEST_CHANNEL, (items) => items.filter((n) => n.status === 'held').length === 2)).filter(
        (n) => n.status === 'held',
      );
      for (const n of digestHeld) expect(n).toMatchObject({ held_reason: 'digest', next_attempt_at: expect.any(String) });
      const windowEnd = digestHeld[0]!.next_attempt_at!;
      await fire(QUIET_TEAM, 'notify-ui-stop-night');
      const [quiet] = await until(QUIET_CHANNEL, (items) => items.some((n) => n.status === 'held'));
      expect(quiet).toMatchObject({ held_reason: 'quiet_hours', next_attempt_at: new Date(quietEnd).toISOString() });

      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await signIn(page);
        await expect.poll(() => figure(page, 'Held notifications').textContent(), { timeout: 10_000 }).toBe('3');
        const heldCard = page.locator('.figure a', { hasText: 'Held notifications' });
        expect(await heldCard.getAttribute('href')).toBe('/ui/notifications?status=held');
        expect(await heldCard.textContent()).toContain('the first goes in');
        await page.screenshot({ path: join(shots, 'notifications-overview-held-sqlite.png'), fullPage: true });

        // The held section: one group per channel and reason, each saying why and when it goes.
        await heldCard.click();
        await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('held');
        const held = page.locator('article.held');
        await expect.poll(() => held.locator('.held-group').count(), { timeout: 10_000 }).toBe(2);
        expect(await held.getByRole('heading').textContent()).toBe('Held (3)');
        // Quiet hours end in two hours, the window in thirty minutes: the window's group is first.
        const [digestGroup, quietGroup] = [held.locator('.held-group').nth(0), held.locator('.held-group').nth(1)];
        // The window's length and the threshold come from the team's preferences, read next.
        await expect.poll(() => digestGroup.textContent(), { timeout: 10_000 }).toContain('within the 30-minute window');
        const digestText = (await digestGroup.textContent())!;
        for (const shown of [
          `2 stop notifications → ${DIGEST_CHANNEL}`,
          `team ${DIGEST_TEAM}`,
          'digest',
          'Waiting for more within the 30-minute window',
        ])
          expect(digestText).toContain(shown);
        expect(digestText).toMatch(/to go as one digest: goes at .+? \(in (29|30) min\), or sooner once 3 wait\./);
        expect(await digestGroup.locator('.held-why time').getAttribute('datetime')).toBe(windowEnd);
        expect(await digestGroup.locator('.held-items a').count()).toBe(2);
        await expect.poll(() => quietGroup.textContent(), { timeout: 10_000 }).toContain(', UTC)');
        const quietText = (await quietGroup.textContent())!;
        for (const shown of [`1 stop notification → ${QUIET_CHANNEL}`, `team ${QUIET_TEAM}`, 'quiet hours'])
          expect(quietText).toContain(shown);
        expect(quietText).toContain(`Held through the team's quiet hours (${hhmm(now - 3_600_000)}–${hhmm(quietEnd)}, UTC): goes at`);
        expect(quietText).toMatch(/goes at .+? \(in (1 h 5\d min|2 h)\), when they end\./);
        expect(await quietGroup.locator('.held-why time').getAttribute('datetime')).toBe(quiet!.next_attempt_at);

        // The queue below lists them with their reason and time; the chip says what held means.
        const rows = page.locator('table.queue tbody tr');
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
        const quietRow = rows.filter({ hasText: QUIET_CHANNEL });
        expect(await quietRow.textContent()).toMatch(/quiet hours: goes at .+? \(in /);
        expect(await quietRow.locator('.chip').first().getAttribute('title')).toBe('held: waiting for the quiet hours of its team to end');
        expect(await rows.filter({ hasText: DIGEST_CHANNEL }).first().textContent()).toMatch(/digest: goes at .+? \(in (29|30) min\)/);
        // Every status is offered, as the server names them.
        expect(await page.getByLabel('Status').locator('option').allTextContents()).toEqual([
          'any',
          'new',
          'pending',
          'held',
          'digested',
          'sending',
          'failed',
          'sent',
          'dead',
          'stale',
        ]);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notifications-held-sqlite.png'), fullPage: true });

        // A held one's page says the same.
        await page.goto(`${hookd.url}/ui/notifications/${digestHeld[0]!.notification_id}`);
        const facts = page.locator('.facts').first();
        await expect.poll(() => facts.textContent(), { timeout: 10_000 }).toContain('Waiting for more within the 30-minute window');
        expect(await facts.locator(`time[datetime="${windowEnd}"]`).count()).toBe(1);
        expect(await page.locator('.head-actions .chip').textContent()).toBe('held');
        expect(await page.locator('#attempts-title + p').textContent()).toBe('Not tried yet: it is held until the time above.');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-held-sqlite.png'), fullPage: true });

        // A third one waiting makes the threshold: the three go as one digest, sent at once.
        await fire(DIGEST_TEAM, 'notify-ui-stop-4');
        const members = (
          await until(DIGEST_CHANNEL, (items) => items.filter((n) => n.digest_id !== null && n.status === 'sent').length === 3)
        ).filter((n) => n.digest_id !== null);
        const digestId = members[0]!.digest_id!;
        expect(members.every((n) => n.digest_id === digestId)).toBe(true);
        const delivered = receiver.requests.filter((r) => r.headers['webhook-id'] === digestId);
        expect(delivered.length, 'the digest is delivered once, under its own webhook-id').toBe(1);
        const carried = JSON.parse(delivered[0]!.body).data.digest as { count: number; notification_ids: string[] };
        expect(carried.count).toBe(3);
        expect([...carried.notification_ids].sort()).toEqual(members.map((n) => n.notification_id).sort());

        // The digest's page lists what it carries, each linking to its own page.
        await page.goto(`${hookd.url}/ui/notifications/${digestId}`);
        await expect.poll(() => page.locator('#members-title').textContent(), { timeout: 10_000 }).toBe('Carries 3 notifications');
        const memberItems = page.locator('.digest-members li');
        await expect.poll(() => memberItems.count(), { timeout: 10_000 }).toBe(3);
        expect(
          (await memberItems.locator('a[href^="/ui/notifications/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort(),
        ).toEqual(members.map((n) => `/ui/notifications/${n.notification_id}`).sort());
        expect(await memberItems.locator('.chip').allTextContents()).toEqual(['sent', 'sent', 'sent']);
        expect(await page.locator('h1').textContent()).toBe('3 agents stopped');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-digest-sqlite.png'), fullPage: true });

        // A member links back to its digest.
        await memberItems.locator('a[href^="/ui/notifications/"]').first().click();
        await expect.poll(() => new URL(page.url()).pathname).not.toBe(`/ui/notifications/${digestId}`);
        const back = page.locator('.facts a.digest-link');
        await expect.poll(() => back.count(), { timeout: 10_000 }).toBe(1);
        expect(await back.getAttribute('href')).toBe(`/ui/notifications/${digestId}`);
        expect(await back.textContent()).toBe('3 agents stopped');
        expect(await page.locator('.facts').first().textContent()).toContain('Sent in digest');
        expect(await page.locator('.facts').first().textContent()).toMatch(/Was held\s*for its digest window/);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, 'notification-digest-member-sqlite.png'), fullPage: true });

        // Only the quiet-hours one is held now.
        await page.goto(`${hookd.url}/ui/notifications`);
        await expect.poll(() => page.locator('article.held .held-group').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('article.held').textContent()).toContain('quiet hours');
        const digestRow = page.locator('table.queue tbody tr').filter({ hasText: '3 agents stopped' });
        expect(await digestRow.textContent()).toContain('digest of 3');
        expect(signedInErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }

      // On a phone, the held section fits without sideways scrolling.
      const phone = await newPage(browser(), { bypassCSP: true, colorScheme: 'dark', width: 390, height: 844 });
      try {
        await signIn(phone.page);
        await phone.page.goto(`${hookd.url}/ui/notifications?status=held`);
        await expect.poll(() => phone.page.locator('article.held .held-group').count(), { timeout: 10_000 }).toBe(1);
        expect(await overflow(phone.page), 'held: no horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
        expect(await seriousViolations(phone.page)).toEqual([]);
        await phone.page.screenshot({ path: join(shots, 'notifications-held-phone-sqlite.png'), fullPage: true });
      } finally {
        await phone.context.close();
      }
    }, 120_000);
  });
});
