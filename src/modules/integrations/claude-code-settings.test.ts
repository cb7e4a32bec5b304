import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLAUDE_CODE_EVENT_NAMES, CLAUDE_CODE_EVENTS, CLAUDE_CODE_UNREGISTERED_EVENTS } from './claude-code-events.ts';
import { claudeCodeHookUrl, hookdServerUrl, isHookdEntry, type HookTarget } from './claude-code-hook-entry.ts';
import { installClaudeCodeHooks, uninstallClaudeCodeHooks } from './claude-code-settings.ts';
import { hookdEmitCommand, shellQuote } from './hookd-emit-command.ts';
import { installHistory } from './install-history.ts';
import { textHash } from './install-record.ts';
import { SettingsFileError, parseJsonSettings, serializeJsonSettings, type JsonObject } from './json-settings.ts';

const COMMAND = hookdEmitCommand('/opt/hookd/node_modules/node/bin/node', '/opt/hookd/dist/cli/main.js');
const AS_COMMAND: HookTarget = { kind: 'command', command: COMMAND };
const AS_HTTP: HookTarget = { kind: 'http', url: 'http://127.0.0.1:8080/hooks/claude-code', command: COMMAND };
const SERVER = 'http://127.0.0.1:8080';
/** Every event but Stop and SessionEnd: Claude Code runs the hook in the background. */
const COMMAND_ENTRY = { type: 'command', command: COMMAND, async: true, timeout: 10 };
const WAITING_ENTRY = { type: 'command', command: COMMAND, timeout: 10 };
const WAITS = ['Stop', 'StopFailure', 'SessionEnd'];
const COMMAND_ONLY = ['SessionStart', 'Setup', 'CwdChanged', 'WorktreeRemove'];
const commandEntry = (event: string) => (WAITS.includes(event) ? WAITING_ENTRY : COMMAND_ENTRY);
const httpEntry = (event: string) => (COMMAND_ONLY.includes(event) ? COMMAND_ENTRY : HTTP_ENTRY);
const N = CLAUDE_CODE_EVENTS.length;
const HTTP_ENTRY = {
  type: 'http',
  url: 'http://127.0.0.1:8080/hooks/claude-code',
  timeout: 5,
  headers: { Authorization: 'Bearer $HOOKD_TOKEN' },
  allowedEnvVars: ['HOOKD_TOKEN'],
};
const TOOL_EVENTS = ['PreToolUse', 'PermissionRequest', 'PermissionDenied', 'PostToolUse', 'PostToolUseFailure'];

const MINE = { type: 'command', command: 'echo mine >> /tmp/log' };
const LINT = { type: 'command', command: 'npm run lint', timeout: 30 };

