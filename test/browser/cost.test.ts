import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moneyText } from '../../web/src/money.ts';
import { tokenText } from '../../web/src/time.ts';
import { describeInChromium, newPage, pageErrors, screenshotDir, seriousViolations } from '../support/browser.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * What the agents cost, in Debian's Chromium against a real hookd on both storages. Usage
 * is posted as the OTLP receiver stores it (canonical `usage_reported` events) for two
 * projects, four models and two UTC days:
 *
 * | session            | project | agent       | when          | model                      | figures |
 * |--------------------|---------|-------------|---------------|----------------------------|---------|
 * | the Claude session | billing | claude-code | 5 min ago     | claude-sonnet-4-5-20250929 | 1000 in, 200 out, 5000 cache read, 300 cache write, $0.05 reported |
 * |                    |         |             | 4 min ago     | claude-haiku-4-5           | 1M in, 100k out: priced $1.50 |
 * | beta               | beta    | codex       | 3 days ago    | gpt-5-codex                | 2M in: priced $2.50 |
 * |                    |         |             |               | mystery-model              | 10 in, 5 out: no price, 15 unpriced tokens |
 * | gamma              | gamma   | claude-code | now           | none                       | no usage at all |
 *
 * The Claude session is replayed through its hook endpoint first, so its page also has a
 * subagent whose own tokens the tree prices. The cost page shows the API's totals and
 * groups, keeps its period, grouping and filters across a reload, and says how to get
 * figures while there are none; the overview shows the cost of the last 24 hours, the
 * session page its cost and tokens and a table per prompt, and the sessions list a cost
 * column. axe-core finds no serious violation on any of them.
 */
const CLAUDE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const BETA_SESSION = 'beta-codex-session';
const GAMMA_SESSION = 'gamma-no-usage';
const SONNET_PROMPT = '4e1f9a2b-7c3d-4e5f-8a6b-9c0d1e2f3a4b';
const HAIKU_PROMPT = 'prm_01J9ZC7Q4K';

interface Figures {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
  unpriced_tokens: number;
  requests: number;
  sessions: number;
}
interface CostReport {
  items: (Figures & { key: string | null })[];
  totals: Figures;
  prices_as_of: string;
}

