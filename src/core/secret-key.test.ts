import { spawn } from 'node:child_process';
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './app-error.ts';
import { DEFAULT_KEY_ID, loadSecretKey, MIN_SECRET_KEY_LENGTH, SECRET_KEY_FILE, secretKeyLoader } from './secret-key.ts';

const ENV_KEY = 'an-environment-key-of-more-than-32-characters';

/** HKDF-SHA256 as hookd has always derived a key for `purpose`, computed here on its own. */
const hkdf = (material: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), `hookd ${purpose}`, 32));

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
  describe('one key or a key ring', () => {
    const env = (secretKey: string) => loadSecretKey({ storage: 'postgres', home: '/nonexistent', secretKey })!;
    const PURPOSE = 'dashboard session cookie';

    it("reads a plain key as the one key 'default', deriving exactly as before key rings (its UTF-8 bytes the HKDF input)", () => {
      for (const plain of [
        ENV_KEY,
        randomBytes(32).toString('base64'),
        `${'a,b'.repeat(12)}-no-colon`,
        'https://x.example/a:b c:d and more than 32 characters',
      ]) {
        const key = env(plain);
        expect(key.ids).toEqual([DEFAULT_KEY_ID]);
        expect(DEFAULT_KEY_ID).toBe('default');
        expect(key.derive(PURPOSE).equals(hkdf(Buffer.from(plain, 'utf8'), PURPOSE))).toBe(true);
        expect(key.deriveFor('default', PURPOSE).equals(key.derive(PURPOSE))).toBe(true);
      }
      // The answer hookd gave before key rings: cookies signed then stay valid.
      expect(env(ENV_KEY).derive(PURPOSE).toString('hex')).toBe('36f59bec3c6a9840a5eafd179eeb875c015405ff232986d12c23a1550b06f640');
    });

    it("reads the key file hookd writes as the one key 'default', its text the HKDF input", () => {
      const dir = home();
      const key = loadSecretKey(sqlite(dir))!;
      const text = readFileSync(join(dir, SECRET_KEY_FILE), 'utf8').trim();
      expect(key.ids).toEqual(['default']);
      expect(key.derive(PURPOSE).equals(hkdf(Buffer.from(text, 'utf8'), PURPOSE))).toBe(true);
    });

    it('reads a key ring, the first key current, each key its decoded bytes', () => {
      const k2 = randomBytes(32);
      const k1 = randomBytes(48);
      const k0 = randomBytes(32);
      // Standard and url-safe base64, padded or not, spaces around the commas.
      const key = env(`k2:${k2.toString('base64')}, k1:${k1.toString('base64url')} ,old_key-0:${k0.toString('base64').replace(/=+$/, '')}`);
      expect(key.ids).toEqual(['k2', 'k1', 'old_key-0']);
      expect(key.derive(PURPOSE).equals(hkdf(k2, PURPOSE))).toBe(true);
      expect(key.deriveFor('k2', PURPOSE).equals(hkdf(k2, PURPOSE))).toBe(true);
      expect(key.deriveFor('k1', PURPOSE).equals(hkdf(k1, PURPOSE))).toBe(true);
      expect(key.deriveFor('old_key-0', 'other').equals(hkdf(k0, 'other'))).toBe(true);
      expect(key.deriveFor('k1', PURPOSE).equals(key.derive(PURPOSE))).toBe(false);
      // One key alone is a ring too.
      expect(env(`solo:${k1.toString('base64')}`).ids).toEqual(['solo']);
    });

    it("keeps a single key in a ring as 'default:' and the base64 of its text", () => {
      const ring = env(`k2:${randomBytes(32).toString('base64')},default:${Buffer.from(ENV_KEY, 'utf8').toString('base64')}`);
      expect(ring.deriveFor('default', PURPOSE).equals(env(ENV_KEY).derive(PURPOSE))).toBe(true);
    });

    it('reads a key ring from the key file as well', () => {
      const dir = home();
      const k2 = randomBytes(32);
      const k1 = randomBytes(32);
      writeFileSync(join(dir, SECRET_KEY_FILE), `k2:${k2.toString('base64')},k1:${k1.toString('base64')}\n`, { mode: 0o600 });
      const key = loadSecretKey(sqlite(dir))!;
      expect(key.origin).toBe('file');
      expect(key.ids).toEqual(['k2', 'k1']);
      expect(key.deriveFor('k1', PURPOSE).equals(hkdf(k1, PURPOSE))).toBe(true);
      expect(refusal(() => key.deriveFor('k3', PURPOSE)).message).toBe("secret key 'k3' is not in the secret key file");
    });

    it('refuses deriving for an id it does not hold', () => {
      const key = env(`k2:${randomBytes(32).toString('base64')}`);
      expect(refusal(() => key.deriveFor('k1', PURPOSE)).message).toBe("secret key 'k1' is not in HOOKD_SECRET_KEY");
      expect(refusal(() => env(ENV_KEY).deriveFor('k1', PURPOSE)).message).toContain("'k1'");
    });

    it('refuses a ring with a bad key, naming its position and id and never the key', () => {
      const good = randomBytes(32).toString('base64');
      const short = randomBytes(31).toString('base64');
      const cases: { value: string; secrets: string[]; says: RegExp[] }[] = [
        {
          value: `k2:${good},k1:${short}`,
          secrets: [good, short],
          says: [/key 2 of the key ring \('k1'\)/, /decodes to 31 bytes: a key needs at least 32/],
        },
        { value: `k1:${short}`, secrets: [short], says: [/key 1 of the key ring \('k1'\)/, /31 bytes/] },
        {
          value: `k1:${good},k2:${good},k1:${randomBytes(32).toString('base64')}`,
          secrets: [good],
          says: [/key 3 of the key ring \('k1'\) repeats an id/],
        },
        {
          value: `k2:${good},bad.id:${good}`,
          secrets: [good],
          says: [/key 2 of the key ring has an id that is not 1 to 32 letters, digits/],
        },
        { value: `${'i'.repeat(33)}:${good}`, secrets: [good, 'i'.repeat(33)], says: [/key 1 of the key ring has an id/] },
        { value: `:${good},k1:${good}`, secrets: [good], says: [/key 1 of the key ring has an id/] },
        {
          value: `k2:${good},k1:${good.slice(0, 41)}`,
          secrets: [good, good.slice(0, 41)],
          says: [/key 2 of the key ring \('k1'\) is not valid base64/],
        },
        { value: `k2:${good},k1:${good.replace(/=$/, '')}==`, secrets: [good], says: [/key 2 .*\('k1'\) is not valid base64/] },
      ];
      for (const { value, secrets, says } of cases) {
        const error = refusal(() => env(value));
        expect(error.message).toMatch(/^HOOKD_SECRET_KEY: /);
        for (const pattern of says) expect(error.message, value).toMatch(pattern);
        expect(error.message).toContain('openssl rand -base64 32');
        for (const secret of secrets) expect(error.message, value).not.toContain(secret);
      }
      // In the key file, the file is named.
      const dir = home();
      writeFileSync(join(dir, SECRET_KEY_FILE), `k2:${good},k2:${good}\n`, { mode: 0o600 });
      const error = refusal(() => loadSecretKey(sqlite(dir)));
      expect(error.message).toContain(`${join(dir, SECRET_KEY_FILE)}: key 2 of the key ring ('k2') repeats an id`);
      expect(error.message).not.toContain(good);
    });
  });
});