/** A user's settings as Claude Code would write them: other keys around hooks, other events and matchers. */
const ORIGINAL = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "*",
        "hooks": [
          ${JSON.stringify(MINE)}
        ]
      },
      {
        "matcher": "Bash",
        "hooks": [
          ${JSON.stringify(LINT)}
        ]
      }
    ],
    "Stop": [
      {
        "hooks": [
          {"type": "command", "command": "say done"}
        ]
      }
    ],
    "CustomEvent": [],
    "PostToolUse": [
      {
        "matcher": "Edit|Write",
        "hooks": []
      }
    ]
  },
  "permissions": {
    "allow": ["Bash(npm test)"],
    "deny": []
  },
  "env": {
    "__proto__": "kept as a key",
    "LANG": "C.UTF-8"
  }
}
`;
/** ORIGINAL as hookd writes JSON: the bytes an uninstall must give back. */
const ORIGINAL_TEXT = serializeJsonSettings(parseJsonSettings(ORIGINAL));
const userSettings = () => parseJsonSettings(ORIGINAL_TEXT);

const text = (settings: JsonObject) => serializeJsonSettings(settings);
const hookdEntries = (settings: JsonObject) =>
  Object.values(settings.hooks as Record<string, JsonObject[]>).flatMap((groups) =>
    groups.flatMap((g) => (g.hooks as JsonObject[]).filter(isHookdEntry)),
  );

describe('the events hookd registers', () => {
  it('registers each observe-only event once, waits only at Stop and SessionEnd, and never an event whose hook must answer', () => {
    expect(new Set(CLAUDE_CODE_EVENT_NAMES).size).toBe(N);
    expect(CLAUDE_CODE_EVENTS.filter((e) => e.waits).map((e) => e.name)).toEqual(WAITS);
    expect(CLAUDE_CODE_EVENTS.filter((e) => e.commandOnly).map((e) => e.name)).toEqual(COMMAND_ONLY);
    expect(CLAUDE_CODE_EVENTS.filter((e) => e.matcher === '*').map((e) => e.name)).toEqual(TOOL_EVENTS);
    const never = CLAUDE_CODE_UNREGISTERED_EVENTS.map((e) => e.name);
    expect(never).toEqual(expect.arrayContaining(['WorktreeCreate', 'Elicitation', 'ElicitationResult']));
    expect(never.filter((name) => CLAUDE_CODE_EVENT_NAMES.includes(name))).toEqual([]);
    for (const { reason } of CLAUDE_CODE_UNREGISTERED_EVENTS) expect(reason.length).toBeGreaterThan(20);
  });

  it('writes async command hooks but for the waiting events, and leaves http hooks without async', () => {
    const { settings } = installClaudeCodeHooks({}, AS_COMMAND);
    const hooks = settings.hooks as Record<string, JsonObject[]>;
    expect(Object.keys(hooks)).toEqual(CLAUDE_CODE_EVENT_NAMES);
    for (const event of CLAUDE_CODE_EVENT_NAMES) {
      expect(hooks[event]).toEqual([
        TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [commandEntry(event)] } : { hooks: [commandEntry(event)] },
      ]);
    }
    const http = installClaudeCodeHooks({}, AS_HTTP, SERVER).settings.hooks as Record<string, JsonObject[]>;
    for (const event of CLAUDE_CODE_EVENT_NAMES) expect(http[event]![0]!.hooks).toEqual([httpEntry(event)]);
    for (const never of CLAUDE_CODE_UNREGISTERED_EVENTS) expect(Object.hasOwn(hooks, never.name)).toBe(false);
  });
});

describe('installClaudeCodeHooks', () => {
  it('starts from a file that survives a parse and write unchanged but for layout', () => {
    expect(ORIGINAL_TEXT).toMatch(
      /^\{\n {2}"\$schema": .*\n {2}"env": \{\n {4}"__proto__": "kept as a key",\n {4}"LANG": "C.UTF-8"\n {2}\}\n\}\n$/s,
    );
    expect(JSON.parse(ORIGINAL_TEXT)).toEqual(JSON.parse(ORIGINAL));
  });

  it('adds one hookd entry per event and keeps every other key, hook and order as it was', () => {
    const before = userSettings();
    const original = text(before);
    const { settings, summary } = installClaudeCodeHooks(before, AS_COMMAND);
    expect(text(before)).toBe(original);
    expect(summary).toEqual({ events: N, replaced: 0, dropped: 0 });
    expect(Object.keys(settings)).toEqual(['$schema', 'model', 'hooks', 'permissions', 'env']);
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'], deny: [] });
    expect(Object.hasOwn(settings.env as object, '__proto__')).toBe(true);
    expect(Object.keys(settings.env as object)).toEqual(['__proto__', 'LANG']);
    const hooks = settings.hooks as Record<string, unknown>;
    const added = CLAUDE_CODE_EVENT_NAMES.filter((e) => !['PreToolUse', 'Stop', 'PostToolUse'].includes(e));
    expect(Object.keys(hooks)).toEqual(['PreToolUse', 'Stop', 'CustomEvent', 'PostToolUse', ...added]);
    expect(hooks.PreToolUse).toEqual([
      { matcher: '*', hooks: [MINE] },
      { matcher: 'Bash', hooks: [LINT] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    expect(hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'say done' }] }, { hooks: [WAITING_ENTRY] }]);
    expect(hooks.CustomEvent).toEqual([]);
    expect(hooks.PostToolUse).toEqual([
      { matcher: 'Edit|Write', hooks: [] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    for (const event of added) {
      expect(hooks[event]).toEqual([
        TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [commandEntry(event)] } : { hooks: [commandEntry(event)] },
      ]);
    }
  });

  it('creates hooks in an empty file, last among the keys, and HOOKD_URL in env after it with a server', () => {
    const { settings } = installClaudeCodeHooks(parseJsonSettings('{"model": "opus"}'), AS_HTTP, SERVER);
    expect(Object.keys(settings)).toEqual(['model', 'hooks', 'env']);
    expect(settings.env).toEqual({ HOOKD_URL: SERVER });
    expect(Object.keys(settings.hooks as object)).toEqual(CLAUDE_CODE_EVENT_NAMES);
    expect((settings.hooks as Record<string, unknown>).PermissionRequest).toEqual([{ matcher: '*', hooks: [HTTP_ENTRY] }]);
    expect((settings.hooks as Record<string, unknown>).SessionEnd).toEqual([{ hooks: [HTTP_ENTRY] }]);
    expect((settings.hooks as Record<string, unknown>).SessionStart).toEqual([{ hooks: [COMMAND_ENTRY] }]);
    expect(text(settings)).not.toMatch(/hookd_[A-Za-z0-9]/);
  });

  it('sets HOOKD_URL in an existing env where it stands, or last, keeping the other variables in order', () => {
    const withEnv = parseJsonSettings('{"env": {"A": "1", "HOOKD_URL": "http://old", "B": "2"}, "model": "x"}');
    const { settings } = installClaudeCodeHooks(withEnv, AS_COMMAND, SERVER);
    expect(Object.entries(settings.env as object)).toEqual([
      ['A', '1'],
      ['HOOKD_URL', SERVER],
      ['B', '2'],
    ]);
    expect(Object.keys(settings)).toEqual(['env', 'model', 'hooks']);
    const appended = installClaudeCodeHooks(parseJsonSettings('{"env": {"A": "1"}}'), AS_COMMAND, SERVER).settings;
    expect(Object.keys(appended.env as object)).toEqual(['A', 'HOOKD_URL']);
    expect(() => installClaudeCodeHooks({ env: [] }, AS_COMMAND, SERVER)).toThrow('"env" must be an object of variables, not an array');
  });

  it('takes back the HOOKD_URL an earlier install wrote when installed again without a server', () => {
    const before = '{"model": "x"}\n';
    const first = text(installClaudeCodeHooks(parseJsonSettings(before), AS_COMMAND, SERVER).settings);
    const record = { agent: 'claude-code', file: '/f', existed: true, before, written: textHash(first), folderExisted: true, url: SERVER };
    const local = installClaudeCodeHooks(parseJsonSettings(first), AS_COMMAND, null, installHistory(record)).settings;
    expect(Object.keys(local)).toEqual(['model', 'hooks']);
    // The user's own HOOKD_URL, there before install, stays.
    const own = `{"env": {"HOOKD_URL": "${SERVER}"}}`;
    const history = installHistory({ ...record, before: own });
    expect(installClaudeCodeHooks(parseJsonSettings(own), AS_COMMAND, null, history).settings.env).toEqual({ HOOKD_URL: SERVER });
  });

  it('is idempotent: a second install gives the same bytes', () => {
    const once = installClaudeCodeHooks(userSettings(), AS_COMMAND).settings;
    const twice = installClaudeCodeHooks(parseJsonSettings(text(once)), AS_COMMAND);
    expect(text(twice.settings)).toBe(text(once));
    expect(twice.summary).toEqual({ events: N, replaced: N, dropped: 0 });
  });

  it('switching between command and http replaces hookd entries in place instead of adding a second set', () => {
    const asCommand = installClaudeCodeHooks(userSettings(), AS_COMMAND).settings;
    const asHttp = installClaudeCodeHooks(asCommand, AS_HTTP).settings;
    expect(hookdEntries(asHttp).filter((e) => e.type === 'http')).toEqual(Array(N - COMMAND_ONLY.length).fill(HTTP_ENTRY));
    expect(hookdEntries(asHttp).filter((e) => e.type === 'command')).toEqual(Array(COMMAND_ONLY.length).fill(COMMAND_ENTRY));
    const back = installClaudeCodeHooks(asHttp, AS_COMMAND).settings;
    expect(text(back)).toBe(text(asCommand));
  });

  it('replaces a hookd entry (an older one without async) that sits in the user\'s own "*" group where it stands', () => {
    const settings = parseJsonSettings(
      JSON.stringify({
        hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE, { type: 'command', command: "'/old/clone/dist/cli/main.js' emit" }, LINT] }] },
      }),
    );
    const { settings: next, summary } = installClaudeCodeHooks(settings, AS_HTTP);
    expect((next.hooks as Record<string, unknown>).PreToolUse).toEqual([{ matcher: '*', hooks: [MINE, HTTP_ENTRY, LINT] }]);
    expect(summary).toEqual({ events: N, replaced: 1, dropped: 0 });
  });

  it('drops duplicates, entries under a narrower matcher, and entries under events hookd does not register', () => {
    const stale = { type: 'http', url: 'https://old.example/hooks/claude-code' };
    const settings = parseJsonSettings(
      JSON.stringify({
        hooks: {
          PostToolUse: [
            { matcher: 'Bash', hooks: [COMMAND_ENTRY, LINT] },
            { matcher: '*', hooks: [stale, COMMAND_ENTRY] },
          ],
          WorktreeCreate: [{ hooks: [COMMAND_ENTRY] }],
        },
      }),
    );
    const { settings: next, summary } = installClaudeCodeHooks(settings, AS_COMMAND);
    const hooks = next.hooks as Record<string, unknown>;
    expect(hooks.PostToolUse).toEqual([
      { matcher: 'Bash', hooks: [LINT] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    expect(Object.hasOwn(hooks, 'WorktreeCreate')).toBe(false);
    expect(summary).toEqual({ events: N, replaced: 1, dropped: 3 });
    expect(hookdEntries(next)).toHaveLength(N);
  });
});

describe('uninstallClaudeCodeHooks', () => {
  it('gives back the original bytes after an install, in either mode and after switching', () => {
    const original = ORIGINAL_TEXT;
    for (const targets of [[AS_COMMAND], [AS_HTTP], [AS_COMMAND, AS_HTTP, AS_HTTP]]) {
      let settings = parseJsonSettings(original);
      for (const target of targets) settings = installClaudeCodeHooks(parseJsonSettings(text(settings)), target).settings;
      const { settings: removed, summary } = uninstallClaudeCodeHooks(parseJsonSettings(text(settings)));
      expect(text(removed)).toBe(original);
      expect(summary).toEqual({ events: N, entries: N, removedUrl: false });
    }
  });

  it("removes only hookd's entry from a group it shares with the user's own command", () => {
    const shared = { hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE, COMMAND_ENTRY] }], Stop: [{ hooks: [HTTP_ENTRY] }] }, model: 'x' };
    const { settings, summary } = uninstallClaudeCodeHooks(parseJsonSettings(JSON.stringify(shared)));
    expect(settings).toEqual({ hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE] }] }, model: 'x' });
    expect(summary).toEqual({ events: 2, entries: 2, removedUrl: false });
  });

  it('removes hooks when only hookd was in it, and leaves a file without hookd untouched', () => {
    const installed = installClaudeCodeHooks({ model: 'opus' }, AS_COMMAND).settings;
    expect(uninstallClaudeCodeHooks(installed).settings).toEqual({ model: 'opus' });

    const foreign = userSettings();
    const result = uninstallClaudeCodeHooks(foreign);
    expect(result.settings).toBe(foreign);
    expect(result.summary).toEqual({ events: 0, entries: 0, removedUrl: false });
    expect(uninstallClaudeCodeHooks({ a: 1 }).summary).toEqual({ events: 0, entries: 0, removedUrl: false });
  });

  it('with a record, keeps a hooks or env object that was there before, and removes only the HOOKD_URL install wrote', () => {
    const before = '{"hooks": {}, "env": {}}';
    const installed = installClaudeCodeHooks(parseJsonSettings(before), AS_COMMAND, SERVER).settings;
    const record = { agent: 'claude-code', file: '/f', existed: true, before, written: '0'.repeat(64), folderExisted: true, url: SERVER };
    const edited = { ...installed, model: 'sonnet' };
    const { settings, summary } = uninstallClaudeCodeHooks(edited, installHistory(record));
    expect(settings).toEqual({ hooks: {}, env: {}, model: 'sonnet' });
    expect(summary.removedUrl).toBe(true);
    // Without the record the same file loses its emptied hooks, and keeps HOOKD_URL: nobody knows who set it.
    expect(uninstallClaudeCodeHooks(edited).settings).toEqual({ env: { HOOKD_URL: SERVER }, model: 'sonnet' });
    // A HOOKD_URL the user changed since is theirs.
    const changed = { ...installed, env: { HOOKD_URL: 'http://elsewhere' } };
    expect(uninstallClaudeCodeHooks(changed, installHistory(record)).settings.env).toEqual({ HOOKD_URL: 'http://elsewhere' });
    // A value of the user's own from before install comes back.
    const own = installHistory({ ...record, before: '{"env": {"HOOKD_URL": "http://mine", "A": "1"}}' });
    const over = installClaudeCodeHooks(parseJsonSettings('{"env": {"HOOKD_URL": "http://mine", "A": "1"}}'), AS_COMMAND, SERVER);
    expect(uninstallClaudeCodeHooks({ ...over.settings, x: 1 }, own).settings).toEqual({ env: { HOOKD_URL: 'http://mine', A: '1' }, x: 1 });
  });
});

describe('isHookdEntry (the recognition rule)', () => {
  it.each([
    [{ type: 'command', command: COMMAND }, true],
    [{ type: 'command', command: "'/it'\\''s/dist/cli/main.js' emit" }, true],
    [{ type: 'command', command: '/srv/hookd/dist/cli/main.js emit' }, true],
    [{ type: 'command', command: "HOOKD_URL='http://h' '/n' '/srv/hookd/dist/cli/main.js' emit --source codex" }, true],
    [{ type: 'command', command: "'/n' '/srv/hookd/dist/cli/main.js' emit --source=gemini-cli" }, true],
    [{ type: 'http', url: 'https://hookd.example/base/hooks/claude-code' }, true],
    [{ type: 'command', command: 'hookd emit | tee -a /tmp/log' }, false],
    [{ type: 'command', command: "'/opt/hookd/dist/cli/main.js' emit; echo ok" }, false],
    [{ type: 'command', command: "'/opt/hookd/dist/cli/main.js' emit --source codex; rm -rf x" }, false],
    [{ type: 'command', command: 'node /x/dist/cli/main.js serve' }, false],
    [{ type: 'prompt', command: COMMAND }, false],
    [{ type: 'http', url: 'https://other.example/hooks/claude-code?x=1' }, false],
    [{ type: 'http', url: 'https://other.example/webhook' }, false],
    ['just a string', false],
  ])('%j -> %s', (entry, expected) => {
    expect(isHookdEntry(entry)).toBe(expected);
  });
});

describe('command and URL', () => {
  it('quotes paths so /bin/sh passes them through literally, quotes and spaces included', () => {
    for (const path of ["/home/o'brien/hookd", '/tmp/a b/$HOME/`id`', '/plain']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' })).toBe(path);
    }
    expect(hookdEmitCommand("/a'b/node", '/c/dist/cli/main.js')).toBe(`'/a'\\''b/node' '/c/dist/cli/main.js' emit`);
    expect(hookdEmitCommand('/n', '/c/dist/cli/main.js', { source: 'codex', url: "http://h/it's" })).toBe(
      `HOOKD_URL='http://h/it'\\''s' '/n' '/c/dist/cli/main.js' emit --source codex`,
    );
  });

  it('turns the --http base URL into the hook route once, however it ends', () => {
    expect(claudeCodeHookUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/hooks/claude-code');
    expect(claudeCodeHookUrl('http://127.0.0.1:8080//')).toBe('http://127.0.0.1:8080/hooks/claude-code');
    expect(claudeCodeHookUrl('https://Hookd.Example/base/')).toBe('https://hookd.example/base/hooks/claude-code');
    expect(claudeCodeHookUrl('http://localhost:8080/hooks/claude-code/')).toBe('http://localhost:8080/hooks/claude-code');
    expect(hookdServerUrl('http://localhost:8080/hooks/codex')).toBe('http://localhost:8080');
  });

  it.each([
    ['localhost:8080', /^--http: 'localhost:8080' must start with http:\/\/ or https:\/\/$/],
    ['not a url', /--http: 'not a url' is not a URL/],
    ['ftp://h/x', /--http: 'ftp:\/\/h\/x' must start with http/],
    ['http://user:secret@h', /--http: the URL must not hold credentials/],
    ['http://h/?token=x', /--http: .* must not have a query/],
  ])('refuses %s', (url, message) => {
    expect(() => claudeCodeHookUrl(url)).toThrow(message);
  });
});

