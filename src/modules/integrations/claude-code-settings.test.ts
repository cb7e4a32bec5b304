import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CLAUDE_CODE_EVENTS,
  claudeCodeHookUrl,
  hookdEmitCommand,
  isHookdEntry,
  shellQuote,
  type HookTarget,
  type JsonObject,
} from './claude-code-hook-entry.ts';
import {
  ClaudeCodeSettingsError,
  installClaudeCodeHooks,
  parseClaudeCodeSettings,
  serializeClaudeCodeSettings,
  uninstallClaudeCodeHooks,
} from './claude-code-settings.ts';

const COMMAND = hookdEmitCommand('/opt/hookd/node_modules/node/bin/node', '/opt/hookd/dist/cli/main.js');
const AS_COMMAND: HookTarget = { kind: 'command', command: COMMAND };
const HTTP_COMMAND = hookdEmitCommand('/opt/hookd/node_modules/node/bin/node', '/opt/hookd/dist/cli/main.js', 'http://127.0.0.1:8080');
const AS_HTTP: HookTarget = { kind: 'http', url: 'http://127.0.0.1:8080/hooks/claude-code', command: HTTP_COMMAND };
const COMMAND_ENTRY = { type: 'command', command: COMMAND, timeout: 10 };
/** SessionStart takes only command hooks: an http install runs emit there, posting to the same server. */
const HTTP_SESSION_START_ENTRY = { type: 'command', command: HTTP_COMMAND, timeout: 10 };
const HTTP_ENTRY = {
  type: 'http',
  url: 'http://127.0.0.1:8080/hooks/claude-code',
  timeout: 5,
  headers: { Authorization: 'Bearer $HOOKD_TOKEN' },
  allowedEnvVars: ['HOOKD_TOKEN'],
};
const TOOL_EVENTS = ['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest'];

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
const ORIGINAL_TEXT = serializeClaudeCodeSettings(parseClaudeCodeSettings(ORIGINAL));
const userSettings = () => parseClaudeCodeSettings(ORIGINAL_TEXT);

