import { afterEach, describe, expect, it } from 'vitest';
import { runHookd, startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// The rule reads only whether a token exists, through a store that behaves alike on both
// dialects, so SQLite alone covers it.
describe('binding beyond loopback without tokens [sqlite]', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  for (const [how, args, env] of [
    ['--host 0.0.0.0', ['--host', '0.0.0.0'], {}],
    ['HOOKD_HOST=0.0.0.0', [], { HOOKD_HOST: '0.0.0.0' }],
    ['HOST=0.0.0.0', [], { HOST: '0.0.0.0' }],
  ] as const) {
    it(`refuses to start with ${how} while no token exists`, async () => {
      db = await createTestDatabase('sqlite');
      const run = await runHookd(['serve', '--port', '0', ...args], { HOOKD_DATABASE_URL: db.url, ...env });
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(run.stderr).toMatch(/token/i);
      expect(run.stderr).toContain('0.0.0.0');
      expect(run.stdout).not.toContain('hookd listening');
    });
  }

  it('binds 0.0.0.0 once a token exists, and then asks for it', async () => {
    db = await createTestDatabase('sqlite');
    const env = { HOOKD_DATABASE_URL: db.url };
    const created = await runHookd(['token', 'create', '--scope', 'admin', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const server = await startHookd({ env, args: ['--host', '0.0.0.0'] });
    const port = new URL(server.url).port;
    expect(server.url).toBe(`http://0.0.0.0:${port}`);
    const local = `http://127.0.0.1:${port}`;
    expect((await fetch(`${local}/events`)).status).toBe(401);
    expect((await fetch(`${local}/events`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('starts on loopback with no token (the control case)', async () => {
    db = await createTestDatabase('sqlite');
    const server = await startHookd({ env: { HOOKD_DATABASE_URL: db.url }, args: ['--host', '127.0.0.1'] });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  });
});
