import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The URL of a worker-thread entry file in src/db: `.ts` when running from sources
 * (tests), `.js` from dist/ (installed).
 */
export function threadUrl(name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
}
