export interface SystemdUnitInput {
  /** bin/hookd of the checkout, absolute: it picks the pinned Node itself. */
  bin: string;
  hookdHome: string;
  envFile: string;
  /** Where `Documentation=` points (a file: or https: URL). */
  docs: string;
  /** HOOKD_SHUTDOWN_TIMEOUT_MS of the service: how long `serve` drains before it gives up. */
  shutdownTimeoutMs: number;
}

export const SYSTEMD_UNIT_NAME = 'hookd.service';

/**
 * The systemd user unit that keeps `hookd serve` running. Settings stay in the env file,
 * not in the unit: the unit is world-readable, and they may hold HOOKD_SECRET_KEY or a
 * database password.
 */
export function systemdUnit(input: SystemdUnitInput): string {
  return [
    '[Unit]',
    'Description=hookd server (hookd serve)',
    `Documentation=${specifiers(input.docs)}`,
    // Wanted by nothing in a user manager, but orders hookd after it where it exists: a
    // PostgreSQL on another host needs the network before the first connection.
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${execArgument(input.bin)} serve`,
    `WorkingDirectory=${specifiers(path(input.hookdHome))}`,
    `Environment=${environmentAssignment('HOOKD_HOME', input.hookdHome)}`,
    `EnvironmentFile=${specifiers(path(input.envFile))}`,
    'Restart=on-failure',
    'RestartSec=2',
    `TimeoutStopSec=${stopTimeoutSeconds(input.shutdownTimeoutMs)}`,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/**
 * Seconds a service manager waits after SIGTERM before it kills hookd: serve's own drain
 * timeout plus a margin, so serve finishes its queued writes (or gives up and says so)
 * before a SIGKILL could cut them off.
 */
export function stopTimeoutSeconds(shutdownTimeoutMs: number): number {
  return Math.ceil(shutdownTimeoutMs / 1000) + 5;
}

/**
 * The env file as systemd's EnvironmentFile= reads it: every value in double quotes with
 * `\`, `"`, `$` and the backquote escaped. systemd never expands variables there, and a
 * POSIX shell reads the same text to the same values, so `. service.env` shows what the
 * service gets.
 */
export function systemdEnvironmentFile(env: Readonly<Record<string, string>>): string {
  const lines = ['# Settings of hookd serve, written by `hookd service install`; read by hookd.service.'];
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${name} is not a variable name`);
    lines.push(`${name}="${value.replace(/[\\"$`]/g, '\\$&')}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** The env file a unit written by systemdUnit names, or null. */
export function environmentFileOf(unit: string): string | null {
  const match = /^EnvironmentFile=-?(.+)$/m.exec(unit);
  return match ? match[1]!.replaceAll('%%', '%') : null;
}

/** A path as a unit setting takes it: a line break would end the setting and start another. */
function path(value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`a path with a line break cannot go into a systemd unit: ${JSON.stringify(value)}`);
  return value;
}

/** `%` starts a specifier (%h, %u) in most unit settings; `%%` is a literal one. */
function specifiers(value: string): string {
  return value.replaceAll('%', '%%');
}

/**
 * One word of ExecStart=: quoted when it holds anything systemd's splitter would read,
 * and `$` doubled, since ExecStart expands `$VAR` (Environment= does not).
 */
function execArgument(value: string): string {
  const escaped = specifiers(path(value)).replaceAll('$', '$$$$');
  return /^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped) ? escaped : `"${escaped.replace(/[\\"]/g, '\\$&')}"`;
}

/** NAME=value for Environment=, quoted as one word with C-style escapes. */
function environmentAssignment(name: string, value: string): string {
  return `"${specifiers(`${name}=${path(value)}`).replace(/[\\"]/g, '\\$&')}"`;
}
