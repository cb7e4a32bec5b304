// What the agent waits for, per hook: the entries `hookd install claude-code` really writes
// (the default way, with --url, with --http), read back from the settings file it wrote and
// run the way Claude Code runs them. An emit's wall time is what the agent pays only for a
// hook it waits for: an async command hook holds it until the process is started and has
// its payload, and an http hook starts no process at all. Used by bench/emit-bench.ts.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { HookdServer } from './hookd-server.ts';
import { reapedChildrenCpuMs } from './process-cpu.ts';

/** An event Claude Code need not wait for (the hook only records), and one it waits for. */
export const OBSERVE_EVENT = 'PostToolUse';
export const WAITING_EVENT = 'Stop';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface InstallWay {
  key: 'default' | 'url' | 'http';
  /** The command line, with the server's URL as URL. */
  label: string;
  args: string[];
}

export type Installed = { way: InstallWay; settings: JsonObject } | { way: InstallWay; skipped: string };

// A developer's own hookd settings must not change what install writes.
const CONFIG_NAMES = /^(HOOKD_|DATABASE_URL$|STORAGE_TYPE$|NODE_OPTIONS$)/;

/**
 * Runs `bin/hookd install claude-code --project DIR ...` (with HOME set to an empty temp dir)
 * and reads back DIR/.claude/settings.json.
 * A way install refuses (an option this checkout does not have yet) comes back as skipped,
 * with install's own first line of complaint as the reason.
 */
export function installClaudeCode(hookdBin: string, way: InstallWay, projectDir: string, home: string): Installed {
  // HOME too: what install finds in the developer's own home (a saved token) is not the bench's.
  const env: NodeJS.ProcessEnv = { HOME: home };
  for (const [name, value] of Object.entries(process.env)) if (!CONFIG_NAMES.test(name) && name !== 'HOME') env[name] = value;
  const result = spawnSync(hookdBin, ['install', 'claude-code', '--project', projectDir, ...way.args], { env, encoding: 'utf8' });
  if (result.status !== 0) {
    const reason = `${result.stderr}${result.stdout}`.trim().split('\n')[0] ?? '';
    return { way, skipped: `\`hookd install claude-code ${way.label}\` exited ${result.status ?? result.signal}: ${reason}` };
  }
  const settings: unknown = JSON.parse(readFileSync(join(projectDir, '.claude', 'settings.json'), 'utf8'));
  if (!isObject(settings)) throw new Error(`${way.label}: the settings file install wrote is not a JSON object`);
  return { way, settings };
}

/**
 * The one hook entry Claude Code would run for this event and payload: the matcher groups
 * whose matcher takes the tool (none, "" or "*" take every tool; otherwise a regex on the
 * tool name), then their hooks.
 */
export function hookEntry(settings: JsonObject, event: string, payload: JsonObject): JsonObject {
  const groups = isObject(settings.hooks) ? settings.hooks[event] : undefined;
  if (!Array.isArray(groups)) throw new Error(`install wrote no ${event} hooks`);
  const tool = typeof payload.tool_name === 'string' ? payload.tool_name : '';
  const entries = groups
    .filter(isObject)
    .filter((group) => {
      const matcher = group.matcher;
      if (matcher === undefined || matcher === '' || matcher === '*') return true;
      return typeof matcher === 'string' && new RegExp(`^(?:${matcher})$`).test(tool);
    })
    .flatMap((group) => (Array.isArray(group.hooks) ? group.hooks.filter(isObject) : []));
  // Claude Code would run several side by side; the harness times one hook at a time.
  if (entries.length !== 1) throw new Error(`${event}: the harness runs one hook entry per event, install wrote ${entries.length}`);
  return entries[0]!;
}

/** The settings' `env` object: Claude Code sets it on its own process, so its hooks inherit it. */
export function settingsEnv(settings: JsonObject): Record<string, string> {
  const env: Record<string, string> = {};
  if (isObject(settings.env)) for (const [name, value] of Object.entries(settings.env)) env[name] = String(value);
  return env;
}

export interface HookVariant {
  key: string;
  way: InstallWay;
  event: string;
  kind: 'command' | 'http';
  async: boolean;
  /** The session id of this variant's events, to count them in the store. */
  session: string;
  /** The SQLite file its events end up in. */
  database: string;
  /** The server that stores them, whose CPU is part of the hook's cost. */
  server?: HookdServer;
  /** HOOKD_HOME of a command hook, where emit.log would tell of a problem. */
  home?: string;
  /** The entry as install wrote it, and the settings' env object. */
  entry: JsonObject;
  settingsEnv: Record<string, string>;
  /** A command hook's command and environment, as the agent runs it. */
  command?: string;
  env: Record<string, string>;
  /** Start to the moment the agent may carry on, ms. */
  held: number[];
  /** Async command hooks: spawn to exit, ms. */
  toExit: number[];
  /** Command hooks: CPU of the process (and its children) summed over the timed runs, ms. */
  cpuMs: number;
  errors: string[];
  /** One run; `timed` false for warm-up runs, whose figures are not kept. */
  run(timed: boolean): Promise<void>;
}

