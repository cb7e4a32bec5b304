import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../core/app-error.ts';
import { loadConfig } from '../core/config.ts';
import type { GlobalOptions } from './cli-config.ts';
import { printJson } from './output.ts';
import { probeServer } from './server-probe.ts';
import { LAUNCHD_LABEL, launchdLogFiles } from './service/launchd-plist.ts';
import { runTool, type ToolResult } from './service/run-tool.ts';
import { serviceEnvironment, settingsLeftBehind } from './service/service-environment.ts';
import { type ServiceLocation, type ServicePlatform, serviceFiles, serviceLocation, servicePlatform } from './service/service-files.ts';
import { environmentFileOf, SYSTEMD_UNIT_NAME } from './service/systemd-unit.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

export interface ServiceOptions {
  platform?: string;
}

export interface InstallServiceOptions extends ServiceOptions {
  /** false with --no-start: write the files, leave the service manager alone. */
  start?: boolean;
}

export interface ServiceStatusOptions extends ServiceOptions {
  json?: boolean;
  url?: string;
}

/** This checkout: the service runs its bin/hookd, which picks the pinned Node by itself. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `hookd service install`: writes the unit (or plist) and its settings, then starts it unless --no-start. */
export async function serviceInstall(globals: GlobalOptions, options: InstallServiceOptions): Promise<void> {
  const platform = servicePlatform(options.platform);
  const env = serviceEnvironment(process.env, globals);
  // The settings the service will have, checked now: a mistake fails here, not in a restart loop.
  const config = loadConfig({ ...env, HOOKD_HOME: process.env.HOOKD_HOME });
  const bin = hookdBin();
  const location = serviceLocation(platform, paths(config.home));
  const files = serviceFiles({
    platform,
    ...paths(config.home),
    bin,
    env,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    docs: `${pathToFileURL(join(ROOT, 'docs', 'cli.md')).href}#hookd-service`,
  });
  const existed = files.map((file) => existsSync(file.path));

  // The service's working directory, and serve makes it 0700 too.
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  // launchd opens the log files but does not make their directory.
  if (location.logs) await mkdir(location.logs, { recursive: true, mode: 0o700 });
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFileAtomically(file.path, file.content, file.mode);
  }
  const count = Object.keys(env).length;
  // Names and counts only: the values may be secrets.
  const settings = `HOOKD_HOME=${config.home}${count === 0 ? ' only' : ` and ${count} HOOKD_ setting${count === 1 ? '' : 's'}`}`;
  files.forEach((file, i) => {
    const holdsSettings = file.mode === 0o600;
    process.stdout.write(`${existed[i] ? 'replaced' : 'wrote'} ${file.path}${holdsSettings ? ` (${settings}, mode 0600)` : ''}\n`);
  });
  for (const name of settingsLeftBehind(process.env, env)) {
    process.stderr.write(
      `hookd: note: ${name} is set here but the service gets only HOOKD_ names; to keep it, install with HOOKD_${name}\n`,
    );
  }

  const steps = startSteps(location, existed[0] === true);
  if (options.start === false) {
    process.stdout.write(`not started (--no-start); to start it:\n${steps.map((step) => `  ${shellLine(step)}\n`).join('')}`);
    return;
  }
  if (platform === 'darwin') {
    // bootstrap refuses a label that is loaded already: the old definition goes first.
    const loaded = await runTool(['launchctl', 'print', launchdTarget()]);
    if (loaded.ok) await runOrExplain(['launchctl', 'bootout', launchdTarget()], steps);
  }
  for (const step of steps) await runOrExplain(step, steps);
  process.stdout.write(
    platform === 'darwin'
      ? `loaded ${LAUNCHD_LABEL} into launchd; it starts at login (output: ${Object.values(launchdLogFiles(config.home)).join(', ')})\n`
      : `enabled and started ${SYSTEMD_UNIT_NAME}; it starts with your user session (logs: journalctl --user -u hookd)\n`,
  );
}

