// `hookd service`: the unit and the plist as systemd and launchd will read them, and the
// commands end to end through bin/hookd. systemctl and launchctl are stubs on a PATH of
// their own, so no test ever reaches the user's real service manager or home.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchdPlist, xml } from '../../src/cli/service/launchd-plist.ts';
import { serviceEnvironment, settingsLeftBehind } from '../../src/cli/service/service-environment.ts';
import { serviceFiles, serviceLocation, servicePlatform } from '../../src/cli/service/service-files.ts';
import { environmentFileOf, stopTimeoutSeconds, systemdEnvironmentFile, systemdUnit } from '../../src/cli/service/systemd-unit.ts';
import { type CliResult, lines, runHookd } from './cli-harness.ts';

const ROOT = realpathSync(resolve(import.meta.dirname, '../..'));
const BIN = join(ROOT, 'bin/hookd');
const NASTY = `it's a "quoted" $HOME \${X} \`date\` \\n back\\slash & <b> 100% %h`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(name = 'hookd-service-'): string {
  const dir = mkdtempSync(join(tmpdir(), name));
  dirs.push(dir);
  return dir;
}

/** Whether a program is on this machine's PATH. */
function has(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

function linuxFiles(hookdHome: string, env: Record<string, string>) {
  const [unit, envFile] = serviceFiles({
    platform: 'linux',
    userHome: '/home/ana',
    xdgConfigHome: undefined,
    hookdHome,
    bin: BIN,
    env,
    shutdownTimeoutMs: 10_000,
    docs: 'file:///opt/hookd/docs/cli.md#hookd-service',
  });
  return { unit: unit!, envFile: envFile! };
}

describe('the systemd user unit', () => {
  it('runs the absolute bin/hookd with the env file, restarts on failure, and starts with the user manager', () => {
    const { unit, envFile } = linuxFiles('/home/ana/.hookd', { HOOKD_PORT: '9000' });
    expect(unit.path).toBe('/home/ana/.config/systemd/user/hookd.service');
    expect(unit.mode).toBe(0o644);
    expect(envFile).toMatchObject({ path: '/home/ana/.hookd/service.env', mode: 0o600 });
    const settings = unit.content.split('\n');
    expect(settings).toEqual(
      expect.arrayContaining([
        '[Unit]',
        'After=network-online.target',
        '[Service]',
        'Type=simple',
        `ExecStart=${BIN} serve`,
        'WorkingDirectory=/home/ana/.hookd',
        'Environment="HOOKD_HOME=/home/ana/.hookd"',
        'EnvironmentFile=/home/ana/.hookd/service.env',
        'Restart=on-failure',
        'RestartSec=2',
        // serve's drain (HOOKD_SHUTDOWN_TIMEOUT_MS, 10 s) and a margin before any SIGKILL.
        'TimeoutStopSec=15',
        '[Install]',
        'WantedBy=default.target',
      ]),
    );
    expect(BIN.startsWith('/')).toBe(true);
    // The settings stay out of the world-readable unit.
    expect(unit.content).not.toContain('9000');
    expect(environmentFileOf(unit.content)).toBe('/home/ana/.hookd/service.env');
  });

  it('keeps % and $ in paths literal: specifiers and ExecStart variables escaped, spaces quoted', () => {
    const unit = systemdUnit({
      bin: '/opt/my hookd/bin/hookd$x',
      hookdHome: '/srv/100% "h"',
      envFile: '/srv/100% "h"/service.env',
      docs: 'file:///opt/my%20hookd/docs/cli.md',
      shutdownTimeoutMs: 0,
    });
    expect(unit).toContain('ExecStart="/opt/my hookd/bin/hookd$$x" serve');
    expect(unit).toContain('WorkingDirectory=/srv/100%% "h"');
    expect(unit).toContain('Environment="HOOKD_HOME=/srv/100%% \\"h\\""');
    expect(unit).toContain('Documentation=file:///opt/my%%20hookd/docs/cli.md');
    expect(environmentFileOf(unit)).toBe('/srv/100% "h"/service.env');
    expect(unit).toContain('TimeoutStopSec=5');
    expect(() => systemdUnit({ bin: BIN, hookdHome: '/a\nExecStartPre=/bin/evil', envFile: '/e', docs: '', shutdownTimeoutMs: 0 })).toThrow(
      /line break/,
    );
  });

  it('writes each env value so that what is read back is the value, whatever it holds', () => {
    const env = { HOOKD_SECRET_KEY: NASTY, HOOKD_DATABASE_URL: 'postgres://u:p@h/db?x=1&y=$2', HOOKD_MULTI: 'one\ntwo' };
    const text = systemdEnvironmentFile(env);
    expect(text).toContain(`HOOKD_SECRET_KEY="it's a \\"quoted\\" \\$HOME \\\${X} \\\`date\\\` \\\\n back\\\\slash & <b> 100% %h"`);
    // systemd's EnvironmentFile= unescapes exactly what a POSIX shell does in double quotes
    // (its SHELL_NEED_ESCAPE set), and expands nothing: sh reading the file is the oracle.
    const file = join(tempDir(), 'service.env');
    writeFileSync(file, text);
    const read = execFileSync(
      '/bin/sh',
      ['-c', 'set -a; . "$1"; printf "%s\\0%s\\0%s" "$HOOKD_SECRET_KEY" "$HOOKD_DATABASE_URL" "$HOOKD_MULTI"', 'sh', file],
      {
        env: { HOME: '/nowhere', X: 'expanded' },
        encoding: 'utf8',
      },
    );
    expect(read.split('\0')).toEqual([NASTY, env.HOOKD_DATABASE_URL, 'one\ntwo']);
    expect(() => systemdEnvironmentFile({ 'BAD NAME': 'x' })).toThrow(/not a variable name/);
  });

  const analyze = '/usr/bin/systemd-analyze';
  const canAnalyze = existsSync(analyze);
  if (!canAnalyze) console.warn(`skipping systemd-analyze verify: ${analyze} does not exist on this machine`);

  /** `systemd-analyze verify --user` without a user session: a private runtime directory stands in for one. */
  function verify(unitFile: string): { code: number; output: string } {
    const runtime = tempDir('hookd-runtime-');
    chmodSync(runtime, 0o700);
    const result = spawnSync(analyze, ['verify', '--user', '--man=no', '--generators=no', unitFile], {
      env: { PATH: process.env.PATH ?? '', HOME: runtime, XDG_RUNTIME_DIR: runtime },
      encoding: 'utf8',
    });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  it.skipIf(!canAnalyze)('passes systemd-analyze verify without a warning, which a broken unit does not', () => {
    const dir = tempDir();
    // %Z is no specifier: unescaped, verify refuses the unit.
    const home = join(dir, 'home with spaces %Z');
    mkdirSync(home);
    const { unit } = linuxFiles(home, {});
    const good = join(dir, 'hookd.service');
    writeFileSync(good, unit.content);
    expect(verify(good)).toEqual({ code: 0, output: '' });

    // The same check fails, or at least warns, on what a bad generator would write.
    const broken = (name: string, from: string, to: string) => {
      const file = join(tempDir(), name);
      writeFileSync(file, unit.content.replace(from, to));
      return verify(file);
    };
    const missingBin = broken('hookd.service', `ExecStart=${BIN}`, `ExecStart=${BIN}-missing`);
    expect(missingBin.code).not.toBe(0);
    expect(missingBin.output).toMatch(/not executable/);
    const relative = broken('hookd.service', `ExecStart=${BIN}`, 'ExecStart=bin/hookd');
    expect(relative.code).not.toBe(0);
    const typo = broken('hookd.service', 'Restart=on-failure', 'Restrat=on-failure');
    expect(typo.output).toMatch(/Unknown key/);
    // A % left unescaped is read as a specifier.
    const unescaped = broken('hookd.service', 'WorkingDirectory=', 'WorkingDirectory=/srv/%Z');
    expect(unescaped.code).not.toBe(0);
  });
});

/** A plist as launchd reads one, strictly: well-formed XML, known elements, entities decoded. */
function parsePlist(text: string): unknown {
  const body = text
    .replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
    .replace(
      /^<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN" "http:\/\/www\.apple\.com\/DTDs\/PropertyList-1\.0\.dtd">\n/,
      '',
    );
  const tokens = body.match(/<[^>]*>|[^<]+/g) ?? [];
  let at = 0;
  const decode = (raw: string): string => {
    if (/[<>]/.test(raw)) throw new Error(`unescaped markup in ${JSON.stringify(raw)}`);
    return raw.replace(/&([^;]*);?/g, (all, name: string) => {
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (!all.endsWith(';')) throw new Error(`bare & in ${JSON.stringify(raw)}`);
      if (name in named) return named[name]!;
      if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
      throw new Error(`unknown entity &${name};`);
    });
  };
  const skipSpace = () => {
    while (at < tokens.length && /^\s+$/.test(tokens[at]!)) at++;
  };
  const expectTag = (tag: string) => {
    skipSpace();
    if (tokens[at] !== tag) throw new Error(`expected ${tag}, found ${tokens[at]}`);
    at++;
  };
  const text_ = (close: string): string => {
    let raw = '';
    if (tokens[at] !== close) raw = tokens[at++]!;
    expectTag(close);
    return decode(raw);
  };
  const value = (): unknown => {
    skipSpace();
    const tag = tokens[at++];
    switch (tag) {
      case '<string>':
        return text_('</string>');
      case '<integer>':
        return Number(text_('</integer>'));
      case '<true/>':
        return true;
      case '<false/>':
        return false;
      case '<array>': {
        const items: unknown[] = [];
        for (skipSpace(); tokens[at] !== '</array>'; skipSpace()) items.push(value());
        at++;
        return items;
      }
      case '<dict>': {
        const dict: Record<string, unknown> = {};
        for (skipSpace(); tokens[at] !== '</dict>'; skipSpace()) {
          expectTag('<key>');
          const key = text_('</key>');
          if (key in dict) throw new Error(`duplicate key ${key}`);
          dict[key] = value();
        }
        at++;
        return dict;
      }
      default:
        throw new Error(`unexpected ${tag}`);
    }
  };
  expectTag('<plist version="1.0">');
  const root = value();
  expectTag('</plist>');
  skipSpace();
  if (at !== tokens.length) throw new Error('content after </plist>');
  return root;
}

describe('the launchd agent', () => {
  const input = {
    bin: '/Users/ana/src/hookd & co/bin/hookd',
    hookdHome: '/Users/ana/<hookd>',
    env: { HOOKD_SECRET_KEY: NASTY, HOOKD_DATABASE_URL: 'postgres://u:p"&<>@h/db?a=1&b=2', HOOKD_CR: 'a\r\nb' },
    shutdownTimeoutMs: 30_000,
  };
  const expected = {
    Label: 'dev.hookd.serve',
    ProgramArguments: [input.bin, 'serve'],
    EnvironmentVariables: { HOOKD_HOME: input.hookdHome, ...input.env },
    WorkingDirectory: input.hookdHome,
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ExitTimeOut: 35,
    StandardOutPath: '/Users/ana/<hookd>/logs/hookd.out.log',
    StandardErrorPath: '/Users/ana/<hookd>/logs/hookd.err.log',
  };

  it('is well-formed, holds every key, and gives back each value with & < > " \' escaped', () => {
    const plist = launchdPlist(input);
    expect(parsePlist(plist)).toEqual(expected);
    expect(plist).toContain('<string>/Users/ana/src/hookd &amp; co/bin/hookd</string>');
    expect(plist).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#13;)/);
    expect(() => xml('bell\u0007')).toThrow(/control character/);
    expect(stopTimeoutSeconds(30_000)).toBe(35);
  });

  it.skipIf(!has('python3'))("reads back the same through Python's plistlib (expat), a real XML parser", () => {
    const file = join(tempDir(), 'dev.hookd.serve.plist');
    writeFileSync(file, launchdPlist(input));
    const json = execFileSync(
      'python3',
      ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))', file],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(json)).toEqual(expected);
  });

  it.skipIf(!has('plutil'))('passes plutil -lint', () => {
    const file = join(tempDir(), 'dev.hookd.serve.plist');
    writeFileSync(file, launchdPlist(input));
    expect(execFileSync('plutil', ['-lint', file], { encoding: 'utf8' })).toMatch(/OK/);
  });
});

describe('where the service lives and what it gets', () => {
  it('follows an absolute XDG_CONFIG_HOME only, as systemd does, and ~/Library/LaunchAgents on macOS', () => {
    const paths = { userHome: '/home/ana', hookdHome: '/h' };
    expect(serviceLocation('linux', { ...paths, xdgConfigHome: '/x' }).file).toBe('/x/systemd/user/hookd.service');
    expect(serviceLocation('linux', { ...paths, xdgConfigHome: 'relative' }).file).toBe('/home/ana/.config/systemd/user/hookd.service');
    expect(serviceLocation('darwin', paths)).toEqual({
      platform: 'darwin',
      file: '/home/ana/Library/LaunchAgents/dev.hookd.serve.plist',
      envFile: null,
      logs: '/h/logs',
    });
  });

  it("takes the HOOKD_ settings but the home and the clients' ones, and the storage flags", () => {
    const env = {
      HOOKD_PORT: '9000',
      HOOKD_EMPTY: '',
      HOOKD_HOME: '/h',
      HOOKD_TOKEN: 'secret-client-token',
      HOOKD_URL: 'http://x',
      PATH: '/bin',
      DATABASE_URL: 'postgres://app',
      PORT: '3000',
    };
    const chosen = serviceEnvironment(env, { storage: 'sqlite' });
    expect(chosen).toEqual({ HOOKD_PORT: '9000', HOOKD_STORAGE_TYPE: 'sqlite' });
    expect(settingsLeftBehind(env, chosen)).toEqual(['DATABASE_URL']);
  });

  it('refuses a platform without a service manager it knows', () => {
    expect(servicePlatform(undefined, 'linux')).toBe('linux');
    expect(servicePlatform('darwin', 'linux')).toBe('darwin');
    expect(() => servicePlatform(undefined, 'win32')).toThrow(/linux .* and darwin .*; this system is win32/);
  });
});

/** A temporary user: home, XDG_CONFIG_HOME, HOOKD_HOME, and a PATH holding only stub service managers. */
function tempUser() {
  const dir = tempDir();
  const user = {
    home: join(dir, 'home'),
    config: join(dir, 'config'),
    hookdHome: join(dir, 'hookd home'),
    stubs: join(dir, 'stubs'),
    log: join(dir, 'tools.log'),
  };
  mkdirSync(user.home);
  mkdirSync(user.stubs);
  // Records its arguments and answers like the real one; exit status and message from the caller.
  for (const tool of ['systemctl', 'launchctl']) {
    writeFileSync(
      join(user.stubs, tool),
      `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> "$STUB_LOG"\n` +
        'case "$2" in is-active) echo active ;; is-enabled) echo enabled ;; esac\n' +
        `[ -n "$STUB_FAIL" ] && case "$*" in *"$STUB_FAIL"*) echo "stub: $STUB_FAIL refused" >&2; exit "\${STUB_EXIT:-1}" ;; esac\nexit 0\n`,
    );
    chmodSync(join(user.stubs, tool), 0o755);
  }
  const env = (extra: Record<string, string> = {}) => ({
    HOME: user.home,
    XDG_CONFIG_HOME: user.config,
    HOOKD_HOME: user.hookdHome,
    PATH: user.stubs,
    STUB_LOG: user.log,
    CI: 'true',
    ...extra,
  });
  const run = (args: string[], extra: Record<string, string> = {}) => runHookd(['service', ...args], env(extra));
  const calls = () => {
    const text = existsSync(user.log) ? readFileSync(user.log, 'utf8') : '';
    rmSync(user.log, { force: true });
    return lines(text);
  };
  return { ...user, env, run, calls, unit: join(user.config, 'systemd/user/hookd.service'), envFile: join(user.hookdHome, 'service.env') };
}

function ok(result: CliResult): CliResult {
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return result;
}

describe('hookd service, end to end', () => {
  it('install --no-start, status --json, uninstall: files written 0600, reported, removed', async () => {
    const user = tempUser();
    const secret = { HOOKD_SECRET_KEY: NASTY, HOOKD_TOKEN: 'client-only' };
    const install = ok(await user.run(['install', '--no-start', '--platform', 'linux'], secret));
    expect(lines(install.stdout)).toEqual([
      `wrote ${user.unit}`,
      `wrote ${user.envFile} (HOOKD_HOME=${user.hookdHome} and 1 HOOKD_ setting, mode 0600)`,
      'not started (--no-start); to start it:',
      '  systemctl --user daemon-reload',
      '  systemctl --user enable --now hookd.service',
    ]);
    // Never a setting's value on the terminal.
    expect(install.stdout + install.stderr).not.toContain('quoted');
    expect(user.calls()).toEqual([]);
    expect(readFileSync(user.unit, 'utf8')).toContain(`ExecStart=${BIN} serve`);
    expect(statSync(user.envFile).mode & 0o777).toBe(0o600);
    expect(statSync(user.hookdHome).mode & 0o777).toBe(0o700);
    expect(readFileSync(user.envFile, 'utf8')).not.toContain('client-only');

    const again = ok(await user.run(['install', '--no-start'], secret));
    expect(again.stdout).toContain(`replaced ${user.unit}\n`);
    expect(again.stdout).toContain('  systemctl --user restart hookd.service\n');

    const port = await freePort();
    const status = JSON.parse(ok(await user.run(['status', '--json', '--platform', 'linux'], { HOOKD_PORT: String(port) })).stdout);
    expect(status).toEqual({
      platform: 'linux',
      file: user.unit,
      installed: true,
      env_file: user.envFile,
      env_file_installed: true,
      manager: { name: 'systemd', asked: true, active: 'active', enabled: 'enabled' },
      server: { url: `http://127.0.0.1:${port}`, answers: false, error: 'ECONNREFUSED' },
    });
    expect(user.calls()).toEqual(['systemctl --user is-active hookd.service', 'systemctl --user is-enabled hookd.service']);

    const uninstall = ok(await user.run(['uninstall']));
    expect(lines(uninstall.stdout)).toEqual([`removed ${user.unit}`, `removed ${user.envFile}`]);
    expect(user.calls()).toEqual(['systemctl --user disable --now hookd.service', 'systemctl --user daemon-reload']);
    expect(existsSync(user.unit) || existsSync(user.envFile)).toBe(false);

    const nothing = ok(await user.run(['uninstall']));
    expect(nothing.stdout).toBe(`no hookd service installed (no ${user.unit}); nothing removed\n`);
    expect(user.calls()).toEqual([]);
  });

  it('install without --no-start and no systemctl on PATH: exits 1 naming systemctl, keeps the files', async () => {
    const user = tempUser();
    const empty = tempDir();
    const result = await user.run(['install', '--platform', 'linux'], { PATH: empty });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/`systemctl --user daemon-reload` failed: systemctl was not found on PATH/);
    expect(result.stderr).toContain('  systemctl --user enable --now hookd.service');
    expect(existsSync(user.unit) && existsSync(user.envFile)).toBe(true);
  });

  it('starts through systemctl, restarts on reinstall, and reports a refusal with the commands to run', async () => {
    const user = tempUser();
    const first = ok(await user.run(['install', '--platform', 'linux']));
    expect(first.stdout).toContain('enabled and started hookd.service');
    expect(user.calls()).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now hookd.service']);
    ok(await user.run(['install', '--platform', 'linux']));
    expect(user.calls()).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now hookd.service',
      'systemctl --user restart hookd.service',
    ]);
    // No user session: what failed, verbatim, and what to run once there is one.
    const refused = await user.run(['install', '--platform', 'linux'], { STUB_FAIL: 'enable' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/`systemctl --user enable --now hookd.service` failed: stub: enable refused/);
    expect(existsSync(user.unit)).toBe(true);
    // Uninstall removes the files even when stopping fails, and says how to stop by hand.
    const uninstall = ok(await user.run(['uninstall', '--platform', 'linux'], { STUB_FAIL: 'disable' }));
    expect(uninstall.stderr).toMatch(
      /disable --now hookd.service` failed: stub: disable refused; removing the files anyway.*systemctl --user stop/,
    );
    expect(existsSync(user.unit)).toBe(false);
  });

  it('on macOS: writes the plist 0600, boots out a loaded agent before bootstrapping it again', async () => {
    const user = tempUser();
    const uid = process.getuid!();
    const plist = join(user.home, 'Library/LaunchAgents/dev.hookd.serve.plist');
    // launchctl print exiting 113: the label is not loaded.
    const first = ok(await user.run(['install', '--platform', 'darwin'], { STUB_FAIL: 'print', STUB_EXIT: '113', HOOKD_PORT: '9001' }));
    expect(first.stdout).toContain(`wrote ${plist} (HOOKD_HOME=${user.hookdHome} and 1 HOOKD_ setting, mode 0600)`);
    expect(user.calls()).toEqual([`launchctl print gui/${uid}/dev.hookd.serve`, `launchctl bootstrap gui/${uid} ${plist}`]);
    expect(statSync(plist).mode & 0o777).toBe(0o600);
    expect(existsSync(join(user.hookdHome, 'logs'))).toBe(true);
    expect(parsePlist(readFileSync(plist, 'utf8'))).toMatchObject({
      ProgramArguments: [BIN, 'serve'],
      EnvironmentVariables: { HOOKD_HOME: user.hookdHome, HOOKD_PORT: '9001' },
    });

    ok(await user.run(['install', '--platform', 'darwin']));
    expect(user.calls()).toEqual([
      `launchctl print gui/${uid}/dev.hookd.serve`,
      `launchctl bootout gui/${uid}/dev.hookd.serve`,
      `launchctl bootstrap gui/${uid} ${plist}`,
    ]);

    const status = JSON.parse(ok(await user.run(['status', '--platform', 'darwin', '--json', '--url', 'http://127.0.0.1:1'])).stdout);
    expect(status.manager).toEqual({ name: 'launchd', asked: true, loaded: true, exit_code: 0 });
    expect(status.env_file).toBeNull();
    user.calls();

    ok(await user.run(['uninstall', '--platform', 'darwin']));
    expect(user.calls()).toEqual([`launchctl print gui/${uid}/dev.hookd.serve`, `launchctl bootout gui/${uid}/dev.hookd.serve`]);
    expect(existsSync(plist)).toBe(false);
  });

  it("the unit's command and env file start a server that status sees, and SIGTERM stops it cleanly", async () => {
    const user = tempUser();
    const port = await freePort();
    ok(
      await user.run(['install', '--no-start', '--platform', 'linux'], {
        HOOKD_PORT: String(port),
        HOOKD_SECRET_KEY: `${NASTY}-long-enough`,
      }),
    );
    // What systemd does with the unit: HOOKD_HOME from Environment=, the env file over it, bin/hookd in the home.
    const server = spawn('/bin/sh', ['-c', 'set -a; . "$1"; exec "$2" serve', 'sh', user.envFile, BIN], {
      cwd: user.hookdHome,
      env: { HOOKD_HOME: user.hookdHome, PATH: '/usr/bin:/bin' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    try {
      let status: { server: { answers: boolean } } | undefined;
      for (let i = 0; i < 100 && !status?.server.answers; i++) {
        status = JSON.parse(ok(await user.run(['status', '--json'], { HOOKD_PORT: String(port) })).stdout);
        if (!status?.server.answers) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status?.server, stderr).toEqual({ url: `http://127.0.0.1:${port}`, answers: true });
      const text = ok(await user.run(['status'], { HOOKD_PORT: String(port) })).stdout;
      expect(text).toContain(`server    http://127.0.0.1:${port} answers\n`);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
