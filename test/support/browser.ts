// Debian's Chromium driven by playwright-core, for the dashboard's browser tests. Where
// Chromium is missing the tests are skipped, and the reason is printed.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

const CANDIDATES = [process.env.HOOKD_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to drive, or why there is none. */
export function chromiumPath(): { path: string } | { missing: string } {
  for (const path of CANDIDATES) if (path && existsSync(path)) return { path };
  return { missing: `no Chromium at ${CANDIDATES.filter(Boolean).join(', ')}: install Debian's chromium package (.ci/run does)` };
}

export async function launchBrowser(): Promise<Browser> {
  const found = chromiumPath();
  if ('missing' in found) throw new Error(found.missing);
  return chromium.launch({
    executablePath: found.path,
    // As root (CI, containers) Chromium refuses to start with its sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** For axe-core only: its script is injected inline, which the dashboard's CSP forbids. */
  bypassCSP?: boolean;
}

export async function newPage(browser: Browser, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  // A page error or a failed script fails the test that looks at it.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  return { context, page };
}

/** Errors the page logged or threw so far. */
export const pageErrors = (page: Page): string[] => (page as Page & { errors?: string[] }).errors ?? [];

/** Serious and critical axe-core violations of the page as it stands. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // A string: it runs in the page, whose globals (document, axe) the test's types do not know.
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Where screenshots go: printed once, kept after the run. */
export function screenshotDir(): string {
  const dir = process.env.HOOKD_SCREENSHOTS ?? join(tmpdir(), 'hookd-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A suite with one Chromium for all its tests (`browser()` inside them); skipped, saying
 * why, where there is no Chromium.
 */
export function describeInChromium(name: string, body: (browser: () => Browser) => void): void {
  const found = chromiumPath();
  if ('missing' in found) {
    console.warn(`${name}: skipped, ${found.missing}`);
    describe.skip(`${name} (skipped: ${found.missing})`, () =>
      body(() => {
        throw new Error(found.missing);
      }));
    return;
  }
  describe(name, () => {
    let browser: Browser | null = null;
    beforeAll(async () => {
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => browser?.close());
    body(() => browser!);
  });
}