const lines = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/agent-sessions/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describeInChromium('cost in Chromium', (browser) => {
  describeEachDialect('cost', (dialect) => {
    let t: TestApp;
    let base: string;
    let seeded: Promise<void> | null = null;
    const shots = screenshotDir();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      base = await listen(t);
    }, 60_000);
    afterAll(async () => t?.close());

    async function send(events: object[]): Promise<void> {
      const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
      expect(res.statusCode, res.body).toBe(202);
    }

    /** The usage above, once, for the tests that need it (the first test wants none). */
    function seed(): Promise<void> {
      seeded ??= (async () => {
        const now = Date.now();
        for (const [i, event] of lines('claude-code-every-event.jsonl').entries()) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/hooks/claude-code',
            headers: { ...JSON_HEADERS, 'x-hookd-event-id': `claude-${i}`, 'x-hookd-timestamp': String(now - 10 * 60_000 + i * 1000) },
            payload: JSON.stringify(event),
          });
          expect(res.statusCode, JSON.stringify(event)).toBe(200);
        }
        const event = (session: string, source: string, id: string, type: string, at: number, data: object, team?: string) => ({
          event_type: type,
          event_id: id,
          session_id: session,
          source,
          ...(team ? { team_id: team } : {}),
          timestamp: new Date(at).toISOString(),
          data,
        });
        const request = (session: string, source: string, id: string, at: number, data: object, team?: string) =>
          event(session, source, `telemetry:${id}`, 'usage_reported', at, { origin: 'telemetry', request_id: id, ...data }, team);
        const threeDaysAgo = now - 3 * 86_400_000;
        await send([
          request(CLAUDE_SESSION, 'claude-code', 'req-sonnet', now - 5 * 60_000, {
            prompt_id: SONNET_PROMPT,
            model: 'claude-sonnet-4-5-20250929',
            input_tokens: 1000,
            output_tokens: 200,
            cache_read_tokens: 5000,
            cache_creation_tokens: 300,
            cost_usd: 0.05,
          }),
          request(CLAUDE_SESSION, 'claude-code', 'req-haiku', now - 4 * 60_000, {
            prompt_id: HAIKU_PROMPT,
            model: 'claude-haiku-4-5',
            input_tokens: 1_000_000,
            output_tokens: 100_000,
            cache_read_tokens: 0,
            cache_creation_tokens: 0,
          }),
          event(BETA_SESSION, 'codex', 'beta-start', 'session_started', threeDaysAgo - 60_000, { cwd: '/home/bo/src/beta' }, 'team-b'),
          request(
            BETA_SESSION,
            'codex',
            'req-codex',
            threeDaysAgo,
            { prompt_id: 'turn-1', model: 'gpt-5-codex', input_tokens: 2_000_000 },
            'team-b',
          ),
          request(
            BETA_SESSION,
            'codex',
            'req-mystery',
            threeDaysAgo + 1000,
            { prompt_id: 'turn-1', model: 'mystery-model', input_tokens: 10, output_tokens: 5 },
            'team-b',
          ),
          event(GAMMA_SESSION, 'claude-code', 'gamma-start', 'session_started', now, { cwd: '/home/ana/src/gamma' }),
        ]);
      })();
      return seeded;
    }

    async function apiJson<T>(url: string): Promise<T> {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      return res.json() as T;
    }

    /** A figure's value by its exact label, as shown. */
    const figure = (page: Page, label: string) =>
      page
        .locator('.figure', { has: page.locator('.figure-label', { hasText: new RegExp(`^${label}$`) }) })
        .locator('.figure-value')
        .first();

    /** The cost page's table: each row's name and cost, as shown. */
    const costRows = (page: Page) =>
      page.locator('table.cost tbody tr').evaluateAll((rows) =>
        rows.map((row) => {
          const cells = row.querySelectorAll('th, td');
          return [cells[0]?.textContent ?? '', cells[1]?.textContent ?? ''];
        }),
      );

    it('says how to get figures while there are none', async () => {
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/cost`);
        const empty = page.getByRole('region', { name: 'No token usage in the last 7 days' });
        await expect.poll(() => empty.count(), { timeout: 10_000 }).toBe(1);
        const text = await empty.textContent();
        expect(text).toContain('hookd install claude-code --url URL --telemetry');
        expect(text).toContain('docs/telemetry.md');
        expect(text).toContain('transcript');
        expect(await page.locator('nav[aria-label="Pages"] a[aria-current="page"]').textContent()).toBe('Cost');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `cost-empty-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('shows the totals, the days and the groups the API gives, and keeps its choices across a reload', async () => {
      await seed();
      const week = await apiJson<CostReport>('/analytics/cost?group_by=day&since=7d');
      const byModel = await apiJson<CostReport>('/analytics/cost?group_by=model&since=7d');
      // Reported $0.05, Haiku's $1 + $0.50 and gpt-5's $2.50 per million; the mystery model unpriced.
      expect(week.totals).toMatchObject({ cost_usd: 4.05, unpriced_tokens: 15, requests: 4, sessions: 2 });
      expect(week.items).toHaveLength(2);

      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/cost`);
        await expect.poll(() => figure(page, 'Cost').textContent(), { timeout: 10_000 }).toBe('$4.05');
        expect(await figure(page, 'Cost').textContent()).toBe(moneyText(week.totals.cost_usd));
        expect(await figure(page, 'Input tokens').textContent()).toBe(tokenText(week.totals.input_tokens));
        expect(await figure(page, 'Output tokens').textContent()).toBe(tokenText(week.totals.output_tokens));
        expect(await figure(page, 'Cache read tokens').textContent()).toBe('5k');
        expect(await figure(page, 'Cache write tokens').textContent()).toBe('300');
        expect(await figure(page, 'Requests').textContent()).toBe('4');
        expect(await figure(page, 'Sessions').textContent()).toBe('2');
        expect(await figure(page, 'Unpriced tokens').textContent()).toBe('15');
        expect(await page.locator('.figure', { hasText: 'Unpriced tokens' }).textContent()).toContain('not in the cost');
        expect(await page.locator('.prices').textContent()).toContain(`Prices as of ${week.prices_as_of}`);

        // By model, biggest cost first, as the API lists them.
        await expect.poll(() => costRows(page)).toEqual(byModel.items.map((g) => [g.key, moneyText(g.cost_usd)]));
        expect(byModel.items.map((g) => g.key)).toEqual(['gpt-5-codex', 'claude-haiku-4-5', 'claude-sonnet-4-5-20250929', 'mystery-model']);

        // Every day of the week, the two with usage at the API's cost.
        await page.getByText('Figures per day').click();
        const days = await page
          .locator('.per-day tbody tr')
          .evaluateAll((rows) =>
            rows.map((row) => [row.querySelector('th')?.textContent ?? '', row.querySelector('td')?.textContent ?? '']),
          );
        expect(days.length).toBeGreaterThanOrEqual(7);
        for (const day of week.items) expect(days).toContainEqual([day.key, moneyText(day.cost_usd)]);
        expect(await page.locator('.chart canvas').count()).toBe(1);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `cost-${dialect}.png`), fullPage: true });

        // By project, then the last 24 hours only: the Claude session's billing alone.
        await page.getByRole('radio', { name: 'Project' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('by')).toBe('project');
        const byProject = await apiJson<CostReport>('/analytics/cost?group_by=project&since=7d');
        await expect.poll(() => costRows(page)).toEqual(byProject.items.map((g) => [g.key, moneyText(g.cost_usd)]));
        expect(byProject.items.map((g) => [g.key, g.cost_usd])).toEqual([
          ['beta', 2.5],
          ['billing', 1.55],
        ]);
        await page.getByRole('radio', { name: '24h' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('24h');
        const day = await apiJson<CostReport>('/analytics/cost?group_by=project&since=24h');
        expect(day.totals).toMatchObject({ cost_usd: 1.55, requests: 2, sessions: 1, unpriced_tokens: 0 });
        await expect.poll(() => figure(page, 'Cost').textContent()).toBe(moneyText(day.totals.cost_usd));
        await expect.poll(() => costRows(page)).toEqual([['billing', '$1.55']]);

        // An agent and a project narrow it; a reload keeps every choice.
        await page.locator('select[name="agent"]').selectOption('claude-code');
        await expect.poll(() => new URL(page.url()).searchParams.get('agent')).toBe('claude-code');
        await page.reload();
        await expect.poll(() => costRows(page), { timeout: 10_000 }).toEqual([['billing', '$1.55']]);
        expect(await page.getByRole('radio', { name: '24h' }).isChecked()).toBe(true);
        expect(await page.getByRole('radio', { name: 'Project' }).isChecked()).toBe(true);
        expect(await page.locator('select[name="agent"]').inputValue()).toBe('claude-code');
        expect(await figure(page, 'Cost').textContent()).toBe('$1.55');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `cost-narrowed-${dialect}.png`), fullPage: true });

        const project = page.getByRole('searchbox', { name: 'Project' });
        await project.fill('beta');
        await project.press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('project')).toBe('beta');
        await expect.poll(() => page.getByText('No token usage matches these filters in the last 24 hours.').count()).toBe(1);
        // A project's row narrows the page to it, keeping the period.
        await page.goto(`${base}/ui/cost?range=30d&by=project`);
        await page.getByRole('link', { name: 'beta' }).click();
        await expect.poll(() => new URL(page.url()).search).toBe('?range=30d&project=beta');
        await expect.poll(() => figure(page, 'Cost').textContent()).toBe('$2.50');
        expect(await figure(page, 'Unpriced tokens').textContent()).toBe('15');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('reads well in dark on a phone', async () => {
      await seed();
      const { context, page } = await newPage(browser(), { bypassCSP: true, colorScheme: 'dark', width: 390, height: 844 });
      try {
        await page.goto(`${base}/ui/cost?by=team`);
        await expect
          .poll(() => costRows(page), { timeout: 10_000 })
          .toEqual([
            ['team-b', '$2.50'],
            ['(no team)', '$1.55'],
          ]);
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        expect(overflow, 'no horizontal scrolling at 390 px: the tables scroll in their own box').toBeLessThanOrEqual(0);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `cost-dark-phone-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it("shows the last 24 hours' cost on the overview, linking to the cost page", async () => {
      await seed();
      const day = await apiJson<CostReport>('/analytics/cost?since=24h');
      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/`);
        const cost = figure(page, 'Cost today \\(last 24 h\\)');
        await expect.poll(() => cost.textContent(), { timeout: 10_000 }).toBe(moneyText(day.totals.cost_usd));
        expect(await cost.textContent()).toBe('$1.55');
        const card = page.locator('.figure', { hasText: 'Cost today' });
        expect(await card.textContent()).toContain('2 model requests: 1M tokens in, 100k out');
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `overview-cost-${dialect}.png`), fullPage: true });
        await card.getByRole('link').click();
        await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe('/ui/cost?range=24h');
        await expect.poll(() => figure(page, 'Cost').textContent(), { timeout: 10_000 }).toBe('$1.55');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it("shows a session's cost, its cost per prompt and its subagent's, and the list's cost column", async () => {
      await seed();
      const detail = await apiJson<
        Figures & {
          usage: { prompt_id: string | null; model: string | null; requests: number; cost_usd: number }[];
          agents: { agent_id: string; cost_usd: number | null }[];
        }
      >(`/sessions/${CLAUDE_SESSION}`);
      expect(detail).toMatchObject({ cost_usd: 1.55, input_tokens: 1_001_000, output_tokens: 100_200, unpriced_tokens: 0 });
      expect(detail.usage.map((u) => [u.prompt_id, u.model])).toEqual([
        [SONNET_PROMPT, 'claude-sonnet-4-5-20250929'],
        [HAIKU_PROMPT, 'claude-haiku-4-5'],
      ]);
      const subagentCost = detail.agents.find((a) => a.agent_id === 'agent_9b1')?.cost_usd;
      expect(subagentCost).toEqual(expect.any(Number));

      const { context, page } = await newPage(browser(), { bypassCSP: true });
      try {
        await page.goto(`${base}/ui/sessions/${CLAUDE_SESSION}`);
        await expect.poll(() => figure(page, 'Cost').textContent(), { timeout: 10_000 }).toBe('$1.55');
        expect(await figure(page, 'Tokens in').textContent()).toBe('1M');
        expect(await figure(page, 'Tokens out').textContent()).toBe('100k');
        expect(await figure(page, 'Cache tokens').textContent()).toBe('5k');
        expect(await page.locator('.figure', { hasText: 'Cache tokens' }).textContent()).toContain('300 written');

        const table = page.getByRole('table', { name: /Tokens and cost of each prompt/ });
        const rows = await table.locator('tbody tr').evaluateAll((trs) =>
          trs.map((tr) => {
            const cells = [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '');
            return [cells[0], cells[1], cells[3], cells[8]];
          }),
        );
        // The prompt id shortened, the model, the requests and the cost, as the API gives them.
        expect(rows).toEqual(
          detail.usage.map((u) => [
            u.prompt_id!.length > 13 ? `${u.prompt_id!.slice(0, 8)}…` : u.prompt_id,
            u.model,
            '1',
            moneyText(u.cost_usd),
          ]),
        );
        expect(rows.map((r) => r[0])).toEqual(['4e1f9a2b…', 'prm_01J9…']);
        expect(await table.locator('tfoot').textContent()).toContain('$1.55');
        expect(await table.locator('tbody th code').first().getAttribute('title')).toBe(SONNET_PROMPT);

        // The subagent's share, at its model's price, in the tree.
        const agent = page.getByRole('treeitem', { name: /agent_9b1/ });
        expect(await agent.textContent()).toContain(moneyText(subagentCost));
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `session-cost-${dialect}.png`), fullPage: true });

        // A session without usage shows nothing of it.
        await page.goto(`${base}/ui/sessions/${GAMMA_SESSION}`);
        await expect.poll(() => figure(page, 'Events').textContent(), { timeout: 10_000 }).toBe('1');
        expect(await figure(page, 'Cost').count()).toBe(0);
        expect(await page.getByRole('heading', { name: 'Cost by prompt' }).count()).toBe(0);

        // The list: each session's cost, blank without usage; unpriced tokens marked.
        await page.goto(`${base}/ui/sessions`);
        await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
        const costs = await page
          .locator('tbody tr')
          .evaluateAll((trs) =>
            trs.map((tr) => [tr.querySelector('a')?.getAttribute('title') ?? '', tr.querySelector('td:last-child')?.textContent ?? '']),
          );
        expect(Object.fromEntries(costs)).toEqual({
          [CLAUDE_SESSION]: '$1.55',
          [BETA_SESSION]: '$2.50*, not counting tokens of models without a price',
          [GAMMA_SESSION]: '',
        });
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `sessions-cost-${dialect}.png`), fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
