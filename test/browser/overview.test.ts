import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium, newPage, pageErrors, screenshotDir, seriousViolations } from '../support/browser.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * The dashboard in Debian's Chromium against a real hookd: the overview shows the figures
 * the API gives, keeps its filters in the URL, works by keyboard and on a phone, passes
 * axe-core, and a token bound to one team sees that team's figures only.
 */
const SECRET_KEY = 'overview-test-secret-key-0123456789abcdef';

describeInChromium('dashboard overview in Chromium', (browser) => {
  describeEachDialect('overview', (dialect) => {
    let t: TestApp;
    let base: string;
    const shots = screenshotDir();

    beforeAll(async () => {
      t = await createTestApp(dialect, { HOOKD_SECRET_KEY: SECRET_KEY });
      base = await listen(t);
      await seed('team-a', 'sa', 3, 1);
      await seed('team-b', 'sb', 5, 2);
    }, 60_000);
    afterAll(async () => t?.close());

    /** A session of `team` with `calls` Bash calls, `failures` of them failed, timestamped now. */
    async function seed(team: string, prefix: string, calls: number, failures: number): Promise<void> {
      const sid = `${prefix}-${dialect}`;
      const events: object[] = [
        { event_type: 'session_started', session_id: sid, team_id: team, data: { hook_event_name: 'SessionStart' } },
      ];
      for (let i = 0; i < calls; i++) {
        const tool_use_id = `${sid}-call-${i}`;
        events.push(
          { event_type: 'tool_execution_started', session_id: sid, team_id: team, data: { tool_name: 'Bash', tool_use_id } },
          {
            event_type: i < failures ? 'tool_execution_failed' : 'tool_execution_completed',
            session_id: sid,
            team_id: team,
            data: { tool_name: 'Bash', tool_use_id, ...(i < failures ? { error: 'exit 1' } : { tool_response: {} }) },
          },
        );
      }
      const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
      expect(res.statusCode).toBe(202);
    }

    async function apiJson<T>(url: string, token?: string): Promise<T> {
      const res = await t.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(res.statusCode, url).toBe(200);
      return res.json() as T;
    }

    /** The overview's figure by its label, as shown. */
    const figure = (page: Page, label: string) =>
      page
        .locator('.figure', { has: page.locator('.figure-label', { hasText: label }) })
        .locator('.figure-value')
        .first();

    it('shows the figures the API gives, and keeps the window in the URL across a reload', async () => {
      const { context, page } = await newPage(browser());
      try {
        await page.goto(`${base}/`);
        await expect.poll(() => page.locator('.panel-figure').textContent(), { timeout: 10_000 }).toMatch(/events in the last 1h/);
        const events = await apiJson<{ total: number }>('/stats/events?minutes=60');
        const sessions = await apiJson<{ active: number }>('/stats/sessions?since=60m');
        expect(events.total).toBe(1 + 6 + 1 + 10);
        expect(await page.locator('.panel-figure').textContent()).toContain(`${events.total} events in the last 1h`);
        expect(await figure(page, 'Active sessions').textContent()).toBe(String(sessions.active));
        // 3 of 8 tool calls failed.
        expect(await figure(page, 'Tool failure rate').textContent()).toBe('38%');
        await page.screenshot({ path: join(shots, `overview-${dialect}.png`), fullPage: true });

        await page.getByRole('radio', { name: '24h' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('24h');
        await page.reload();
        await expect.poll(() => page.locator('.panel-figure').textContent(), { timeout: 10_000 }).toMatch(/events in the last 24h/);
        expect(await page.locator('input[name="window"][value="24h"]').isChecked()).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('works by keyboard, in dark and on a phone, with no serious axe-core violation', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true, colorScheme: 'dark' });
      try {
        await page.goto(`${base}/ui?window=6h`);
        await expect.poll(() => page.locator('.panel-figure').textContent(), { timeout: 10_000 }).toMatch(/events in the last 6h/);
        // The first Tab reaches the skip link, Enter on it moves focus to the content.
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
        // Every page of the navigation can be reached and opened by keyboard alone.
        const pages = await page
          .locator('nav[aria-label="Pages"] a')
          .evaluateAll((links) => links.map((a) => (a as unknown as { pathname: string }).pathname));
        expect(pages.length).toBeGreaterThan(0);
        for (const path of pages) {
          let reached = false;
          // After a page change the focus is on the content, below the navigation: back up to it.
          const key = path === pages[0] ? 'Tab' : 'Shift+Tab';
          for (let i = 0; i < 30 && !reached; i++) {
            await page.keyboard.press(key);
            reached = (await page.evaluate(`document.activeElement?.pathname === ${JSON.stringify(path)}`)) as boolean;
          }
          expect(reached, `Tab reaches the link to ${path}`).toBe(true);
          await page.keyboard.press('Enter');
          await expect.poll(() => new URL(page.url()).pathname).toBe(path);
        }
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `overview-dark-${dialect}.png`), fullPage: true });

        await page.setViewportSize({ width: 390, height: 844 });
        await page.waitForTimeout(200);
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        expect(overflow, 'no horizontal scrolling at 390 px').toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(shots, `overview-phone-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('signs in with a team-bound token, which sees its own team only', async () => {
      const admin = await t.runtime.services.tokens.create({ scopes: ['admin'], name: 'owner' });
      const bound = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'team-a', name: 'viewer' });
      const { context, page } = await newPage(browser());
      try {
        await page.goto(`${base}/`);
        await page.getByLabel('API token').fill(bound.token);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => page.locator('.panel-figure').textContent(), { timeout: 10_000 }).toMatch(/events in the last 1h/);
        const own = await apiJson<{ total: number }>('/stats/events?minutes=60', bound.token);
        expect(own.total).toBe(1 + 6);
        expect(await page.locator('.panel-figure').textContent()).toContain(`${own.total} events in the last 1h`);
        // 1 of team-a's 3 calls failed.
        expect(await figure(page, 'Tool failure rate').textContent()).toBe('33%');
        expect(await page.locator('.badge').textContent()).toContain('team team-a');
        // Server-wide figures are not offered to a bound token.
        expect(await page.locator('.figure-label', { hasText: /^Derivation lag$/ }).count()).toBe(0);
        const cookies = await context.cookies();
        expect(cookies.find((c) => c.name === 'hookd_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
        expect(JSON.stringify(cookies)).not.toContain(bound.token);
        await page.screenshot({ path: join(shots, `overview-team-${dialect}.png`), fullPage: true });

        await page.getByRole('button', { name: 'Sign out' }).click();
        await expect.poll(() => page.getByLabel('API token').count()).toBe(1);
        expect((await context.cookies()).find((c) => c.name === 'hookd_session')).toBeUndefined();
        expect(pageErrors(page).filter((e) => !e.includes('401'))).toEqual([]);
      } finally {
        await context.close();
        await t.runtime.services.tokens.revoke(admin.record.id);
      }
      console.log(`dashboard screenshots [${dialect}]: ${shots}`);
    });

    it('sends a session-bound token to its own session, and lists no other', async () => {
      const bound = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'team-b', sessionId: `sb-${dialect}` });
      const { context, page } = await newPage(browser());
      try {
        await page.goto(`${base}/`);
        await page.getByLabel('API token').fill(bound.token);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => page.getByRole('link', { name: 'Open its session' }).count(), { timeout: 10_000 }).toBe(1);
        await page.getByRole('link', { name: 'Open its session' }).click();
        await expect.poll(() => page.locator('.entry.call').count(), { timeout: 10_000 }).toBe(5);
        await page.goto(`${base}/ui/sessions`);
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('tbody').textContent()).toContain(`sb-${dialect}`);
        expect(pageErrors(page).filter((e) => !e.includes('401'))).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
