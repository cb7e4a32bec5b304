import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file whole under a temporary name and renames it into place: a reader (a
 * service manager, an agent starting a session) sees the old file or the new one, and a
 * file of secrets never exists, even for a moment, with a mode wider than `mode`. Without
 * a mode the new file gets the umask's.
 */
export async function writeFileAtomically(file: string, text: string, mode?: number): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.hookd-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode ?? 0o666);
  try {
    await handle.writeFile(text);
    // The creation mode passed through the umask; this sets it exactly.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}
