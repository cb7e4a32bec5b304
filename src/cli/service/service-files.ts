import { isAbsolute, join } from 'node:path';
import { AppError } from '../../core/app-error.ts';
import { LAUNCHD_LABEL, launchdPlist } from './launchd-plist.ts';
import { SYSTEMD_UNIT_NAME, systemdEnvironmentFile, systemdUnit } from './systemd-unit.ts';

export type ServicePlatform = 'linux' | 'darwin';

/** --platform, else the platform hookd runs on; only those with a user service manager hookd knows. */
export function servicePlatform(requested: string | undefined, current: string = process.platform): ServicePlatform {
  const platform = requested ?? current;
  if (platform === 'linux' || platform === 'darwin') return platform;
  const which = requested === undefined ? `this system is ${current}` : `got --platform ${requested}`;
  throw new AppError(
    'unsupported_platform',
    `hookd service knows linux (a systemd user unit) and darwin (a launchd agent); ${which}. Run \`hookd serve\` under your own supervisor instead`,
    400,
  );
}

export interface ServicePaths {
  /** The user's home directory. */
  userHome: string;
  /** $XDG_CONFIG_HOME as set; systemd ignores it unless absolute, and so does this. */
  xdgConfigHome?: string | undefined;
  hookdHome: string;
}

export interface ServiceLocation {
  platform: ServicePlatform;
  /** The unit or the plist. */
  file: string;
  /** The env file the unit reads; null on darwin, where the plist holds the settings. */
  envFile: string | null;
  /** Directory of the service's output files; null where the journal keeps it. */
  logs: string | null;
}

/** Where each platform's service manager looks for a user's service, and where hookd keeps the rest. */
export function serviceLocation(platform: ServicePlatform, paths: ServicePaths): ServiceLocation {
  if (platform === 'darwin') {
    return {
      platform,
      file: join(paths.userHome, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`),
      envFile: null,
      logs: join(paths.hookdHome, 'logs'),
    };
  }
  const config = paths.xdgConfigHome && isAbsolute(paths.xdgConfigHome) ? paths.xdgConfigHome : join(paths.userHome, '.config');
  return { platform, file: join(config, 'systemd', 'user', SYSTEMD_UNIT_NAME), envFile: join(paths.hookdHome, 'service.env'), logs: null };
}

export interface ServiceFile {
  path: string;
  content: string;
  /** 0600 for anything holding settings: they may include HOOKD_SECRET_KEY or a database password. */
  mode: number;
}

export interface ServiceInputs extends ServicePaths {
  platform: ServicePlatform;
  /** bin/hookd of the checkout, absolute and with links resolved. */
  bin: string;
  /** The HOOKD_ settings of the service, HOOKD_HOME aside. */
  env: Readonly<Record<string, string>>;
  shutdownTimeoutMs: number;
  /** Where the unit's `Documentation=` points. */
  docs: string;
}

/** The files `hookd service install` writes, unit or plist first. */
export function serviceFiles(inputs: ServiceInputs): ServiceFile[] {
  const location = serviceLocation(inputs.platform, inputs);
  if (location.platform === 'darwin') {
    return [{ path: location.file, content: launchdPlist(inputs), mode: 0o600 }];
  }
  const envFile = location.envFile!;
  return [
    { path: location.file, content: systemdUnit({ ...inputs, envFile }), mode: 0o644 },
    { path: envFile, content: systemdEnvironmentFile(inputs.env), mode: 0o600 },
  ];
}
