import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The built dashboard (dist/web, written by `npm run build`, which `npm test` runs first):
 * the JavaScript a first visit loads stays within 150 KB gzipped, and nothing is fetched
 * from another host, so it works offline.
 */
const WEB = resolve(import.meta.dirname, '../../dist/web');
const BUDGET_BYTES = 150 * 1024;

describe('the built dashboard', () => {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');

  it('loads at most 150 KB of gzipped JavaScript at first', () => {
    const initial = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    expect(initial.length).toBeGreaterThan(0);
    const sizes = initial.map((path) => gzipSync(readFileSync(join(WEB, path)), { level: 9 }).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`dashboard initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (${initial.join(', ')})`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('refers to nothing outside hookd itself', () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.filter((r) => !r.startsWith('/') && !r.startsWith('data:'))).toEqual([]);
    for (const file of readdirSync(join(WEB, 'assets')).filter((f) => f.endsWith('.css'))) {
      const css = readFileSync(join(WEB, 'assets', file), 'utf8');
      expect(css.match(/url\((?!["']?data:)[^)]*\)|@import/g) ?? [], file).toEqual([]);
    }
  });
});
