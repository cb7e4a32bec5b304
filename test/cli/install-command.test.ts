import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lines, runHookd } from './cli-harness.ts';

const ROOT = realpathSync(resolve(import.meta.dirname, '../..'));
const EMIT = `'${ROOT}/node_modules/node/bin/node' '${ROOT}/dist/cli/main.js' emit`;
/** Every event install registers, in its order; Stop and SessionEnd are the ones Claude Code waits for. */
const EVENTS = [
  'SessionStart',
  'Setup',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'TaskCreated',
  'TaskCompleted',
  'TeammateIdle',
  'Stop',
  'StopFailure',
  'InstructionsLoaded',
  'ConfigChange',
  'CwdChanged',
  'FileChanged',
  'WorktreeRemove',
  'PreCompact',
  'PostCompact',
  'DirectoryAdded',
  'PostModelSwitch',
  'SessionEnd',
];
const NEVER = ['WorktreeCreate', 'Elicitation', 'ElicitationResult'];
const WAITS = ['Stop', 'StopFailure', 'SessionEnd'];
const TOOL_EVENTS = ['PreToolUse', 'PermissionRequest', 'PermissionDenied', 'PostToolUse', 'PostToolUseFailure'];
const COMMAND_ONLY = ['SessionStart', 'Setup', 'CwdChanged', 'WorktreeRemove'];
const COUNT = `${EVENTS.length} Claude Code hook events`;
/** No `claude` on the tests' PATH: install says it writes for a current version. */
const NO_VERSION =
  '`claude --version` gave no version here: written for a current Claude Code (2.1.101 or later). ' +
  'An older one skips a settings file naming hook events it does not know: pass --claude-version if yours is older';

const MINE = { type: 'command', command: 'echo mine >> /tmp/hook.log' };
const ORIGINAL = {
  model: 'opus',
  hooks: {
    PreToolUse: [
      { matcher: '*', hooks: [MINE] },
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'npm run lint', timeout: 30 }] },
    ],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
  permissions: { allow: ['Bash(npm test)'] },
};
const ORIGINAL_TEXT = `${JSON.stringify(ORIGINAL, null, 2)}\n`;

const commandEntry = (event: string) =>
  WAITS.includes(event) ? { type: 'command', command: EMIT, timeout: 10 } : { type: 'command', command: EMIT, async: true, timeout: 10 };
const httpEntry = {
  type: 'http',
  url: 'http://127.0.0.1:8080/hooks/claude-code',
  timeout: 5,
  headers: { Authorization: 'Bearer $HOOKD_TOKEN' },
  allowedEnvVars: ['HOOKD_TOKEN'],
};
const ownGroup = (event: string, entry: object) => (TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] });

/** What install must write over ORIGINAL: hookd's groups appended, new events after the user's. */
function expectedAfterInstall(entry: (event: string) => object, env?: object): string {
  const own = (event: string) => ownGroup(event, entry(event));
  const hooks: Record<string, unknown> = {
    PreToolUse: [...ORIGINAL.hooks.PreToolUse, own('PreToolUse')],
    Stop: [...ORIGINAL.hooks.Stop, own('Stop')],
  };
  for (const event of EVENTS) hooks[event] ??= [own(event)];
  const settings = { model: 'opus', hooks, permissions: ORIGINAL.permissions, ...(env ? { env } : {}) };
  return `${JSON.stringify(settings, null, 2)}\n`;
}

