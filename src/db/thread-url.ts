import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The URL of a worker-thread entry file beside the caller (`from` is its import.meta.url):
 * `.ts` when running from sources (tests), `.js` from dist/ (installed).
 */
export function threadUrl(from: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(from))}`, from);
}