describe('parseJsonSettings (a settings.json)', () => {
  it('reads an empty file as {} and skips a byte-order mark', () => {
    expect(parseJsonSettings('  \n')).toEqual({});
    expect(parseJsonSettings('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it.each([
    ['{\n  // my hooks\n  "a": 1\n}', /^not valid JSON \(.*line 2 column 3\)\); comments and trailing commas are not supported/],
    ['{"a": 1,}', /^not valid JSON .*comments and trailing commas are not supported/],
    ['sk-ant-secret', /^not valid JSON \(Unexpected token 's'\);/],
    ['[1, 2]', /^the top level must be a JSON object, not an array$/],
  ])('refuses %j', (input, message) => {
    const error = catchError(() => parseJsonSettings(input));
    expect(error).toBeInstanceOf(SettingsFileError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('secret');
  });

  it.each([
    [{ hooks: [] }, '"hooks" must be an object keyed by event name, not an array'],
    [{ hooks: 'x' }, '"hooks" must be an object keyed by event name, not a string'],
    [{ hooks: { Stop: {} } }, '"hooks.Stop" must be an array of matcher groups, not an object'],
    [{ hooks: { Stop: [null] } }, '"hooks.Stop[0]" must be a matcher group object, not null'],
    [{ hooks: { Stop: [{ hooks: [] }, { hooks: {} }] } }, '"hooks.Stop[1].hooks" must be an array, not an object'],
  ])('install and uninstall both refuse %j', (settings, message) => {
    expect(() => installClaudeCodeHooks(settings, AS_COMMAND)).toThrow(new SettingsFileError(message));
    expect(() => uninstallClaudeCodeHooks(settings)).toThrow(new SettingsFileError(message));
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
