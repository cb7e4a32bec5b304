import { loadConfig, type Config, type ConfigOverrides } from '../config/config.ts';

export interface GlobalOptions {
  databaseUrl?: string;
  storage?: string;
  host?: string;
  port?: string;
  logLevel?: string;
  jsonlPath?: string;
}

/** Config for a CLI command: environment first, flags over it. */
export function cliConfig(options: GlobalOptions): Config {
  const overrides: ConfigOverrides = {};
  if (options.databaseUrl) overrides.databaseUrl = options.databaseUrl;
  if (options.storage) overrides.storage = options.storage;
  if (options.host) overrides.host = options.host;
  if (options.port) overrides.port = options.port;
  if (options.logLevel) overrides.logLevel = options.logLevel;
  if (options.jsonlPath) overrides.jsonlPath = options.jsonlPath;
  return loadConfig(process.env, overrides);
}
