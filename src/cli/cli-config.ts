import { existsSync } from 'node:fs';
import { loadConfig, type Config, type ConfigOverrides } from '../core/config.ts';
import { ConfigError } from '../core/app-error.ts';

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

/**
 * Config for a command that reads what is stored: it never creates a database. A SQLite
 * file that does not exist is an error naming the file looked for and how to point at
 * another, instead of a new empty database answering "nothing found".
 */
export function readConfig(options: GlobalOptions): Config {
  const config = cliConfig(options);
  if (config.storage === 'sqlite' && !existsSync(config.sqlitePath)) {
    throw new ConfigError(
      `no hookd database at ${config.sqlitePath}: nothing was stored there yet. ` +
        `Point at another with --database-url sqlite:PATH, HOOKD_DATABASE_URL or HOOKD_HOME (now ${config.home})`,
    );
  }
  return config;
}