const text = (settings: JsonObject) => serializeClaudeCodeSettings(settings);
const hookdEntries = (settings: JsonObject) =>
  Object.values(settings.hooks as Record<string, JsonObject[]>).flatMap((groups) =>
    groups.flatMap((g) => (g.hooks as JsonObject[]).filter(isHookdEntry)),
  );

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
    expect(summary).toEqual({ events: 12, replaced: 0, dropped: 0 });
    expect(Object.keys(settings)).toEqual(['$schema', 'model', 'hooks', 'permissions', 'env']);
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'], deny: [] });
    expect(Object.hasOwn(settings.env as object, '__proto__')).toBe(true);
    const hooks = settings.hooks as Record<string, unknown>;
    expect(Object.keys(hooks)).toEqual([
      'PreToolUse',
      'Stop',
      'CustomEvent',
      'PostToolUse',
      ...CLAUDE_CODE_EVENTS.filter((e) => !['PreToolUse', 'Stop', 'PostToolUse'].includes(e)),
    ]);
    expect(hooks.PreToolUse).toEqual([
      { matcher: '*', hooks: [MINE] },
      { matcher: 'Bash', hooks: [LINT] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    expect(hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'say done' }] }, { hooks: [COMMAND_ENTRY] }]);
    expect(hooks.CustomEvent).toEqual([]);
    expect(hooks.PostToolUse).toEqual([
      { matcher: 'Edit|Write', hooks: [] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    for (const event of CLAUDE_CODE_EVENTS.filter((e) => !['PreToolUse', 'Stop', 'PostToolUse'].includes(e))) {
      expect(hooks[event]).toEqual([TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [COMMAND_ENTRY] } : { hooks: [COMMAND_ENTRY] }]);
    }
  });

  it('creates hooks in an empty file, last among the keys', () => {
    const { settings } = installClaudeCodeHooks(parseClaudeCodeSettings('{"model": "opus"}'), AS_HTTP);
    expect(Object.keys(settings)).toEqual(['model', 'hooks']);
    expect(Object.keys(settings.hooks as object)).toEqual([...CLAUDE_CODE_EVENTS]);
    expect((settings.hooks as Record<string, unknown>).PermissionRequest).toEqual([{ matcher: '*', hooks: [HTTP_ENTRY] }]);
    expect((settings.hooks as Record<string, unknown>).SessionEnd).toEqual([{ hooks: [HTTP_ENTRY] }]);
    expect((settings.hooks as Record<string, unknown>).SessionStart).toEqual([{ hooks: [HTTP_SESSION_START_ENTRY] }]);
    expect(HTTP_COMMAND).toBe(
      "HOOKD_URL='http://127.0.0.1:8080' '/opt/hookd/node_modules/node/bin/node' '/opt/hookd/dist/cli/main.js' emit",
    );
    expect(isHookdEntry(HTTP_SESSION_START_ENTRY)).toBe(true);
    expect(text(settings)).not.toMatch(/hookd_[A-Za-z0-9]/);
  });

  it('is idempotent: a second install gives the same bytes', () => {
    const once = installClaudeCodeHooks(userSettings(), AS_COMMAND).settings;
    const twice = installClaudeCodeHooks(parseClaudeCodeSettings(text(once)), AS_COMMAND);
    expect(text(twice.settings)).toBe(text(once));
    expect(twice.summary).toEqual({ events: 12, replaced: 12, dropped: 0 });
  });

  it('switching between command and http replaces hookd entries in place instead of adding a second set', () => {
    const asCommand = installClaudeCodeHooks(userSettings(), AS_COMMAND).settings;
    const asHttp = installClaudeCodeHooks(asCommand, AS_HTTP).settings;
    expect(hookdEntries(asHttp).filter((e) => e.type === 'http')).toEqual(Array(11).fill(HTTP_ENTRY));
    expect(hookdEntries(asHttp).filter((e) => e.type === 'command')).toEqual([HTTP_SESSION_START_ENTRY]);
    const swapped = JSON.parse(JSON.stringify(asCommand).replaceAll(JSON.stringify(COMMAND_ENTRY), JSON.stringify(HTTP_ENTRY)));
    swapped.hooks.SessionStart = [{ hooks: [HTTP_SESSION_START_ENTRY] }];
    expect(text(asHttp)).toBe(text(swapped));
    const back = installClaudeCodeHooks(asHttp, AS_COMMAND).settings;
    expect(text(back)).toBe(text(asCommand));
  });

  it('replaces a hookd entry that sits in the user\'s own "*" group where it stands', () => {
    const settings = parseClaudeCodeSettings(
      JSON.stringify({
        hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE, { type: 'command', command: "'/old/clone/dist/cli/main.js' emit" }, LINT] }] },
      }),
    );
    const { settings: next, summary } = installClaudeCodeHooks(settings, AS_HTTP);
    expect((next.hooks as Record<string, unknown>).PreToolUse).toEqual([{ matcher: '*', hooks: [MINE, HTTP_ENTRY, LINT] }]);
    expect(summary).toEqual({ events: 12, replaced: 1, dropped: 0 });
  });

  it('drops duplicates and entries under a narrower matcher, keeping one entry that sees every tool', () => {
    const stale = { type: 'http', url: 'https://old.example/hooks/claude-code' };
    const settings = parseClaudeCodeSettings(
      JSON.stringify({
        hooks: {
          PostToolUse: [
            { matcher: 'Bash', hooks: [COMMAND_ENTRY, LINT] },
            { matcher: '*', hooks: [stale, COMMAND_ENTRY] },
          ],
          RetiredEvent: [{ hooks: [COMMAND_ENTRY] }],
        },
      }),
    );
    const { settings: next, summary } = installClaudeCodeHooks(settings, AS_COMMAND);
    const hooks = next.hooks as Record<string, unknown>;
    expect(hooks.PostToolUse).toEqual([
      { matcher: 'Bash', hooks: [LINT] },
      { matcher: '*', hooks: [COMMAND_ENTRY] },
    ]);
    expect(Object.hasOwn(hooks, 'RetiredEvent')).toBe(false);
    expect(summary).toEqual({ events: 12, replaced: 1, dropped: 3 });
    expect(hookdEntries(next)).toHaveLength(12);
  });
});