let home: string;
let hookdHome: string;
let userFile: string;
const hookd = (...args: string[]) => runHookd(args, { HOME: home, HOOKD_HOME: hookdHome, CI: 'true' });
const records = () => (existsSync(join(hookdHome, 'installs')) ? readdirSync(join(hookdHome, 'installs')) : []);
const localDatabaseLine = (agent = 'Claude Code') =>
  `events go to the local database ${join(hookdHome, 'hookd.db')} (HOOKD_URL, where ${agent} runs, overrides it)`;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hookd-install-'));
  hookdHome = join(home, 'hookd-home');
  userFile = join(home, '.claude', 'settings.json');
  mkdirSync(join(home, '.claude'));
  writeFileSync(userFile, ORIGINAL_TEXT, { mode: 0o600 });
  chmodSync(userFile, 0o600);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('hookd install claude-code', () => {
  it('registers async command hooks in ~/.claude/settings.json, keeping the rest, its mode, and no temp file', async () => {
    const res = await hookd('install', 'claude-code');
    expect(res).toEqual({
      code: 0,
      stdout: `registered hookd for ${COUNT} in ${userFile}\n${NO_VERSION}\n${localDatabaseLine()}\n`,
      stderr: '',
    });
    expect(readFileSync(userFile, 'utf8')).toBe(expectedAfterInstall(commandEntry));
    expect(statSync(userFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
    const settings = JSON.parse(readFileSync(userFile, 'utf8'));
    for (const event of NEVER) expect(Object.hasOwn(settings.hooks, event)).toBe(false);
    expect(settings.hooks.Stop.at(-1).hooks[0].async).toBeUndefined();
    expect(settings.hooks.SessionEnd[0].hooks[0].async).toBeUndefined();
    expect(settings.hooks.PostToolBatch[0].hooks[0].async).toBe(true);
  });

  it('keeps an owner-only install record, and writes none on a dry run', async () => {
    expect((await hookd('install', 'claude-code', '--dry-run')).code).toBe(0);
    expect(records()).toEqual([]);
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    const [name] = records();
    expect(name).toMatch(/^claude-code-[0-9a-f]{16}\.json$/);
    expect(statSync(join(hookdHome, 'installs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(hookdHome, 'installs', name!)).mode & 0o777).toBe(0o600);
    const record = JSON.parse(readFileSync(join(hookdHome, 'installs', name!), 'utf8'));
    expect(record).toEqual({
      agent: 'claude-code',
      file: realpathSync(userFile),
      existed: true,
      before: ORIGINAL_TEXT,
      written: expect.stringMatching(/^[0-9a-f]{64}$/),
      folderExisted: true,
      url: null,
    });
    expect((await hookd('uninstall', 'claude-code')).code).toBe(0);
    expect(records()).toEqual([]);
  });

  it('is idempotent: a second run leaves the same bytes and says so', async () => {
    expect((await hookd('install', 'claude-code', '--user')).code).toBe(0);
    const first = readFileSync(userFile, 'utf8');
    const again = await hookd('install', 'claude-code', '--user');
    expect(again.code).toBe(0);
    expect(lines(again.stdout)[0]).toBe(`hookd is already registered for ${COUNT} in ${userFile}; nothing changed`);
    expect(readFileSync(userFile, 'utf8')).toBe(first);
  });

  it('registers only what an older Claude Code knows, which skips a file naming an event it does not', async () => {
    // `claude --version` where install runs, as a user's PATH has it.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "2.1.85 (Claude Code)"\n', { mode: 0o755 });
    const res = await runHookd(['install', 'claude-code'], { HOME: home, HOOKD_HOME: hookdHome, PATH: `${bin}:${process.env.PATH}` });
    expect(res.code).toBe(0);
    const known = EVENTS.filter(
      (e) => !['UserPromptExpansion', 'PostToolBatch', 'PermissionDenied', 'DirectoryAdded', 'PostModelSwitch'].includes(e),
    );
    expect(lines(res.stdout).slice(0, 2)).toEqual([
      `registered hookd for ${known.length} Claude Code hook events in ${userFile}`,
      'written for Claude Code 2.1.85 (claude --version): 5 events it does not know yet are left out (install again after updating Claude Code)',
    ]);
    const hooks = JSON.parse(readFileSync(userFile, 'utf8')).hooks;
    expect(
      Object.keys(hooks).filter((e) => hooks[e].some((g: { hooks: { command?: string }[] }) => g.hooks.some((h) => h.command === EMIT))),
    ).toEqual(EVENTS.filter((e) => known.includes(e)).sort((a, b) => Object.keys(hooks).indexOf(a) - Object.keys(hooks).indexOf(b)));

    // Before async hooks, every hook waits; before HTTP hooks, --http is refused.
    const old = await hookd('install', 'claude-code', '--claude-version', '2.1.20');
    expect(old.code).toBe(0);
    const oldHooks = JSON.parse(readFileSync(userFile, 'utf8')).hooks;
    expect(oldHooks.PreToolUse.at(-1).hooks[0]).toEqual({ type: 'command', command: EMIT, timeout: 10 });
    expect(Object.hasOwn(oldHooks, 'StopFailure')).toBe(false);
    const http = await hookd('install', 'claude-code', '--claude-version', '2.1.50', '--http', 'http://127.0.0.1:8080');
    expect(http).toMatchObject({ code: 1 });
    expect(http.stderr).toContain('--http: Claude Code 2.1.50 has no HTTP hooks (2.1.63 or later); use --url');
    expect((await hookd('install', 'claude-code', '--claude-version', 'latest')).stderr).toContain(
      "--claude-version: 'latest' is not a version such as 2.1.101",
    );
  });

  it('--url writes HOOKD_URL into env and no token anywhere; --http switches in place; uninstall gives back the bytes', async () => {
    const url = await hookd('install', 'claude-code', '--url', 'http://127.0.0.1:8080/');
    expect(url.code).toBe(0);
    expect(lines(url.stdout)).toEqual([
      `registered hookd for ${COUNT} in ${userFile}`,
      NO_VERSION,
      `events go to http://127.0.0.1:8080 (HOOKD_URL in ${userFile} env); token: none yet (hookd token save)`,
    ]);
    expect(readFileSync(userFile, 'utf8')).toBe(expectedAfterInstall(commandEntry, { HOOKD_URL: 'http://127.0.0.1:8080' }));

    const http = await runHookd(['install', 'claude-code', '--http', 'http://127.0.0.1:8080'], {
      HOME: home,
      HOOKD_HOME: hookdHome,
      HOOKD_TOKEN: 'hookd_secret_token_value',
    });
    expect(http.code).toBe(0);
    expect(lines(http.stdout)).toEqual([
      `registered hookd for ${COUNT} in ${userFile}`,
      NO_VERSION,
      `events go to http://127.0.0.1:8080/hooks/claude-code by HTTP hooks, and from ${COMMAND_ONLY.join(', ')} through hookd emit to http://127.0.0.1:8080 (HOOKD_URL in ${userFile} env); token: HOOKD_TOKEN from the environment where Claude Code runs (an HTTP hook cannot read $HOOKD_HOME/token)`,
    ]);
    const written = readFileSync(userFile, 'utf8');
    expect(written).toBe(
      expectedAfterInstall((event) => (COMMAND_ONLY.includes(event) ? commandEntry(event) : httpEntry), {
        HOOKD_URL: 'http://127.0.0.1:8080',
      }),
    );
    expect(written.match(/main\.js/g)).toHaveLength(COMMAND_ONLY.length);
    for (const file of [written, ...records().map((r) => readFileSync(join(hookdHome, 'installs', r), 'utf8'))]) {
      expect(file).not.toContain('hookd_secret');
    }

    const removed = await hookd('uninstall', 'claude-code');
    expect(removed).toEqual({
      code: 0,
      stdout: `removed hookd from ${COUNT} and HOOKD_URL from env in ${userFile}; it is back to its bytes from before install\n`,
      stderr: '',
    });
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
    expect(statSync(userFile).mode & 0o777).toBe(0o600);

    const nothing = await hookd('uninstall', 'claude-code');
    expect(nothing.stdout).toBe(`no hookd hooks found in ${userFile}; nothing changed\n`);
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
  });

  it('installing again without a server takes the HOOKD_URL back out', async () => {
    expect((await hookd('install', 'claude-code', '--url', 'http://127.0.0.1:8080')).code).toBe(0);
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    expect(readFileSync(userFile, 'utf8')).toBe(expectedAfterInstall(commandEntry));
    expect((await hookd('uninstall', 'claude-code')).code).toBe(0);
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
  });

  it.each([
    ['4-space indentation', '{\n    "model": "opus",\n    "env": {\n        "LANG": "C"\n    }\n}\n'],
    ['tabs', '{\n\t"model": "opus"\n}\n'],
    ['no final newline', '{\n  "model": "opus"\n}'],
    ['CRLF line ends', '{\r\n  "model": "opus",\r\n  "x": [\r\n    1\r\n  ]\r\n}\r\n'],
    ['an unusual key order and spacing', '{"z": 1,   "a": {"y": [1,2], "b": "x"},\n "hooks": {}}\n'],
    ['an empty hooks object', '{\n  "hooks": {}\n}\n'],
    ['a byte-order mark', '\uFEFF{\n  "model": "opus"\n}\n'],
    ['an empty file', ''],
  ])('gives back a file with %s byte for byte', async (_, text) => {
    writeFileSync(userFile, text);
    expect((await hookd('install', 'claude-code', '--url', 'http://127.0.0.1:8080')).code).toBe(0);
    const installed = readFileSync(userFile, 'utf8');
    expect(installed).not.toBe(text);
    JSON.parse(installed.replace(/^\uFEFF/, ''));
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    const res = await hookd('uninstall', 'claude-code');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('it is back to its bytes from before install');
    expect(readFileSync(userFile, 'utf8')).toBe(text);
  });

  it('deletes a settings file, and the .claude folder, that install created', async () => {
    rmSync(join(home, '.claude'), { recursive: true });
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    expect(existsSync(userFile)).toBe(true);
    const res = await hookd('uninstall', 'claude-code');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      `removed hookd from ${COUNT} in ${userFile}: deleted the file and its folder ${join(home, '.claude')} if empty, which hookd install created\n`,
    );
    expect(existsSync(join(home, '.claude'))).toBe(false);
    expect(records()).toEqual([]);
  });

  it('keeps edits made after install, in the file\'s own layout, and a re-install remembers them as the "before"', async () => {
    const fourSpaces = '{\n    "model": "opus"\n}';
    writeFileSync(userFile, fourSpaces);
    expect((await hookd('install', 'claude-code', '--url', 'http://127.0.0.1:8080')).code).toBe(0);
    const edited = JSON.parse(readFileSync(userFile, 'utf8'));
    edited.statusLine = { type: 'command', command: 'echo hi' };
    edited.env.LANG = 'C';
    writeFileSync(userFile, JSON.stringify(edited, null, 4));

    const res = await hookd('uninstall', 'claude-code');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`removed hookd from ${COUNT} and HOOKD_URL from env in ${userFile}\n`);
    expect(readFileSync(userFile, 'utf8')).toBe(
      '{\n    "model": "opus",\n    "env": {\n        "LANG": "C"\n    },\n    "statusLine": {\n        "type": "command",\n        "command": "echo hi"\n    }\n}',
    );

    // Over a file changed since, the record's "before" becomes that file without hookd.
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    const changed = readFileSync(userFile, 'utf8');
    writeFileSync(userFile, changed.replace('"opus"', '"sonnet"'));
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    expect((await hookd('uninstall', 'claude-code')).code).toBe(0);
    expect(readFileSync(userFile, 'utf8')).toBe(
      '{\n    "model": "sonnet",\n    "env": {\n        "LANG": "C"\n    },\n    "statusLine": {\n        "type": "command",\n        "command": "echo hi"\n    }\n}',
    );
  });

  it('--project DIR creates DIR/.claude/settings.json and leaves the user file alone', async () => {
    const project = join(home, 'project');
    mkdirSync(project);
    const file = join(project, '.claude', 'settings.json');
    const res = await hookd('install', 'claude-code', '--project', project);
    expect(res.code).toBe(0);
    expect(lines(res.stdout)[0]).toBe(`registered hookd for ${COUNT} in ${file}`);
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(settings.hooks)).toEqual(EVENTS);
    expect(settings.hooks.PostToolUseFailure).toEqual([{ matcher: '*', hooks: [commandEntry('PostToolUseFailure')] }]);
    expect(settings.hooks.Notification).toEqual([{ hooks: [commandEntry('Notification')] }]);
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);

    expect((await hookd('uninstall', 'claude-code', '--project', project)).code).toBe(0);
    expect(existsSync(join(project, '.claude'))).toBe(false);

    const missing = await hookd('install', 'claude-code', '--project', join(home, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`hookd: --project: ${join(home, 'nope')} is not a directory\n`);
    expect(existsSync(join(home, 'nope'))).toBe(false);
  });

  it('--dry-run prints a diff and the path, and writes nothing', async () => {
    writeFileSync(userFile, '{\n  "model": "opus"\n}\n');
    const before = statSync(userFile).mtimeMs;
    const res = await hookd('install', 'claude-code', '--dry-run');
    expect(res.code).toBe(0);
    const after = `${JSON.stringify({ model: 'opus', hooks: Object.fromEntries(EVENTS.map((e) => [e, [ownGroup(e, commandEntry(e))]])) }, null, 2)}\n`;
    const out = lines(res.stdout);
    expect(out.slice(0, 6)).toEqual([
      `--- ${userFile}`,
      `+++ ${userFile}`,
      `@@ -1,3 +1,${lines(after).length} @@`,
      ' {',
      '-  "model": "opus"',
      '+  "model": "opus",',
    ]);
    expect(out.at(-1)).toBe(`dry run: would have registered hookd for ${COUNT} in ${userFile}; nothing written`);
    // One hunk covers the whole file: its context and added lines are exactly what install would write.
    const hunk = out.slice(3, -1);
    const side = (drop: string) =>
      `${hunk
        .filter((l) => !l.startsWith(drop))
        .map((l) => l.slice(1))
        .join('\n')}\n`;
    expect(side('-')).toBe(after);
    expect(side('+')).toBe('{\n  "model": "opus"\n}\n');
    expect(readFileSync(userFile, 'utf8')).toBe('{\n  "model": "opus"\n}\n');
    expect(statSync(userFile).mtimeMs).toBe(before);

    expect((await hookd('install', 'claude-code')).code).toBe(0);
    const installed = readFileSync(userFile, 'utf8');
    const dryUninstall = await hookd('uninstall', 'claude-code', '--dry-run');
    expect(dryUninstall.code).toBe(0);
    expect(dryUninstall.stdout).toMatch(
      /^--- .*\n\+\+\+ .*\n@@ -1,\d+ \+1,3 @@\n \{\n- {2}"model": "opus",\n- {2}"hooks": \{\n(-.*\n)+\+ {2}"model": "opus"\n \}\ndry run: /,
    );
    expect(lines(dryUninstall.stdout).at(-1)).toBe(
      `dry run: would have removed hookd from ${COUNT} in ${userFile}, giving back its bytes from before install; nothing written`,
    );
    expect(readFileSync(userFile, 'utf8')).toBe(installed);
    expect(records()).toHaveLength(1);
  });

  it('--dry-run on a missing file creates neither the file nor .claude/', async () => {
    rmSync(join(home, '.claude'), { recursive: true });
    const res = await hookd('install', 'claude-code', '--dry-run', '--http', 'https://hookd.example');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^--- \/dev\/null\n\+\+\+ .*\n@@ -0,0 \+1,\d+ @@\n\+\{\n\+ {2}"hooks": \{\n/);
    expect(res.stdout).toContain('+            "url": "https://hookd.example/hooks/claude-code",');
    expect(res.stdout).toContain('+    "HOOKD_URL": "https://hookd.example"');
    expect(existsSync(join(home, '.claude'))).toBe(false);
    expect(existsSync(hookdHome)).toBe(false);
  });

  it('refuses a settings.json that is not JSON or has the wrong shape, and changes nothing', async () => {
    const commented = '{\n  // my settings\n  "model": "opus"\n}\n';
    writeFileSync(userFile, commented);
    for (const command of ['install', 'uninstall']) {
      const res = await hookd(command, 'claude-code');
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe(
        `hookd: ${userFile}: not valid JSON (Expected property name or '}' in JSON at position 4 (line 2 column 3)); comments and trailing commas are not supported in settings.json, remove them and run again; nothing was changed\n`,
      );
      expect(readFileSync(userFile, 'utf8')).toBe(commented);
    }

    writeFileSync(userFile, '{"hooks": ["PreToolUse"]}\n');
    const shape = await hookd('install', 'claude-code');
    expect(shape.code).toBe(1);
    expect(shape.stderr).toBe(`hookd: ${userFile}: "hooks" must be an object keyed by event name, not an array; nothing was changed\n`);
    expect(readFileSync(userFile, 'utf8')).toBe('{"hooks": ["PreToolUse"]}\n');
    expect(records()).toEqual([]);
  });

  it('refuses a bad URL and conflicting options before touching the file', async () => {
    const bad = await hookd('install', 'claude-code', '--http', 'localhost:8080');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("hookd: --http: 'localhost:8080' must start with http:// or https://\n");
    const secret = await hookd('install', 'claude-code', '--url', 'http://me:pw@127.0.0.1:8080');
    expect(secret.code).toBe(1);
    expect(secret.stderr).toBe('hookd: --url: the URL must not hold credentials; use HOOKD_TOKEN or `hookd token save`\n');
    const both = await hookd('install', 'claude-code', '--url', 'http://a', '--http', 'http://b');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("option '--http <url>' cannot be used with option '--url <url>'");
    const where = await hookd('uninstall', 'claude-code', '--user', '--project', home);
    expect(where.code).toBe(1);
    expect(where.stderr).toContain("option '--user' cannot be used with option '--project <dir>'");
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
  });
});
