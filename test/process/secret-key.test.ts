import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runHookd, startHookd, stopAllHookd } from '../support/hookd-process.ts';

// The key file is SQLite's alone (PostgreSQL takes HOOKD_SECRET_KEY or has no key), so
// SQLite alone covers it.
describe('hookd serve and its secret key file [sqlite]', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-key-home-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await stopAllHookd();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates $HOOKD_HOME/secret.key with mode 0600 at start, and logs that sign-in is enabled', async () => {
    const home = tempDir();
    const server = await startHookd({ env: { HOOKD_HOME: home } });
    const path = join(home, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = readFileSync(path, 'utf8').trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    const line = server.logs().find((r) => r.msg === 'dashboard sign-in enabled');
    expect(line?.secret_key).toBe('file');
    // The key itself is never logged.
    expect(server.lines.join('\n')).not.toContain(key);
    const who = await fetch(`${server.url}/auth/session`);
    expect(await who.json()).toMatchObject({ via: 'open' });
  });

  it('refuses to start when the key file may be read by others, naming the file and chmod 600', async () => {
    const home = tempDir();
    // A good key, opened up as a careless copy would.
    const path = join(home, 'secret.key');
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`);
    chmodSync(path, 0o644);
    const run = await runHookd(['serve', '--port', '0'], { HOOKD_HOME: home });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toContain(path);
    expect(run.stderr).toContain(`chmod 600 ${path}`);
    expect(run.stdout).not.toContain('hookd listening');
    // Refused, not repaired or replaced behind the operator's back.
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('makes the home when the database lives elsewhere', async () => {
    const dir = tempDir();
    const home = join(dir, 'not-yet');
    await startHookd({ env: { HOOKD_HOME: home, HOOKD_DATABASE_URL: `sqlite:${join(dir, 'elsewhere.db')}` } });
    expect(existsSync(join(home, 'secret.key'))).toBe(true);
    expect(statSync(join(home, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});
