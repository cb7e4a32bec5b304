// hookd's secret key: signs dashboard session cookies (and, later, encrypts stored
// secrets). Every use derives its own key from it with HKDF, so no two purposes ever share
// a key and rotating HOOKD_SECRET_KEY invalidates all of them at once.
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from './app-error.ts';
import type { StorageKind } from './config.ts';

/** Shorter than this, a key could be guessed; `openssl rand -base64 32` prints 44 characters. */
export const MIN_SECRET_KEY_LENGTH = 32;
export const SECRET_KEY_FILE = 'secret.key';

export interface SecretKey {
  /** Where it came from, for the log and errors; never the key. */
  origin: 'environment' | 'file';
  /** 32 bytes for `purpose`, the same for every process that holds the same key. */
  derive(purpose: string): Buffer;
}

export interface SecretKeySource {
  storage: StorageKind;
  home: string;
  /** HOOKD_SECRET_KEY, when set. */
  secretKey: string | undefined;
}

/**
 * HOOKD_SECRET_KEY when set; else, on SQLite, `$HOOKD_HOME/secret.key`, created with mode
 * 0600 on first use and refused when group or others may read it. On PostgreSQL, where
 * several hosts share one database, a key file on one host would sign cookies the others
 * refuse: without the environment variable there is no key (null), and what needs one says so.
 */
export function loadSecretKey(source: SecretKeySource): SecretKey | null {
  if (source.secretKey !== undefined) {
    if (source.secretKey.length < MIN_SECRET_KEY_LENGTH) {
      throw new ConfigError(
        `HOOKD_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (generate one with 'openssl rand -base64 32')`,
      );
    }
    return secretKey('environment', Buffer.from(source.secretKey, 'utf8'));
  }
  if (source.storage !== 'sqlite') return null;
  return secretKey('file', readOrCreateKeyFile(join(source.home, SECRET_KEY_FILE)));
}

function secretKey(origin: SecretKey['origin'], material: Buffer): SecretKey {
  const cache = new Map<string, Buffer>();
  return {
    origin,
    derive(purpose) {
      let key = cache.get(purpose);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), `hookd ${purpose}`, 32));
        cache.set(purpose, key);
      }
      return key;
    },
  };
}

function readOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) createKeyFile(path);
  return readKeyFile(path);
}

/**
 * Writes a new key whole under a name of its own, then links it into place: link() fails
 * when the key file exists, so two processes starting together never both make one, and
 * neither ever reads one still empty or half written (as opening it 'wx' and then writing
 * would let the other do). The loser of the race reads the winner's.
 */
function createKeyFile(path: string): void {
  let temporary: string | null = null;
  try {
    const name = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(name, 'wx', 0o600);
    temporary = name;
    try {
      // The umask may have narrowed the mode; say 0600 exactly.
      fchmodSync(fd, 0o600);
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(name, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyFileError(path, error);
  } finally {
    if (temporary) rmSync(temporary, { force: true });
  }
}

function readKeyFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw keyFileError(path, error);
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (mode & 0o077) {
      throw new ConfigError(
        `${path} may be read by group or others (mode ${mode.toString(8).padStart(4, '0')}): run 'chmod 600 ${path}' or set HOOKD_SECRET_KEY`,
      );
    }
    let text: string;
    try {
      text = readFileSync(fd, 'utf8').trim();
    } catch (error) {
      throw keyFileError(path, error);
    }
    if (text.length < MIN_SECRET_KEY_LENGTH) {
      throw new ConfigError(`${path} holds fewer than ${MIN_SECRET_KEY_LENGTH} characters: delete it to have a new one made, or fix it`);
    }
    return Buffer.from(text, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function keyFileError(path: string, error: unknown): ConfigError {
  return new ConfigError(`cannot use the secret key file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
}

/** loadSecretKey on first call, the same answer (or error) after: tests and one-shot commands never touch the file. */
export function secretKeyLoader(source: SecretKeySource): () => SecretKey | null {
  let loaded: { key: SecretKey | null } | { error: unknown } | null = null;
  return () => {
    if (!loaded) {
      try {
        loaded = { key: loadSecretKey(source) };
      } catch (error) {
        loaded = { error };
      }
    }
    if ('error' in loaded) throw loaded.error;
    return loaded.key;
  };
}
