/**
 * A file name for a key of any characters (a session id, a transcript's path), for the
 * small state files emit keeps under $HOOKD_HOME: FNV-1a and the key's length.
 * node:crypto is too slow to load for it in a hook.
 */
export function fileKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${hash.toString(16).padStart(8, '0')}-${text.length}`;
}
