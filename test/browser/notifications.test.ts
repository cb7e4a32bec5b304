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

interface ListedNotification {
  notification_id: string;
  status: string;
  title: string;
}

/**
 * The notifications page in Debian's Chromium against a real `hookd serve` (SQLite) and a
 * real webhook receiver: a rule's notification refused by the receiver goes dead, the page
 * shows it and the receiver's answer, Retry delivers it again under the same webhook-id,
 * and the channels view tests the channel. SQLite alone: the page reads the same API on
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
  });
});