export interface HookVariantOptions {
  way: InstallWay;
  settings: JsonObject;
  event: string;
  /** The hook payload Claude Code would send for this event; its session_id is replaced. */
  payload: JsonObject;
  /** HOOKD_HOME for command hooks. */
  home: string;
  /** Where the agent works: the hook's working directory and CLAUDE_PROJECT_DIR. */
  cwd: string;
  database: string;
  server?: HookdServer;
}

// A long-running agent keeps its connection to the server open between hooks.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

export function destroyHttpAgent(): void {
  keepAlive.destroy();
}

export function hookVariant(options: HookVariantOptions): HookVariant {
  const { way, event } = options;
  const entry = hookEntry(options.settings, event, options.payload);
  const session = `bench-hook-${way.key}-${event}`;
  const body = JSON.stringify({ ...options.payload, session_id: session });
  const fromSettings = settingsEnv(options.settings);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    CLAUDE_PROJECT_DIR: options.cwd,
    HOOKD_HOME: options.home,
    ...fromSettings,
  };
  const timeoutMs = (typeof entry.timeout === 'number' ? entry.timeout : 60) * 1000;
  const variant: HookVariant = {
    key: `${way.key}-${event}`,
    way,
    event,
    kind: entry.type === 'http' ? 'http' : 'command',
    async: entry.async === true,
    session,
    database: options.database,
    server: options.server,
    held: [],
    toExit: [],
    cpuMs: 0,
    errors: [],
    entry,
    settingsEnv: fromSettings,
    env,
    run: async () => {},
  };
  if (entry.type === 'command' && typeof entry.command === 'string') {
    const command = entry.command;
    variant.home = options.home;
    variant.command = command;
    variant.run = (timed) => runCommand(variant, command, env, options.cwd, body, timeoutMs, timed);
  } else if (entry.type === 'http' && typeof entry.url === 'string') {
    const url = new URL(entry.url);
    if (url.protocol !== 'http:') throw new Error(`${event}: the harness posts over http:// only, install wrote ${entry.url}`);
    const headers = expandHeaders(entry, env);
    variant.run = (timed) => runHttp(variant, url, headers, body, timeoutMs, timed);
  } else {
    throw new Error(`${event}: install wrote a hook the harness cannot run: ${JSON.stringify(entry)}`);
  }
  return variant;
}

/**
 * Header values with `$NAME` / `${NAME}` filled in from the environment for the names the
 * entry lists in allowedEnvVars, any other reference left empty, as Claude Code does.
 */
function expandHeaders(entry: JsonObject, env: Record<string, string>): Record<string, string> {
  const allowed = new Set(Array.isArray(entry.allowedEnvVars) ? entry.allowedEnvVars.map(String) : []);
  const headers: Record<string, string> = {};
  if (isObject(entry.headers))
    for (const [name, value] of Object.entries(entry.headers)) {
      headers[name] = String(value).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, ref: string) =>
        allowed.has(ref) ? (env[ref] ?? process.env[ref] ?? '') : '',
      );
    }
  return headers;
}

/**
 * `/bin/sh -c COMMAND` with the payload on stdin. The agent is held until exit, or for an
 * async hook until the process is started ('spawn') and has its payload (the write's
 * callback); the run still waits for the exit, so its CPU is counted and runs do not pile up.
 */
function runCommand(
  variant: HookVariant,
  command: string,
  env: Record<string, string>,
  cwd: string,
  body: string,
  timeoutMs: number,
  timed: boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const cpuBefore = reapedChildrenCpuMs();
    const started = performance.now();
    const child = spawn('/bin/sh', ['-c', command], { cwd, env });
    let spawned = false;
    let written = false;
    let released: number | undefined;
    const release = () => {
      if (spawned && written && released === undefined) released = performance.now() - started;
    };
    child.on('spawn', () => {
      spawned = true;
      release();
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.on('error', () => {});
    child.stdin.write(body, () => {
      written = true;
      release();
    });
    child.stdin.end();
    // Claude Code kills a hook past its entry's timeout; so does the harness, and says so.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const toExit = performance.now() - started;
      const cpu = reapedChildrenCpuMs() - cpuBefore;
      if (code !== 0 || output !== '') variant.errors.push(`exit ${code ?? signal}: ${output.slice(0, 300)}`);
      if (timed) {
        variant.held.push(variant.async ? (released ?? toExit) : toExit);
        if (variant.async) variant.toExit.push(toExit);
        variant.cpuMs += cpu;
      }
      resolve();
    });
  });
}

/** POST as Claude Code's http hook does; the agent is held from the request to the whole reply. */
function runHttp(
  variant: HookVariant,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  timed: boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    let done = false;
    const finish = (problem?: string) => {
      if (done) return;
      done = true;
      if (timed) variant.held.push(performance.now() - started);
      if (problem) variant.errors.push(problem);
      resolve();
    };
    const req = request(
      url,
      {
        method: 'POST',
        agent: keepAlive,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let reply = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (reply += chunk));
        res.on('end', () =>
          finish(res.statusCode === 200 && reply.trim() === '{}' ? undefined : `HTTP ${res.statusCode}: ${reply.slice(0, 300)}`),
        );
        res.on('error', (error) => finish(error.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on('error', (error) => finish(error.message));
    req.end(body);
  });
}
