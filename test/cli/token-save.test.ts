import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emitSettings } from '../../src/modules/emit/emit-settings.ts';
import type { CliResult } from './cli-harness.ts';

const BIN = resolve(import.meta.dirname, '../../bin/hookd');
const TOKEN = 'hookd_Abc123-saved_token_for_tests_0000000000000';
const FIXTURES = resolve(import.meta.dirname, '../fixtures');

/** bin/hookd with `input` on stdin, as a pipe from another command gives it. */
function run(args: string[], env: Record<string, string>, input: string): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(BIN, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

interface Received {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

let server: Server;
let serverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((closed) => server.close(() => closed())));

let home: string;
let hookdHome: string;
const env = () => ({ HOME: home, HOOKD_HOME: hookdHome });
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hookd-token-save-'));
  hookdHome = join(home, 'hookd-home');
  received.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('hookd token save', () => {
  it('writes the token from stdin to $HOOKD_HOME/token, owner-only, and prints the path but never the token', async () => {
    const res = await run(['token', 'save'], env(), `  ${TOKEN}\n`);
    const path = join(hookdHome, 'token');
    expect(res).toEqual({
      code: 0,
      stdout: `saved the token in ${path} (mode 600); hookd emit sends it to HOOKD_URL when HOOKD_TOKEN is not set\n`,
      stderr: '',
    });
    expect(readFileSync(path, 'utf8')).toBe(`${TOKEN}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(hookdHome)).toEqual(['token']);

    // A second save replaces it whole, and leaves it owner-only whatever it had become.
    chmodSync(path, 0o644);
    expect((await run(['token', 'save'], env(), 'hookd_other\n')).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('hookd_other\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['nothing', '', 'no token on stdin'],
    ['blank lines', '\n \n', 'no token on stdin'],
    ['two lines', `${TOKEN}\nsecond\n`, 'stdin holds several lines'],
    ['a space inside', 'hookd_a b\n', 'characters an HTTP header cannot carry'],
    ['a control character', 'hookd_a\u0007b', 'characters an HTTP header cannot carry'],
  ])('refuses %s, writes nothing and echoes nothing of it', async (_, input, message) => {
    const res = await run(['token', 'save'], env(), input);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('nothing saved');
    expect(res.stderr).not.toContain(TOKEN);
    expect(existsSync(join(hookdHome, 'token'))).toBe(false);
  });
});

describe('hookd emit with a saved token', () => {
  const payload = readFileSync(join(FIXTURES, 'claude-code', 'UserPromptSubmit.json'), 'utf8');

  it('sends the token file as the bearer token when HOOKD_TOKEN is not set, and HOOKD_TOKEN over it', async () => {
    expect((await run(['token', 'save'], env(), TOKEN)).code).toBe(0);
    const emit = await run(['emit'], { ...env(), HOOKD_URL: serverUrl }, payload);
    expect(emit).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(received).toEqual([
      { path: '/hooks/claude-code', authorization: `Bearer ${TOKEN}`, body: expect.objectContaining(JSON.parse(payload)) },
    ]);

    expect((await run(['emit'], { ...env(), HOOKD_URL: serverUrl, HOOKD_TOKEN: 'hookd_from_env' }, payload)).code).toBe(0);
    expect(received[1]!.authorization).toBe('Bearer hookd_from_env');
  });

  it('ignores a token file others may read, and says why in its log only', async () => {
    mkdirSync(hookdHome);
    writeFileSync(join(hookdHome, 'token'), `${TOKEN}\n`, { mode: 0o644 });
    chmodSync(join(hookdHome, 'token'), 0o644);
    const emit = await run(['emit'], { ...env(), HOOKD_URL: serverUrl }, payload);
    expect(emit).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(received).toHaveLength(1);
    expect(received[0]!.authorization).toBeUndefined();
    const log = readFileSync(join(hookdHome, 'emit.log'), 'utf8');
    expect(log).toContain(`${join(hookdHome, 'token')} has mode 644: group or others have access to it, so it is ignored`);
    expect(log).not.toContain(TOKEN);
  });

  it('reads the file only for a server, and only when HOOKD_TOKEN is not set at all', () => {
    mkdirSync(hookdHome);
    writeFileSync(join(hookdHome, 'token'), 'hookd_file\n', { mode: 0o600 });
    const base = { HOOKD_HOME: hookdHome, HOOKD_URL: serverUrl };
    expect(emitSettings(base)).toMatchObject({ token: 'hookd_file', problems: [] });
    expect(emitSettings({ ...base, HOOKD_TOKEN: 'hookd_env' }).token).toBe('hookd_env');
    // A HOOKD_TOKEN that cannot be sent is a mistake to see in the log, not a reason to send another token.
    expect(emitSettings({ ...base, HOOKD_TOKEN: 'bad token' })).toMatchObject({
      token: undefined,
      problems: [expect.stringContaining('HOOKD_TOKEN')],
    });
    chmodSync(join(hookdHome, 'token'), 0o640);
    expect(emitSettings({ HOOKD_HOME: hookdHome })).toMatchObject({ url: null, token: undefined, problems: [] });
    expect(emitSettings(base).problems).toEqual([expect.stringContaining('has mode 640')]);
    rmSync(join(hookdHome, 'token'));
    expect(emitSettings(base)).toMatchObject({ token: undefined, problems: [] });
  });

  it("takes Codex's notify payload from its last argument instead of stdin", async () => {
    const notify = readFileSync(join(FIXTURES, 'codex', 'notify-agent-turn-complete.json'), 'utf8');
    const emit = await run(['emit', '--source', 'codex', notify], { ...env(), HOOKD_URL: serverUrl }, '');
    expect(emit).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(received).toEqual([{ path: '/hooks/codex', authorization: undefined, body: expect.objectContaining(JSON.parse(notify)) }]);
    const hook = readFileSync(join(FIXTURES, 'gemini', 'BeforeTool.json'), 'utf8');
    expect((await run(['emit', '--source', 'gemini-cli'], { ...env(), HOOKD_URL: serverUrl }, hook)).code).toBe(0);
    expect(received[1]).toEqual({ path: '/hooks/gemini-cli', authorization: undefined, body: expect.objectContaining(JSON.parse(hook)) });
  });
});
