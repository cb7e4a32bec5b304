// hookd install codex and gemini, as a user runs them: the real bin/hookd in a temp HOME.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lines, runHookd } from './cli-harness.ts';

const ROOT = realpathSync(resolve(import.meta.dirname, '../..'));
const EMIT = `'${ROOT}/node_modules/node/bin/node' '${ROOT}/dist/cli/main.js' emit`;

let home: string;
let hookdHome: string;
const hookd = (...args: string[]) => runHookd(args, { HOME: home, HOOKD_HOME: hookdHome, CI: 'true' });
const records = () => (existsSync(join(hookdHome, 'installs')) ? readdirSync(join(hookdHome, 'installs')) : []);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hookd-install-'));
  hookdHome = join(home, 'hookd-home');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('hookd install codex', () => {
  const codexDir = () => join(home, '.codex');
  const CODEX_EMIT = `HOOKD_URL='http://127.0.0.1:8080' ${EMIT} --source codex`;

  it('writes hooks.json and the feature flag, and uninstall gives both back byte for byte', async () => {
    mkdirSync(codexDir());
    const config = '# my Codex\nmodel = "gpt-5-codex"\n\n[features]\nweb_search_request = true\n';
    writeFileSync(join(codexDir(), 'config.toml'), config);
    const res = await hookd('install', 'codex', '--url', 'http://127.0.0.1:8080');
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toEqual([
      `registered hookd for 12 Codex hook events in ${join(codexDir(), 'hooks.json')}`,
      `turned Codex hooks on ([features] codex_hooks = true) in ${join(codexDir(), 'config.toml')}`,
      'events go to http://127.0.0.1:8080 (HOOKD_URL in the hook command); token: none yet (hookd token save)',
    ]);
    expect(res.stderr).toContain('open /hooks in Codex');
    const hooks = JSON.parse(readFileSync(join(codexDir(), 'hooks.json'), 'utf8'));
    expect(hooks.hooks.PostToolUse).toEqual([{ hooks: [{ type: 'command', command: CODEX_EMIT, timeout: 10 }] }]);
    expect(Object.keys(hooks.hooks)).toContain('SessionEnd');
    expect(readFileSync(join(codexDir(), 'config.toml'), 'utf8')).toBe(
      '# my Codex\nmodel = "gpt-5-codex"\n\n[features]\ncodex_hooks = true\nweb_search_request = true\n',
    );
    expect((await hookd('install', 'codex', '--url', 'http://127.0.0.1:8080')).stdout).toContain('already');

    const removed = await hookd('uninstall', 'codex');
    expect(removed.code).toBe(0);
    expect(lines(removed.stdout)).toEqual([
      `removed hookd from 12 Codex hook events in ${join(codexDir(), 'hooks.json')}: deleted the file, which hookd install created`,
      `removed hookd's codex_hooks = true in ${join(codexDir(), 'config.toml')}; it is back to its bytes from before install`,
    ]);
    expect(readdirSync(codexDir())).toEqual(['config.toml']);
    expect(readFileSync(join(codexDir(), 'config.toml'), 'utf8')).toBe(config);
    expect(records()).toEqual([]);
  });

  it("--project keeps edits made since, and removes only hookd's part", async () => {
    const project = join(home, 'repo');
    mkdirSync(join(project, '.codex'), { recursive: true });
    const hooksFile = join(project, '.codex', 'hooks.json');
    writeFileSync(hooksFile, '{\n    "hooks": {\n        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]\n    }\n}\n');
    expect((await hookd('install', 'codex', '--project', project)).code).toBe(0);
    const installed = JSON.parse(readFileSync(hooksFile, 'utf8'));
    expect(installed.hooks.Stop[1]).toEqual({ hooks: [{ type: 'command', command: `${EMIT} --source codex`, timeout: 10 }] });
    installed.description = 'mine';
    writeFileSync(hooksFile, `${JSON.stringify(installed, null, 4)}\n`);
    writeFileSync(join(project, '.codex', 'config.toml'), `model = "o3"\n${readFileSync(join(project, '.codex', 'config.toml'), 'utf8')}`);

    expect((await hookd('uninstall', 'codex', '--project', project)).code).toBe(0);
    expect(readFileSync(hooksFile, 'utf8')).toBe(
      '{\n    "hooks": {\n        "Stop": [\n            {\n                "hooks": [\n                    {\n                        "type": "command",\n                        "command": "say done"\n                    }\n                ]\n            }\n        ]\n    },\n    "description": "mine"\n}\n',
    );
    expect(readFileSync(join(project, '.codex', 'config.toml'), 'utf8')).toBe('model = "o3"\n');
    expect(existsSync(join(home, '.codex'))).toBe(false);
  });

  it('leaves a config.toml that turns hooks off as it is, and says so', async () => {
    mkdirSync(codexDir());
    writeFileSync(join(codexDir(), 'config.toml'), '[features]\nhooks = false\n');
    const res = await hookd('install', 'codex');
    expect(res.code).toBe(0);
    expect(lines(res.stdout)[1]).toBe(`[features] already sets hooks = false in ${join(codexDir(), 'config.toml')}; nothing changed`);
    expect(res.stderr).toContain("turns Codex hooks off (hooks = false): hookd's hooks will not run until it says true");
    expect(readFileSync(join(codexDir(), 'config.toml'), 'utf8')).toBe('[features]\nhooks = false\n');
  });

  it('refuses a hooks.json it cannot parse, naming it, and changes nothing', async () => {
    mkdirSync(codexDir());
    writeFileSync(join(codexDir(), 'hooks.json'), '{"hooks": {},}');
    for (const command of ['install', 'uninstall']) {
      const res = await hookd(command, 'codex');
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(
        new RegExp(`^hookd: ${join(codexDir(), 'hooks.json')}: not valid JSON .*not supported in hooks.json.*; nothing was changed\\n$`),
      );
    }
    expect(readdirSync(codexDir())).toEqual(['hooks.json']);
  });
});

