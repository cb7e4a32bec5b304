import { describe, expect, it } from 'vitest';
import { CODEX_EVENTS, codexHooksFileEdit } from './codex-hooks.ts';
import { GEMINI_EVENTS, GEMINI_UNREGISTERED_EVENTS, geminiFileEdit } from './gemini-settings.ts';
import { hookdEmitCommand } from './hookd-emit-command.ts';

const CODEX = hookdEmitCommand('/n', '/h/dist/cli/main.js', { source: 'codex', url: 'http://127.0.0.1:8080' });
const GEMINI = hookdEmitCommand('/n', '/h/dist/cli/main.js', { source: 'gemini-cli' });
const MINE = { type: 'command', command: 'say hi' };

describe("Codex's hooks.json", () => {
  const edit = codexHooksFileEdit('/p/.codex/hooks.json', CODEX);

  it('registers every Codex event with a waiting command hook and no matcher', () => {
    const written = JSON.parse(edit.install(null, null).text!);
    expect(Object.keys(written)).toEqual(['hooks']);
    expect(Object.keys(written.hooks)).toEqual(CODEX_EVENTS.map((e) => e.name));
    expect(written.hooks.PreToolUse).toEqual([{ hooks: [{ type: 'command', command: CODEX, timeout: 10 }] }]);
    expect(written.hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: CODEX, timeout: 3 }] }]);
    expect(JSON.stringify(written)).not.toContain('async');
  });

  it("keeps the user's own hooks, and takes only hookd's back out", () => {
    const before = `{\n\t"description": "mine",\n\t"hooks": {\n\t\t"Stop": [\n\t\t\t{\n\t\t\t\t"hooks": [\n\t\t\t\t\t${JSON.stringify(MINE)}\n\t\t\t\t]\n\t\t\t}\n\t\t]\n\t}\n}\n`;
    const installed = edit.install(before, null).text!;
    expect(JSON.parse(installed).hooks.Stop).toEqual([{ hooks: [MINE] }, { hooks: [{ type: 'command', command: CODEX, timeout: 10 }] }]);
    expect(installed).toContain('\n\t"hooks": {\n\t\t"Stop": [');
    expect(edit.install(installed, null).text).toBe(installed);
    const stripped = edit.strip(installed, null);
    expect(JSON.parse(stripped.text)).toEqual(JSON.parse(before));
    expect(stripped.done).toBe(`removed hookd from ${CODEX_EVENTS.length} Codex hook events`);
  });
});

describe("Gemini CLI's settings.json", () => {
  const edit = geminiFileEdit('/p/.gemini/settings.json', GEMINI);
  const entry = { name: 'hookd', type: 'command', command: GEMINI, timeout: 10_000 };

  it('registers the observe-only events, tool events with matcher "*", never AfterModel', () => {
    const written = JSON.parse(edit.install('{"theme": "dark"}', null).text!);
    expect(Object.keys(written)).toEqual(['theme', 'hooks']);
    expect(Object.keys(written.hooks)).toEqual(GEMINI_EVENTS.map((e) => e.name));
    expect(written.hooks.BeforeTool).toEqual([{ matcher: '*', hooks: [entry] }]);
    expect(written.hooks.SessionStart).toEqual([{ hooks: [entry] }]);
    expect(GEMINI_UNREGISTERED_EVENTS.map((e) => e.name)).toEqual(['AfterModel']);
    expect(Object.hasOwn(written.hooks, 'AfterModel')).toBe(false);
  });

  it('leaves settings kept inside hooks by older versions as they are, and says when hooks are off', () => {
    const before = JSON.stringify({ hooksConfig: { enabled: false }, hooks: { enabled: true, disabled: ['x'] } });
    const outcome = edit.install(before, null);
    const written = JSON.parse(outcome.text!);
    expect(written.hooks.enabled).toBe(true);
    expect(written.hooks.disabled).toEqual(['x']);
    expect(outcome.notes).toEqual([
      "/p/.gemini/settings.json turns Gemini CLI hooks off (hooksConfig.enabled: false): hookd's hooks will not run until it is true",
    ]);
    expect(JSON.parse(edit.strip(outcome.text!, null).text)).toEqual(JSON.parse(before));
  });
});
