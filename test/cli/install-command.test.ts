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
const COMMAND = `'${ROOT}/node_modules/node/bin/node' '${ROOT}/dist/cli/main.js' emit`;
const EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'PreCompact',
  'SessionEnd',
];
const TOOL_EVENTS = ['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest'];

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

const commandEntry = { type: 'command', command: COMMAND, timeout: 10 };
const httpEntry = {
  type: 'http',
  url: 'http://127.0.0.1:8080/hooks/claude-code',
  timeout: 5,
  headers: { Authorization: 'Bearer $HOOKD_TOKEN' },
  allowedEnvVars: ['HOOKD_TOKEN'],
};

/** What install must write over ORIGINAL: hookd's groups appended, new events after the user's. */
const ownGroup = (event: string, entry: object) => (TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] });

/** SessionStart takes only command hooks: an http install runs emit there, posting to the same server. */
const httpSessionStartEntry = { type: 'command', command: `HOOKD_URL='http://127.0.0.1:8080' ${COMMAND}`, timeout: 10 };

function expectedAfterInstall(entry: object, sessionStart: object = entry): string {
  const own = (event: string) => ownGroup(event, event === 'SessionStart' ? sessionStart : entry);
  const hooks: Record<string, unknown> = {
    PreToolUse: [...ORIGINAL.hooks.PreToolUse, own('PreToolUse')],
    Stop: [...ORIGINAL.hooks.Stop, own('Stop')],
  };
  for (const event of EVENTS) hooks[event] ??= [own(event)];
  return `${JSON.stringify({ model: 'opus', hooks, permissions: ORIGINAL.permissions }, null, 2)}\n`;
}

let home: string;
let userFile: string;
const hookd = (...args: string[]) => runHookd(args, { HOME: home, CI: 'true' });

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hookd-install-'));
  userFile = join(home, '.claude', 'settings.json');
  mkdirSync(join(home, '.claude'));
  writeFileSync(userFile, ORIGINAL_TEXT, { mode: 0o600 });
  chmodSync(userFile, 0o600);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('hookd install claude-code', () => {
  it('registers command hooks in ~/.claude/settings.json, keeping the rest, its mode, and no temp file', async () => {
    const res = await hookd('install', 'claude-code');
    expect(res).toEqual({
      code: 0,
      stdout: `registered hookd for 12 Claude Code hook events in ${userFile} (command hooks running hookd emit)\n`,
      stderr: '',
    });
    expect(readFileSync(userFile, 'utf8')).toBe(expectedAfterInstall(commandEntry));
    expect(statSync(userFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
  });

  it('is idempotent: a second run leaves the same bytes and says so', async () => {
    expect((await hookd('install', 'claude-code', '--user')).code).toBe(0);
    const first = readFileSync(userFile, 'utf8');
    const again = await hookd('install', 'claude-code', '--user');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`hookd is already registered for 12 Claude Code hook events in ${userFile}; nothing changed\n`);
    expect(readFileSync(userFile, 'utf8')).toBe(first);
  });

  it('switches to http hooks in place, then uninstall gives back the original bytes', async () => {
    expect((await hookd('install', 'claude-code')).code).toBe(0);
    const http = await hookd('install', 'claude-code', '--http', 'http://127.0.0.1:8080/');
    expect(http.code).toBe(0);
    expect(http.stdout).toBe(
      `registered hookd for 12 Claude Code hook events in ${userFile} (http hooks to http://127.0.0.1:8080/hooks/claude-code; SessionStart, which takes only commands, runs hookd emit to the same server)\n`,
    );
    expect(http.stderr).toContain('export HOOKD_TOKEN=');
    const written = readFileSync(userFile, 'utf8');
    expect(written).toBe(expectedAfterInstall(httpEntry, httpSessionStartEntry));
    expect(written.match(/main\.js/g)).toHaveLength(1);

    const removed = await hookd('uninstall', 'claude-code');
    expect(removed).toEqual({ code: 0, stdout: `removed hookd from 12 Claude Code hook events in ${userFile}\n`, stderr: '' });
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
    expect(statSync(userFile).mode & 0o777).toBe(0o600);

    const nothing = await hookd('uninstall', 'claude-code');
    expect(nothing.stdout).toBe(`no hookd hooks found in ${userFile}; nothing changed\n`);
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
  });

  it('--project DIR creates DIR/.claude/settings.json and leaves the user file alone', async () => {
    const project = join(home, 'project');
    mkdirSync(project);
    const file = join(project, '.claude', 'settings.json');
    const res = await hookd('install', 'claude-code', '--project', project);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`registered hookd for 12 Claude Code hook events in ${file} (command hooks running hookd emit)\n`);
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(settings.hooks)).toEqual(EVENTS);
    expect(settings.hooks.PostToolUseFailure).toEqual([{ matcher: '*', hooks: [commandEntry] }]);
    expect(settings.hooks.Notification).toEqual([{ hooks: [commandEntry] }]);
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);

    expect((await hookd('uninstall', 'claude-code', '--project', project)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('{}\n');

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
    const after = `${JSON.stringify({ model: 'opus', hooks: Object.fromEntries(EVENTS.map((e) => [e, [ownGroup(e, commandEntry)]])) }, null, 2)}\n`;
    const afterLines = lines(after).length;
    const out = lines(res.stdout);
    expect(out.slice(0, 6)).toEqual([
      `--- ${userFile}`,
      `+++ ${userFile}`,
      `@@ -1,3 +1,${afterLines} @@`,
      ' {',
      '-  "model": "opus"',
      '+  "model": "opus",',
    ]);
    expect(out.at(-1)).toBe(
      `dry run: would have registered hookd for 12 Claude Code hook events in ${userFile} (command hooks running hookd emit); nothing written`,
    );
    // One hunk covers the whole file: its context and added lines are exactly what install would write.
    const hunk = out.slice(3, -1);
    expect(
      `${hunk
        .filter((l) => !l.startsWith('-'))
        .map((l) => l.slice(1))
        .join('\n')}\n`,
    ).toBe(after);
    expect(
      `${hunk
        .filter((l) => !l.startsWith('+'))
        .map((l) => l.slice(1))
        .join('\n')}\n`,
    ).toBe('{\n  "model": "opus"\n}\n');
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
      `dry run: would have removed hookd from 12 Claude Code hook events in ${userFile}; nothing written`,
    );
    expect(readFileSync(userFile, 'utf8')).toBe(installed);
  });

  it('--dry-run on a missing file creates neither the file nor .claude/', async () => {
    rmSync(join(home, '.claude'), { recursive: true });
    const res = await hookd('install', 'claude-code', '--dry-run', '--http', 'https://hookd.example');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^--- \/dev\/null\n\+\+\+ .*\n@@ -0,0 \+1,\d+ @@\n\+\{\n\+ {2}"hooks": \{\n/);
    expect(res.stdout).toContain('+            "url": "https://hookd.example/hooks/claude-code",');
    expect(existsSync(join(home, '.claude'))).toBe(false);
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
  });

  it('refuses a bad --http URL and conflicting targets before touching the file', async () => {
    const bad = await hookd('install', 'claude-code', '--http', 'localhost:8080');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("hookd: --http: 'localhost:8080' must start with http:// or https://\n");
    const both = await hookd('uninstall', 'claude-code', '--user', '--project', home);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("option '--user' cannot be used with option '--project <dir>'");
    expect(readFileSync(userFile, 'utf8')).toBe(ORIGINAL_TEXT);
  });
});
