import { createHash } from 'node:crypto';
import { isJsonObject } from './json-settings.ts';

/**
 * What `hookd install` keeps about one configuration file it edited
 * ($HOOKD_HOME/installs/), so uninstall can give the file back byte for byte: the
 * exact text from before hookd's first install, and a hash of what hookd wrote, which
 * tells whether anyone changed the file since.
 */
export interface InstallRecord {
  agent: string;
  /** The file's real path (symlinks resolved). */
  file: string;
  existed: boolean;
  /** The file's text before hookd's first install; null when there was no file. */
  before: string | null;
  /** sha256 (hex) of the text hookd wrote last. */
  written: string;
  /** Whether the file's folder existed; when not, an uninstall that deletes the file removes the folder if it is empty. */
  folderExisted: boolean;
  /** The HOOKD_URL install wrote into the file's `env`; null when none. */
  url: string | null;
}

/** How uninstall treats a file, given its text now and the record. */
export type UninstallPlan =
  /** hookd's own output, unchanged: write back the text from before install. */
  | { kind: 'restore'; text: string }
  /** hookd's own output, unchanged, of a file install created: delete it. */
  | { kind: 'delete' }
  /** Changed since, or no record: remove hookd's part and keep the rest. */
  | { kind: 'strip' }
  | { kind: 'missing' };

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One record per file: the agent for a person reading the folder, a hash of the path to tell files apart. */
export function installRecordName(agent: string, realPath: string): string {
  return `${agent}-${textHash(realPath).slice(0, 16)}.json`;
}

export function serializeInstallRecord(record: InstallRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** A record hookd can trust, or null: a damaged one is treated as none, which only costs the byte-exact undo. */
export function parseInstallRecord(text: string): InstallRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isJsonObject(value)) return null;
  const { agent, file, existed, before, written, folderExisted, url } = value;
  if (typeof agent !== 'string' || typeof file !== 'string' || typeof existed !== 'boolean') return null;
  if (!(typeof before === 'string' || (before === null && !existed))) return null;
  if (typeof written !== 'string' || !/^[0-9a-f]{64}$/.test(written)) return null;
  if (typeof folderExisted !== 'boolean' || !(typeof url === 'string' || url === null)) return null;
  return { agent, file, existed, before, written, folderExisted, url };
}

/** Whether the file holds exactly what hookd wrote last. */
export function isHookdOutput(current: string | null, record: InstallRecord | null): record is InstallRecord {
  return record !== null && current !== null && textHash(current) === record.written;
}

/**
 * What a new record keeps as the file's state before install: a re-install over hookd's
 * own unchanged output keeps the original; over a changed file (or one without a record)
 * it is the file as it is now without hookd's part, which `strip` gives.
 */
export function recordedBefore(
  current: string | null,
  record: InstallRecord | null,
  folderExisted: boolean,
  strip: (text: string) => string,
): Pick<InstallRecord, 'existed' | 'before' | 'folderExisted'> {
  if (isHookdOutput(current, record)) return { existed: record.existed, before: record.before, folderExisted: record.folderExisted };
  if (current === null) return { existed: false, before: null, folderExisted };
  return { existed: true, before: strip(current), folderExisted: true };
}

export function uninstallPlan(current: string | null, record: InstallRecord | null): UninstallPlan {
  if (current === null) return { kind: 'missing' };
  if (!isHookdOutput(current, record)) return { kind: 'strip' };
  return record.existed && record.before !== null ? { kind: 'restore', text: record.before } : { kind: 'delete' };
}
