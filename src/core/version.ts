import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** hookd's version, from package.json at the package root (src/ and dist/ are both one level below lib/). */
export function version(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  cached = pkg.version;
  return cached;
}
