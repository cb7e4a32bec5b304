import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium, newPage, pageErrors, screenshotDir, seriousViolations } from '../support/browser.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * The live, sessions and session pages in Debian's Chromium against a real hookd: events
 * sent during the test arrive on the live page, pausing loses none, filters survive a
 * reload, the session page shows the calls the API has, and each page passes axe-core.
 */
describeInChromium('dashboard pages in Chromium', (browser) => {
  describeEachDialect('pages', (dialect) => {
    let t: TestApp;
    let base: string;
    const shots = screenshotDir();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      base = await listen(t);
    }, 60_000);
    afterAll(async () => t?.close());

    async function send(events: object[]): Promise<void> {
      const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
      expect(res.statusCode).toBe(202);
    }

    const start = (sid: string, project: string, branch: string) => ({
      event_type: 'session_started',
      session_id: sid,
      data: { hook_event_name: 'SessionStart', cwd: `/home/dev/${project}`, model: 'claude-test-1', _hookd: { git_branch: branch } },
    });
    const call = (sid: string, n: number, tool: string, failed = false, agentId?: string) => {
      const id = `${sid}-${n}`;
      const agent = agentId ? { agent_id: agentId, agent_type: 'Explore' } : {};
      return [
        {
          event_type: 'tool_execution_started',
          session_id: sid,
          data: { tool_name: tool, tool_use_id: id, tool_input: { command: `step ${n}` }, ...agent },
        },
        {
          event_type: failed ? 'tool_execution_failed' : 'tool_execution_completed',
          session_id: sid,
          data: {
            tool_name: tool,
            tool_use_id: id,
            ...(failed ? { error: `boom ${n}` } : { tool_response: { stdout: `out ${n}` } }),
            ...agent,
          },
        },
      ];
    };

    it('shows events sent while it is open, and pausing loses none', async () => {
      const sid = `live-${dialect}`;
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/live`);
        await expect.poll(() => page.locator('.stream-status').textContent(), { timeout: 10_000 }).toBe('Live');
        await send([start(sid, 'alpha', 'main'), ...call(sid, 1, 'Bash')]);
        await expect.poll(() => page.locator('.row').count(), { timeout: 10_000 }).toBe(3);
        await expect.poll(() => page.locator('.lane').count()).toBe(1);

        await page.getByRole('button', { name: 'Pause' }).click();
        await expect.poll(() => page.locator('.stream-status').textContent()).toBe('Paused');
        await send(call(sid, 2, 'Read'));
        await page.waitForTimeout(500);
        expect(await page.locator('.row').count(), 'paused: the view stands still').toBe(3);
        await page.getByRole('button', { name: 'Resume' }).click();
        await expect.poll(() => page.locator('.row').count(), { timeout: 10_000 }).toBe(5);
        expect(await page.locator('.row').first().textContent()).toContain('tool_execution_completed');

        // A text filter keeps the URL; after a reload the backlog comes back filtered.
        await page.getByLabel('Text').fill('Read');
        await page.getByLabel('Text').press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('Read');
        await expect.poll(() => page.locator('.row').count()).toBe(2);
        await page.reload();
        await expect.poll(() => page.locator('.row').count(), { timeout: 10_000 }).toBe(2);
        expect(await page.getByLabel('Text').inputValue()).toBe('Read');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `live-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('lists sessions by filter, and a session page shows its calls with their outcome', async () => {
      const a = `list-a-${dialect}`;
      const b = `list-b-${dialect}`;
      await send([start(a, 'alpha', 'main'), ...call(a, 1, 'Bash', true), ...call(a, 2, 'Grep', false, 'agent-1')]);
      await send([start(b, 'beta', 'dev'), ...call(b, 1, 'Bash')]);
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/sessions?failures=yes`);
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('tbody tr').first().textContent()).toContain('alpha');
        await page.getByLabel('Failures').selectOption('');
        await expect.poll(() => new URL(page.url()).searchParams.get('failures')).toBe(null);
        await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
        await page.getByLabel('Branch').fill('dev');
        await page.getByLabel('Branch').press('Enter');
        await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
        await page.reload();
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.getByLabel('Branch').inputValue()).toBe('dev');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `sessions-${dialect}.png`), fullPage: true });

        await page.goto(`${base}/ui/sessions/${a}`);
        await expect.poll(() => page.locator('.entry.call').count(), { timeout: 10_000 }).toBe(2);
        const api = (await t.app.inject({ url: `/sessions/${a}` })).json() as { tool_uses: { tool_name: string; status: string }[] };
        expect(await page.locator('.entry.call .chip').allTextContents()).toEqual(api.tool_uses.map((u) => u.status));
        expect(await page.locator('.call-error').textContent()).toBe('boom 1');
        // The subagent's call is nested under it.
        expect(await page.locator('.entry.agent .entry.call').count()).toBe(1);
        await page.getByRole('button', { name: /Bash/ }).click();
        await expect.poll(() => page.locator('.call-detail pre').first().textContent(), { timeout: 10_000 }).toContain('step 1');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `session-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
