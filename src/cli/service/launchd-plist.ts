import { join } from 'node:path';
import { stopTimeoutSeconds } from './systemd-unit.ts';

export const LAUNCHD_LABEL = 'dev.hookd.serve';

export interface LaunchdPlistInput {
  /** bin/hookd of the checkout, absolute: it picks the pinned Node itself. */
  bin: string;
  hookdHome: string;
  /** The HOOKD_ settings of the service, HOOKD_HOME aside (it is set from hookdHome). */
  env: Readonly<Record<string, string>>;
  /** HOOKD_SHUTDOWN_TIMEOUT_MS of the service: how long `serve` drains before it gives up. */
  shutdownTimeoutMs: number;
}

/** Where launchd sends the service's output: launchd has no journal of its own to ask. */
export function launchdLogFiles(hookdHome: string): { stdout: string; stderr: string } {
  return { stdout: join(hookdHome, 'logs', 'hookd.out.log'), stderr: join(hookdHome, 'logs', 'hookd.err.log') };
}

/**
 * The launchd agent that keeps `hookd serve` running. Its settings live in the plist
 * itself (launchd reads no env file), so it is written readable by its owner only.
 */
export function launchdPlist(input: LaunchdPlistInput): string {
  const logs = launchdLogFiles(input.hookdHome);
  const env = { HOOKD_HOME: input.hookdHome, ...input.env };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    ...entry('Label', string(LAUNCHD_LABEL)),
    ...entry('ProgramArguments', ['<array>', `\t${string(input.bin)}`, `\t${string('serve')}`, '</array>']),
    ...entry('EnvironmentVariables', [
      '<dict>',
      ...Object.entries(env).flatMap(([name, value]) => entry(name, string(value)).map((line) => `\t${line}`)),
      '</dict>',
    ]),
    ...entry('WorkingDirectory', string(input.hookdHome)),
    ...entry('RunAtLoad', '<true/>'),
    // Restarted after a crash or a failed start, not after a clean stop (SIGTERM ends serve with 0).
    ...entry('KeepAlive', ['<dict>', ...entry('SuccessfulExit', '<false/>').map((line) => `\t${line}`), '</dict>']),
    // launchd's default of 20 s after SIGTERM could cut off serve's drain of queued writes.
    ...entry('ExitTimeOut', `<integer>${stopTimeoutSeconds(input.shutdownTimeoutMs)}</integer>`),
    ...entry('StandardOutPath', string(logs.stdout)),
    ...entry('StandardErrorPath', string(logs.stderr)),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

function entry(key: string, value: string | string[]): string[] {
  const lines = typeof value === 'string' ? [value] : value;
  return [`\t<key>${xml(key)}</key>`, ...lines.map((line) => `\t${line}`)];
}

function string(value: string): string {
  return `<string>${xml(value)}</string>`;
}

/**
 * Text as XML character data. XML 1.0 has no way to write most control characters, even
 * as a reference: such a value is refused rather than written as a plist launchd rejects.
 */
export function xml(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot hold.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(value))
    throw new Error(`a value with a control character cannot go into a plist: ${JSON.stringify(value)}`);
  return value.replace(/[&<>"'\r]/g, (c) => XML_ENTITIES[c]!);
}

// \r as a reference: a parser would turn a literal one into \n.
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