describe('hookd install gemini', () => {
  it('registers command hooks in ~/.gemini/settings.json, and uninstall gives the file back', async () => {
    const file = join(home, '.gemini', 'settings.json');
    mkdirSync(join(home, '.gemini'));
    const original = '{\n  "theme": "GitHub",\n  "hooksConfig": {\n    "enabled": true\n  }\n}\n';
    writeFileSync(file, original);
    const res = await hookd('install', 'gemini', '--url', 'http://127.0.0.1:8080');
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toEqual([
      `registered hookd for 10 Gemini CLI hook events in ${file}`,
      'events go to http://127.0.0.1:8080 (HOOKD_URL in the hook command); token: none yet (hookd token save)',
    ]);
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    const entry = {
      name: 'hookd',
      type: 'command',
      command: `HOOKD_URL='http://127.0.0.1:8080' ${EMIT} --source gemini-cli`,
      timeout: 10000,
    };
    expect(settings.hooks.AfterTool).toEqual([{ matcher: '*', hooks: [entry] }]);
    expect(settings.hooks.SessionEnd).toEqual([{ hooks: [entry] }]);
    expect(Object.hasOwn(settings.hooks, 'AfterModel')).toBe(false);

    const removed = await hookd('uninstall', 'gemini');
    expect(removed.stdout).toBe(`removed hookd from 10 Gemini CLI hook events in ${file}; it is back to its bytes from before install\n`);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('refuses a settings.json it cannot parse, and changes nothing', async () => {
    const file = join(home, '.gemini', 'settings.json');
    mkdirSync(join(home, '.gemini'));
    writeFileSync(file, '{"hooks": {"BeforeTool": {}}}');
    const res = await hookd('install', 'gemini');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`hookd: ${file}: "hooks.BeforeTool" must be an array of matcher groups, not an object; nothing was changed\n`);
    expect(readFileSync(file, 'utf8')).toBe('{"hooks": {"BeforeTool": {}}}');
  });
});
