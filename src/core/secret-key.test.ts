import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './app-error.ts';
import { loadSecretKey, MIN_SECRET_KEY_LENGTH, SECRET_KEY_FILE, secretKeyLoader } from './secret-key.ts';

const ENV_KEY = 'an-environment-key-of-more-than-32-characters';

describe('the secret key', () => {
  const homes: string[] = [];
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-secret-key-'));
    homes.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = (dir: string, secretKey?: string) => ({ storage: 'sqlite' as const, home: dir, secretKey });
  const refusal = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('creates $HOOKD_HOME/secret.key with mode 0600 and at least 32 characters, and nothing beside it', () => {
    const dir = home();
    const key = loadSecretKey(sqlite(dir));
    expect(key?.origin).toBe('file');
    const path = join(dir, SECRET_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim().length).toBeGreaterThanOrEqual(MIN_SECRET_KEY_LENGTH);
    // The file is written under another name and linked into place: no leftover.
    expect(readdirSync(dir)).toEqual([SECRET_KEY_FILE]);
  });

  it('makes the mode 0600 whatever the umask', () => {
    const dir = home();
    const previous = process.umask(0);
    try {
      loadSecretKey(sqlite(dir));
    } finally {
      process.umask(previous);
    }
    expect(statSync(join(dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('refuses a home that does not exist, naming the file, and makes nothing (serve makes the home first)', () => {
    const dir = join(home(), 'missing');
    const error = refusal(() => loadSecretKey(sqlite(dir)));
    expect(error.message).toContain(join(dir, SECRET_KEY_FILE));
    expect(error.message).toContain('ENOENT');
    expect(existsSync(dir)).toBe(false);
  });

  it('reads the same key on a second load, and two loaders derive the same key per purpose and another per purpose', () => {
    const dir = home();
    const first = loadSecretKey(sqlite(dir))!;
    const content = readFileSync(join(dir, SECRET_KEY_FILE), 'utf8');
    const second = loadSecretKey(sqlite(dir))!;
    expect(readFileSync(join(dir, SECRET_KEY_FILE), 'utf8')).toBe(content);
    const a = first.derive('dashboard session cookie');
    expect(a).toHaveLength(32);
    expect(second.derive('dashboard session cookie').equals(a)).toBe(true);
    // Cached, but stable.
    expect(first.derive('dashboard session cookie').equals(a)).toBe(true);
    expect(second.derive('dashboard csrf').equals(a)).toBe(false);
    expect(first.derive('dashboard csrf').equals(second.derive('dashboard csrf'))).toBe(true);
    // Another home is another key.
    expect(loadSecretKey(sqlite(home()))!.derive('dashboard session cookie').equals(a)).toBe(false);
  });

  it('several processes starting together on a fresh home all end up with the one key', async () => {
    const dir = home();
    const script =
      `import { loadSecretKey } from ${JSON.stringify(new URL('./secret-key.ts', import.meta.url).href)};` +
      "process.stdout.write(loadSecretKey({ storage: 'sqlite', home: process.argv[1], secretKey: undefined }).derive('race').toString('hex'));";
    const runs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk) => (out += chunk));
            child.stderr.on('data', (chunk) => (err += chunk));
            child.on('close', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    for (const run of runs) expect(run.code, run.err).toBe(0);
    expect(new Set(runs.map((r) => r.out)).size).toBe(1);
    expect(runs[0]!.out).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dir)).toEqual([SECRET_KEY_FILE]);
    expect(loadSecretKey(sqlite(dir))!.derive('race').toString('hex')).toBe(runs[0]!.out);
  });

  it('the loader loads once and answers the same after, errors included', () => {
    const dir = home();
    const load = secretKeyLoader(sqlite(dir));
    expect(readdirSync(dir)).toEqual([]);
    const key = load();
    expect(load()).toBe(key);

    const bad = home();
    writeFileSync(join(bad, SECRET_KEY_FILE), 'short\n', { mode: 0o600 });
    const failing = secretKeyLoader(sqlite(bad));
    const first = refusal(failing);
    // Fixing the file does not change a loaded answer: serve checks it once, at start.
    writeFileSync(join(bad, SECRET_KEY_FILE), `${'x'.repeat(40)}\n`);
    expect(refusal(failing)).toBe(first);
  });

  for (const mode of [0o644, 0o640, 0o604]) {
    it(`refuses a key file of mode 0${mode.toString(8)}, naming the file and chmod 600`, () => {
      const dir = home();
      loadSecretKey(sqlite(dir));
      const path = join(dir, SECRET_KEY_FILE);
      chmodSync(path, mode);
      const error = refusal(() => loadSecretKey(sqlite(dir)));
      expect(error.message).toContain(path);
      expect(error.message).toContain(`chmod 600 ${path}`);
      expect(error.message).toContain(`0${mode.toString(8)}`);
    });
  }

  it('accepts a key file the owner alone may read (0400)', () => {
    const dir = home();
    const path = join(dir, SECRET_KEY_FILE);
    writeFileSync(path, `${'k'.repeat(44)}\n`, { mode: 0o400 });
    chmodSync(path, 0o400);
    expect(loadSecretKey(sqlite(dir))?.origin).toBe('file');
  });

  it('refuses a key file shorter than 32 characters, and an empty one', () => {
    for (const content of ['x'.repeat(MIN_SECRET_KEY_LENGTH - 1), '', `   ${'y'.repeat(20)}   \n`]) {
      const dir = home();
      const path = join(dir, SECRET_KEY_FILE);
      writeFileSync(path, content, { mode: 0o600 });
      const error = refusal(() => loadSecretKey(sqlite(dir)));
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/fewer than 32 characters/);
    }
  });

  it('refuses a HOOKD_SECRET_KEY shorter than 32 characters, naming openssl rand', () => {
    for (const storage of ['sqlite', 'postgres'] as const) {
      const error = refusal(() => loadSecretKey({ storage, home: home(), secretKey: 'x'.repeat(MIN_SECRET_KEY_LENGTH - 1) }));
      expect(error.message).toContain('HOOKD_SECRET_KEY');
      expect(error.message).toContain('openssl rand -base64 32');
      expect(error.message).not.toContain('x'.repeat(MIN_SECRET_KEY_LENGTH - 1));
    }
    expect(loadSecretKey({ storage: 'postgres', home: home(), secretKey: 'x'.repeat(MIN_SECRET_KEY_LENGTH) })?.origin).toBe('environment');
  });

  it('prefers HOOKD_SECRET_KEY to the file, and neither reads nor makes one then', () => {
    const dir = home();
    // Even a file that would be refused is not looked at.
    writeFileSync(join(dir, SECRET_KEY_FILE), 'short', { mode: 0o644 });
    chmodSync(join(dir, SECRET_KEY_FILE), 0o644);
    const fromEnv = loadSecretKey(sqlite(dir, ENV_KEY))!;
    expect(fromEnv.origin).toBe('environment');

    const empty = home();
    const again = loadSecretKey(sqlite(empty, ENV_KEY))!;
    expect(readdirSync(empty)).toEqual([]);
    // The same variable is the same key on every host and storage.
    const onPostgres = loadSecretKey({ storage: 'postgres', home: home(), secretKey: ENV_KEY })!;
    const purpose = 'dashboard session cookie';
    expect(again.derive(purpose).equals(fromEnv.derive(purpose))).toBe(true);
    expect(onPostgres.derive(purpose).equals(fromEnv.derive(purpose))).toBe(true);
    expect(loadSecretKey(sqlite(home()))!.derive(purpose).equals(fromEnv.derive(purpose))).toBe(false);
  });

  it('has no key on PostgreSQL without HOOKD_SECRET_KEY, and writes no file there', () => {
    const dir = home();
    expect(loadSecretKey({ storage: 'postgres', home: dir, secretKey: undefined })).toBeNull();
    expect(secretKeyLoader({ storage: 'postgres', home: dir, secretKey: undefined })()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});