describe('uninstallClaudeCodeHooks', () => {
  it('gives back the original bytes after an install, in either mode and after switching', () => {
    const original = ORIGINAL_TEXT;
    for (const targets of [[AS_COMMAND], [AS_HTTP], [AS_COMMAND, AS_HTTP, AS_HTTP]]) {
      let settings = parseClaudeCodeSettings(original);
      for (const target of targets) settings = installClaudeCodeHooks(parseClaudeCodeSettings(text(settings)), target).settings;
      const { settings: removed, summary } = uninstallClaudeCodeHooks(parseClaudeCodeSettings(text(settings)));
      expect(text(removed)).toBe(original);
      expect(summary).toEqual({ events: 12, entries: 12 });
    }
  });

  it("removes only hookd's entry from a group it shares with the user's own command", () => {
    const shared = { hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE, COMMAND_ENTRY] }], Stop: [{ hooks: [HTTP_ENTRY] }] }, model: 'x' };
    const { settings, summary } = uninstallClaudeCodeHooks(parseClaudeCodeSettings(JSON.stringify(shared)));
    expect(settings).toEqual({ hooks: { PreToolUse: [{ matcher: '*', hooks: [MINE] }] }, model: 'x' });
    expect(summary).toEqual({ events: 2, entries: 2 });
  });

  it('removes hooks when only hookd was in it, and leaves a file without hookd untouched', () => {
    const installed = installClaudeCodeHooks({ model: 'opus' }, AS_COMMAND).settings;
    expect(uninstallClaudeCodeHooks(installed).settings).toEqual({ model: 'opus' });

    const foreign = userSettings();
    const result = uninstallClaudeCodeHooks(foreign);
    expect(result.settings).toBe(foreign);
    expect(result.summary).toEqual({ events: 0, entries: 0 });
    expect(uninstallClaudeCodeHooks({ a: 1 }).summary).toEqual({ events: 0, entries: 0 });
  });
});

describe('isHookdEntry (the recognition rule)', () => {
  it.each([
    [{ type: 'command', command: COMMAND }, true],
    [{ type: 'command', command: "'/it'\\''s/dist/cli/main.js' emit" }, true],
    [{ type: 'command', command: '/srv/hookd/dist/cli/main.js emit' }, true],
    [{ type: 'http', url: 'https://hookd.example/base/hooks/claude-code' }, true],
    [{ type: 'command', command: 'hookd emit | tee -a /tmp/log' }, false],
    [{ type: 'command', command: "'/opt/hookd/dist/cli/main.js' emit; echo ok" }, false],
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
  });

  it('turns the --http base URL into the hook route once, however it ends', () => {
    expect(claudeCodeHookUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/hooks/claude-code');
    expect(claudeCodeHookUrl('http://127.0.0.1:8080//')).toBe('http://127.0.0.1:8080/hooks/claude-code');
    expect(claudeCodeHookUrl('https://Hookd.Example/base/')).toBe('https://hookd.example/base/hooks/claude-code');
    expect(claudeCodeHookUrl('http://localhost:8080/hooks/claude-code/')).toBe('http://localhost:8080/hooks/claude-code');
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

describe('parseClaudeCodeSettings', () => {
  it('reads an empty file as {} and skips a byte-order mark', () => {
    expect(parseClaudeCodeSettings('  \n')).toEqual({});
    expect(parseClaudeCodeSettings('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it.each([
    ['{\n  // my hooks\n  "a": 1\n}', /^not valid JSON \(.*line 2 column 3\)\); comments and trailing commas are not supported/],
    ['{"a": 1,}', /^not valid JSON .*comments and trailing commas are not supported/],
    ['sk-ant-secret', /^not valid JSON \(Unexpected token 's'\);/],
    ['[1, 2]', /^the top level must be a JSON object, not an array$/],
  ])('refuses %j', (input, message) => {
    const error = catchError(() => parseClaudeCodeSettings(input));
    expect(error).toBeInstanceOf(ClaudeCodeSettingsError);
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
    expect(() => installClaudeCodeHooks(settings, AS_COMMAND)).toThrow(new ClaudeCodeSettingsError(message));
    expect(() => uninstallClaudeCodeHooks(settings)).toThrow(new ClaudeCodeSettingsError(message));
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