/** `hookd service uninstall`: stops the service where the manager can be asked, then removes its files. */
export async function serviceUninstall(_globals: GlobalOptions, options: ServiceOptions): Promise<void> {
  const platform = servicePlatform(options.platform);
  const location = await installedLocation(platform);
  const files = [location.file, location.envFile].filter((file): file is string => file !== null && existsSync(file));
  if (files.length === 0) {
    process.stdout.write(`no hookd service installed (no ${location.file}); nothing removed\n`);
    return;
  }
  if (existsSync(location.file)) {
    // Stopping is worth trying, not a reason to keep the files: where the manager cannot be
    // asked (no user session), nothing of it runs there either.
    const stop = await stopService(platform);
    if (stop && !stop.ok) {
      const by = platform === 'darwin' ? `launchctl bootout ${launchdTarget()}` : `systemctl --user stop ${SYSTEMD_UNIT_NAME}`;
      process.stderr.write(`hookd: \`${stop.command}\` failed: ${stop.problem}; removing the files anyway. If hookd still runs: ${by}\n`);
    }
  }
  for (const file of files) {
    await rm(file, { force: true });
    process.stdout.write(`removed ${file}\n`);
  }
  if (platform === 'linux') {
    // Quiet on failure: without a user manager there is nothing that remembers the unit.
    await runTool(['systemctl', '--user', 'daemon-reload']);
  }
}

interface ManagerState {
  name: 'systemd' | 'launchd';
  /** False when the manager could not be asked (not installed, no user session). */
  asked: boolean;
  /** systemd: is-active and is-enabled as systemctl prints them. */
  active?: string;
  enabled?: string;
  /** launchd: whether `launchctl print` knows the label, and its exit status. */
  loaded?: boolean;
  exit_code?: number | null;
  error?: string;
}

/** `hookd service status`: the file, what the service manager says, and whether a server answers. */
export async function serviceStatus(globals: GlobalOptions, options: ServiceStatusOptions): Promise<void> {
  const platform = servicePlatform(options.platform);
  const location = await installedLocation(platform);
  const [manager, server] = await Promise.all([askManager(platform), probeServer(globals, options.url)]);
  const status = {
    platform,
    file: location.file,
    installed: existsSync(location.file),
    env_file: location.envFile,
    env_file_installed: location.envFile === null ? null : existsSync(location.envFile),
    manager,
    server,
  };
  if (options.json) return printJson(status);
  const rows: [string, string][] = [
    ['platform', `${platform} (${platform === 'darwin' ? 'launchd agent' : 'systemd user unit'})`],
    ['file', `${status.file} (${status.installed ? 'installed' : 'not installed'})`],
  ];
  if (location.envFile) rows.push(['env file', `${location.envFile} (${status.env_file_installed ? 'present' : 'missing'})`]);
  rows.push([manager.name, describeManager(manager)]);
  rows.push(['server', `${server.url} ${server.answers ? 'answers' : `does not answer: ${server.error}`}`]);
  process.stdout.write(rows.map(([label, text]) => `${label.padEnd(9)} ${text}\n`).join(''));
}

/** The real path of this checkout's bin/hookd, once it is usable: a service would otherwise fail at every restart. */
function hookdBin(): string {
  const bin = join(ROOT, 'bin', 'hookd');
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(bin)) throw new AppError('not_installed', `${bin} is missing: the service needs hookd's checkout`, 500);
  if (!existsSync(main))
    throw new AppError('not_installed', `hookd is not built (${main} is missing); run 'npm run build' in ${ROOT} first`, 500);
  return realpathSync(bin);
}

function paths(hookdHome: string) {
  return { userHome: homedir(), xdgConfigHome: process.env.XDG_CONFIG_HOME, hookdHome };
}

/**
 * Where the installed service is. The env file is the one the installed unit names, not
 * the one HOOKD_HOME would give now: the home may have been another at install time.
 */
