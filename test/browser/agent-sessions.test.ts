import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInChromium, newPage, pageErrors, screenshotDir, seriousViolations } from '../support/browser.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * Sessions of Claude Code, Codex and Gemini CLI replayed through their hook endpoints, then
 * read in Debian's Chromium: the session page draws the subagent tree and marks the turn
 * error and the denied call, the tree works by keyboard and its choice survives a reload,
 * the sessions list names each session's agent and filters by it, and axe-core finds no
 * serious violation.
 */
const CLAUDE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const CODEX_SESSION = '0199a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b';
const GEMINI_SESSION = 'c0ffee00-1111-4222-8333-444455556666';

const lines = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/agent-sessions/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describeInChromium('agent sessions in Chromium', (browser) => {
  describeEachDialect('agent sessions', (dialect) => {
    let t: TestApp;
    let base: string;
    const shots = screenshotDir();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      base = await listen(t);
      // A few minutes ago, one second apart, as emit would stamp them.
      const start = Date.now() - 10 * 60_000;
      await replay('claude-code', lines('claude-code-every-event.jsonl'), (i) => ({ 'x-hookd-timestamp': String(start + i * 1000) }));
      await replay('codex', lines('codex-session.jsonl'), (i) => ({ 'x-hookd-timestamp': String(start + 60_000 + i * 1000) }));
      // Gemini CLI's payloads carry their own times; emit pairs its tool calls, here given as the header it sets.
      const paired = new Set(['BeforeTool', 'AfterTool']);
      await replay(
        'gemini-cli',
        lines('gemini-session.jsonl'),
        (_, event): Record<string, string> => (paired.has(event.hook_event_name as string) ? { 'x-hookd-tool-use-id': 'gem-call-1' } : {}),
      );
    }, 60_000);
    afterAll(async () => t?.close());

    async function replay(
      source: string,
      events: Record<string, unknown>[],
      headers: (i: number, event: Record<string, unknown>) => Record<string, string>,
    ): Promise<void> {
      for (const [i, event] of events.entries()) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/hooks/${source}`,
          headers: { ...JSON_HEADERS, 'x-hookd-event-id': `${source}-${i}`, ...headers(i, event) },
          payload: JSON.stringify(event),
        });
        expect(res.statusCode, JSON.stringify(event)).toBe(200);
      }
    }

    it("draws the Claude Code session's subagent tree and marks its turn error and denied call", async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/sessions/${CLAUDE_SESSION}`);
        await expect.poll(() => page.locator('.entry.call').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
        expect(await page.locator('.page-head').textContent()).toContain('Claude Code');

        const banner = page.locator('.turn-error');
        expect(await banner.textContent()).toContain('Turn ended in error: rate_limit — 429 Too Many Requests');
        const figure = (label: string) =>
          page.locator('.figure', { has: page.locator('.figure-label', { hasText: label }) }).locator('.figure-value');
        expect(await figure('Permission denials').textContent()).toBe('1');
        expect(await figure('Stop failures').textContent()).toBe('1');

        // The subagent hangs under the Agent call that started it, under the main agent.
        const tree = page.getByRole('tree', { name: 'Agents of this session' });
        const levels = await tree
          .getByRole('treeitem')
          .evaluateAll((items) => items.map((item) => `${item.getAttribute('aria-level')} ${item.getAttribute('data-key')}`));
        expect(levels).toEqual(['1 main', '2 c:toolu_01AG', '3 a:agent_9b1']);
        const main = tree.getByRole('treeitem', { name: /Main agent/ });
        expect(await main.getAttribute('aria-selected')).toBe('true');
        expect(await main.textContent()).toContain('2 calls, 0 failed, 1 denied');
        const call = tree.getByRole('treeitem', { name: /toolu_01AG/ });
        const agent = tree.getByRole('treeitem', { name: /agent_9b1/ });
        const agentText = await agent.textContent();
        for (const shown of ['Explore', 'finished', '3.0 s', '1 call, 0 failed', '18.3k tokens', 'claude-haiku-4-5']) {
          expect(agentText).toContain(shown);
        }

        // The denied call is marked apart from calls that ran and failed.
        const denied = page.locator('.entry.call.denied');
        expect(await denied.count()).toBe(1);
        expect(await denied.locator('.chip').textContent()).toBe('denied');
        expect(await denied.textContent()).toContain('git push --force origin main');
        expect(await page.locator('.entry.call .chip').allTextContents()).not.toContain('failed');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `agent-session-${dialect}.png`), fullPage: true });

        // By keyboard: one Tab stop, arrows down to the subagent, Enter narrows the calls to it.
        await main.focus();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        expect(await agent.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
        await page.keyboard.press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('agent')).toBe('agent_9b1');
        await expect.poll(() => page.locator('.entry.call').count()).toBe(1);
        expect(await page.locator('.entry.call').textContent()).toContain('Grep');
        expect(await page.locator('.entry.prompt').count()).toBe(0);
        await page.reload();
        await expect.poll(() => page.locator('.entry.call').count(), { timeout: 10_000 }).toBe(1);
        expect(await agent.getAttribute('aria-selected')).toBe('true');
        expect(await agent.getAttribute('tabindex')).toBe('0');
        // Left goes up to the call, again closes it; Right opens it again.
        await agent.focus();
        await page.keyboard.press('ArrowLeft');
        expect(await call.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
        await page.keyboard.press('ArrowLeft');
        expect(await call.getAttribute('aria-expanded')).toBe('false');
        expect(await agent.count()).toBe(0);
        await page.keyboard.press('ArrowRight');
        expect(await call.getAttribute('aria-expanded')).toBe('true');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `agent-session-narrowed-${dialect}.png`), fullPage: true });

        await page.getByRole('button', { name: 'Show every call' }).click();
        await expect.poll(() => new URL(page.url()).searchParams.has('agent')).toBe(false);
        await expect.poll(() => page.locator('.entry.call').count()).toBeGreaterThanOrEqual(3);

        // A session without subagents has no tree; the Codex one has a subagent whose call is not known.
        await page.goto(`${base}/ui/sessions/${GEMINI_SESSION}`);
        await expect.poll(() => page.locator('.entry.call').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('.page-head').textContent()).toContain('Gemini CLI');
        expect(await page.getByRole('tree').count()).toBe(0);
        expect(await page.locator('.turn-error').count()).toBe(0);
        await page.goto(`${base}/ui/sessions/${CODEX_SESSION}`);
        await expect.poll(() => page.getByRole('treeitem', { name: /sub_1/ }).count(), { timeout: 10_000 }).toBe(1);
        expect(await page.getByRole('treeitem', { name: /sub_1/ }).getAttribute('aria-level')).toBe('2');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('reads well in dark on a phone', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true, colorScheme: 'dark', width: 390, height: 844 });
      try {
        await page.goto(`${base}/ui/sessions/${CLAUDE_SESSION}`);
        await expect.poll(() => page.getByRole('treeitem').count(), { timeout: 10_000 }).toBe(3);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `agent-session-dark-phone-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('names each session’s agent in the list, filters by it and keeps the filter across a reload', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/sessions`);
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
        expect((await page.locator('tbody .agent-badge').allTextContents()).sort()).toEqual(['Claude Code', 'Codex', 'Gemini CLI']);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `agent-sessions-${dialect}.png`), fullPage: true });

        await page.getByLabel('Agent').selectOption({ label: 'Codex' });
        await expect.poll(() => new URL(page.url()).searchParams.get('agent')).toBe('codex');
        await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
        expect(await page.locator('tbody tr').textContent()).toContain('Codex');
        expect(await page.locator('tbody tr a').getAttribute('title')).toBe(CODEX_SESSION);

        await page.reload();
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.getByLabel('Agent').inputValue()).toBe('codex');
        expect(await page.locator('tbody tr a').getAttribute('title')).toBe(CODEX_SESSION);
        expect(await seriousViolations(page)).toEqual([]);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
