// hookd's secret key: signs dashboard session cookies and encrypts stored secrets (see
// secret-box.ts). Every use derives its own key from it with HKDF, so no two purposes ever
// share a key and changing HOOKD_SECRET_KEY invalidates all of them at once.
//
// It is one key, or a key ring for rotation: `k2:<base64>,k1:<base64>`, the first being
// the current key (the one that encrypts) and the others kept to decrypt what they sealed.
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from './app-error.ts';
import type { StorageKind } from './config.ts';

/** Shorter than this, a key could be guessed; `openssl rand -base64 32` prints 44 characters. */
export const MIN_SECRET_KEY_LENGTH = 32;
/** Fewest bytes a key of a key ring must decode to. */
export const MIN_RING_KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';
/** The id of a key given alone (not as a key ring). */
export const DEFAULT_KEY_ID = 'default';
/** What a key ring's ids must match. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export interface SecretKey {
  /** Where it came from, for the log and errors; never the key. */
  origin: 'environment' | 'file';
  /** The ids of the keys held, the current key (the one that encrypts) first. */
  readonly ids: readonly string[];
  /** 32 bytes for `purpose` under the current key, the same for every process that holds the same key. */
  derive(purpose: string): Buffer;
  /** 32 bytes for `purpose` under the key `keyId`; a ConfigError for an id not held. */
  deriveFor(keyId: string, purpose: string): Buffer;
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
 * Either holds one key (id `default`) or a key ring (`id:base64,...`, the current key first).
 */
export function loadSecretKey(source: SecretKeySource): SecretKey | null {
  if (source.secretKey !== undefined) {
    const ring = parseKeyRing(source.secretKey, 'HOOKD_SECRET_KEY');
    if (ring) return secretKey('environment', ring);
    if (source.secretKey.length < MIN_SECRET_KEY_LENGTH) {
      throw new ConfigError(
        `HOOKD_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (generate one with 'openssl rand -base64 32')`,
      );
    }
    return secretKey('environment', [{ id: DEFAULT_KEY_ID, material: Buffer.from(source.secretKey, 'utf8') }]);
  }
  if (source.storage !== 'sqlite') return null;
  return secretKey('file', readOrCreateKeyFile(join(source.home, SECRET_KEY_FILE)));
}

interface RingKey {
  id: string;
  /** The HKDF input: a single key's UTF-8 bytes (as hookd always took them), a ring key's decoded bytes. */
  material: Buffer;
}

/** One item of a key ring: `id:base64`, the id anything but ':' here (checked after, to name a bad one). */
const RING_ITEM = /^([^:]*):([A-Za-z0-9+/_-]+={0,2})$/;

/**
 * The keys of `value` when it is a key ring (every comma-separated item `id:base64`), else
 * null: a single key. A ring with a bad item is refused naming the item's position and,
 * when it is a valid one, its id: never any key material.
 */
function parseKeyRing(value: string, where: string): RingKey[] | null {
  const items = value.split(',').map((item) => item.trim());
  const matches: RegExpExecArray[] = [];
  for (const item of items) {
    const match = RING_ITEM.exec(item);
    if (!match) return null;
    matches.push(match);
  }
  const keys: RingKey[] = [];
  const refuse = (position: number, id: string | null, problem: string): ConfigError =>
    new ConfigError(
      `${where}: key ${position} of the key ring${id === null ? '' : ` ('${id}')`} ${problem} ` +
        `(a key ring is 'id:base64,id:base64', the current key first; generate a key with 'openssl rand -base64 32')`,
    );
  for (const [index, match] of matches.entries()) {
    const position = index + 1;
    const id = match[1]!;
    const encoded = match[2]!;
    if (!KEY_ID_PATTERN.test(id)) {
      throw refuse(position, null, "has an id that is not 1 to 32 letters, digits, '_' or '-'");
    }
    if (keys.some((key) => key.id === id)) throw refuse(position, id, 'repeats an id used before it');
    const material = decodeBase64(encoded);
    if (!material) throw refuse(position, id, 'is not valid base64');
    if (material.length < MIN_RING_KEY_BYTES) {
      throw refuse(position, id, `decodes to ${material.length} bytes: a key needs at least ${MIN_RING_KEY_BYTES}`);
    }
    keys.push({ id, material });
  }
  return keys;
}

/** Standard or url-safe base64, padded or not; null when it is not base64 (Node's decoder would skip what it cannot read). */
function decodeBase64(text: string): Buffer | null {
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1 || body.includes('=')) return null;
  if (body.length < text.length && text.length % 4 !== 0) return null;
  return Buffer.from(body.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

function secretKey(origin: SecretKey['origin'], keys: readonly RingKey[]): SecretKey {
  const materials = new Map(keys.map((key) => [key.id, key.material]));
  const cache = new Map<string, Map<string, Buffer>>();
  const ids = Object.freeze(keys.map((key) => key.id));
  const current = ids[0]!;
  const deriveFor = (keyId: string, purpose: string): Buffer => {
    const material = materials.get(keyId);
    if (!material) {
      throw new ConfigError(`secret key '${keyId}' is not in ${origin === 'environment' ? 'HOOKD_SECRET_KEY' : 'the secret key file'}`);
    }
    let derived = cache.get(keyId);
    if (!derived) {
      derived = new Map();
      cache.set(keyId, derived);
    }
    let key = derived.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), `hookd ${purpose}`, 32));
      derived.set(purpose, key);
    }
    return key;
  };
  return {
    origin,
    ids,
    derive: (purpose) => deriveFor(current, purpose),
    deriveFor,
  };
}

function readOrCreateKeyFile(path: string): RingKey[] {
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

function readKeyFile(path: string): RingKey[] {
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
    const ring = parseKeyRing(text, path);
    if (ring) return ring;
    if (text.length < MIN_SECRET_KEY_LENGTH) {
      throw new ConfigError(`${path} holds fewer than ${MIN_SECRET_KEY_LENGTH} characters: delete it to have a new one made, or fix it`);
    }
    return [{ id: DEFAULT_KEY_ID, material: Buffer.from(text, 'utf8') }];
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