async function installedLocation(platform: ServicePlatform): Promise<ServiceLocation> {
  const location = serviceLocation(platform, paths(loadConfig({ HOOKD_HOME: process.env.HOOKD_HOME }).home));
  if (platform !== 'linux') return location;
  const unit = await readFile(location.file, 'utf8').catch(() => null);
  return { ...location, envFile: (unit && environmentFileOf(unit)) ?? location.envFile };
}

function launchdTarget(): string {
  return `gui/${userId()}/${LAUNCHD_LABEL}`;
}

function userId(): number {
  const uid = process.getuid?.();
  if (uid === undefined) throw new AppError('unsupported_platform', 'launchd needs a user id, which this system does not give', 400);
  return uid;
}

/** The commands that (re)start the installed service, in order. */
function startSteps(location: ServiceLocation, replacing: boolean): string[][] {
  if (location.platform === 'darwin') return [['launchctl', 'bootstrap', `gui/${userId()}`, location.file]];
  const steps = [
    ['systemctl', '--user', 'daemon-reload'],
    ['systemctl', '--user', 'enable', '--now', SYSTEMD_UNIT_NAME],
  ];
  // enable --now leaves a running service as it is: restart it onto the new files.
  if (replacing) steps.push(['systemctl', '--user', 'restart', SYSTEMD_UNIT_NAME]);
  return steps;
}

async function runOrExplain(argv: string[], steps: string[][]): Promise<void> {
  const result = await runTool(argv);
  if (result.ok) return;
  throw new AppError(
    'service_manager_failed',
    `\`${result.command}\` failed: ${result.problem}\n` +
      `The files are written and kept. Where ${argv[0]} works for your user (a login session), run:\n` +
      steps.map((step) => `  ${shellLine(step)}`).join('\n'),
    500,
  );
}

/** Stops and disables the service; null when launchd does not have it loaded (nothing to stop). */
async function stopService(platform: ServicePlatform): Promise<ToolResult | null> {
  if (platform === 'linux') return runTool(['systemctl', '--user', 'disable', '--now', SYSTEMD_UNIT_NAME]);
  // bootout of a label launchd does not know fails; asking first tells "not loaded" from a failure.
  const loaded = await runTool(['launchctl', 'print', launchdTarget()]);
  return loaded.ok ? runTool(['launchctl', 'bootout', launchdTarget()]) : null;
}

async function askManager(platform: ServicePlatform): Promise<ManagerState> {
  if (platform === 'darwin') {
    const print = await runTool(['launchctl', 'print', launchdTarget()]);
    // Not on PATH: launchd was not asked. Any exit status is an answer (113: not loaded).
    if (print.code === null && !print.ok) return { name: 'launchd', asked: false, error: print.problem ?? 'no answer' };
    return { name: 'launchd', asked: true, loaded: print.ok, exit_code: print.code };
  }
  const [active, enabled] = await Promise.all([
    runTool(['systemctl', '--user', 'is-active', SYSTEMD_UNIT_NAME]),
    runTool(['systemctl', '--user', 'is-enabled', SYSTEMD_UNIT_NAME]),
  ]);
  // Both print their answer on stdout whatever their exit status; nothing there means no answer.
  const state: ManagerState = { name: 'systemd', asked: active.stdout.trim() !== '' };
  if (state.asked) state.active = active.stdout.trim();
  else state.error = active.problem ?? 'no answer';
  if (enabled.stdout.trim() !== '') state.enabled = enabled.stdout.trim();
  return state;
}

function describeManager(manager: ManagerState): string {
  if (manager.name === 'launchd') {
    if (!manager.asked) return `could not be asked: ${manager.error}`;
    return manager.loaded ? `${LAUNCHD_LABEL} is loaded` : `${LAUNCHD_LABEL} is not loaded (launchctl print: exit ${manager.exit_code})`;
  }
  const enabled = manager.enabled ? `, ${manager.enabled}` : '';
  return manager.asked ? `${manager.active}${enabled}` : `could not be asked: ${manager.error}${enabled}`;
}

/** A command as a person would paste it into a shell. */
function shellLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}
