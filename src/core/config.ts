import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './app-error.ts';
import { type CaptureMode, type CapturePolicy, MIN_FIELD_BYTES } from './capture-settings.ts';

export type StorageKind = 'sqlite' | 'postgres' | 'jsonl';
export type SqliteSync = 'full' | 'normal';
/** Where the server's SQLite commits run; `auto` = a write thread when commits fsync (full). */
export type SqliteWriter = 'auto' | 'thread' | 'inline';

export interface Limits {
  /** Largest HTTP body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most events in one POST /events/batch. */
  maxBatchEvents: number;
  /** Largest single event once serialised, in bytes. */
  maxEventBytes: number;
  /** Deepest nesting of `data`. */
  maxDataDepth: number;
  /** How far in the future an event time may lie, in ms. */
  maxFutureSkewMs: number;
  /** How long a client may take to send a whole request (headers and body), in ms; 408 beyond. */
  requestTimeoutMs: number;
  /** What of a payload is kept (HOOKD_CAPTURE) and the size a field is cut to (HOOKD_MAX_FIELD_BYTES). */
  capture: CapturePolicy;
}

export interface WriterSettings {
  /** Events waiting for a commit before ingest answers 503. */
  queueMaxEvents: number;
  /** Most events merged into one transaction. */
  maxEventsPerCommit: number;
  /**
   * Commits handed to the storage at once: PostgreSQL runs them in parallel; SQLite's
   * write thread runs them one after another without a round trip between them.
   */
  concurrency: number;
  /**
   * Queued events that justify starting another commit while one runs. Below it, events
   * wait and join the next commit: fewer, larger commits (each costs an fsync).
   */
  spillEvents: number;
}

export interface Config {
  home: string;
  storage: StorageKind;
  /** HOOKD_SECRET_KEY (only the prefixed name: SECRET_KEY belongs to other programs); see core/secret-key.ts. */
  secretKey: string | undefined;
  /** Absolute SQLite file path when storage is sqlite. */
  sqlitePath: string;
  sqliteSync: SqliteSync;
  sqliteWriter: SqliteWriter;
  /** postgres:// URL when storage is postgres. */
  postgresUrl: string | null;
  pgSchema: string;
  pgPoolMin: number;
  pgPoolMax: number;
  jsonlPath: string;
  host: string;
  port: number;
  logLevel: string;
  limits: Limits;
  writer: WriterSettings;
  /** How many months of partitions to keep created ahead of now. */
  partitionsAhead: number;
  shutdownTimeoutMs: number;
  /** The live tail, GET /events/stream. */
  stream: StreamSettings;
  sessions: SessionSettings;
  performance: PerformanceSettings;
  /** How often `serve` looks for derived events its team rules have not seen (HOOKD_RULES_INTERVAL_MS). */
  rulesIntervalMs: number;
  notifications: NotificationSettings;
}

export interface NotificationSettings {
  /** Webhook URLs may name loopback, link-local and private addresses (HOOKD_NOTIFY_ALLOW_PRIVATE=true). */
  allowPrivate: boolean;
  /** One delivery attempt, from connecting to the whole answer (HOOKD_NOTIFY_TIMEOUT_MS). */
  timeoutMs: number;
  /** How long a notification is tried before it is dead (HOOKD_NOTIFY_RETRY_WINDOW_HOURS). */
  windowMs: number;
  /** Notifications and their attempts are deleted this many days after creation; 0 = kept (HOOKD_NOTIFICATION_RETENTION_DAYS). */
  retentionDays: number;
  /** How often a worker looks for notifications other processes created (HOOKD_NOTIFY_POLL_MS). */
  pollMs: number;
  /** hookd's address as people reach it (HOOKD_PUBLIC_URL), for links in messages; null: none. */
  publicUrl: string | null;
  /** A permission or input prompt older than this when its rule fires is recorded stale, not sent (HOOKD_NOTIFY_STALE_MINUTES). */
  staleMs: number;
}

export interface PerformanceSettings {
  /** Between the starts of two scheduled aggregations of hourly rows; 0 = none (HOOKD_PERF_AGGREGATE_INTERVAL_MS). */
  aggregateIntervalMs: number;
  /** Executions started more than this many days ago are deleted hourly; 0 = kept forever (HOOKD_EXECUTION_RETENTION_DAYS). */
  retentionDays: number;
}

export interface SessionSettings {
  /** An open session with no event for this long is ended as `stale`; 0 = never (HOOKD_SESSION_STALE_MS). */
  staleAfterMs: number;
  /** How often `serve` looks for stale sessions (HOOKD_SESSION_SWEEP_MS). */
  sweepIntervalMs: number;
  /**
   * How long a derivation pass waits after the commit that asked for it (HOOKD_DERIVE_DELAY_MS).
   * Longer: fewer, larger passes under steady ingest; reads never wait for it (they catch up).
   */
  deriveDelayMs: number;
  /**
   * Most events this process committed that may wait to be derived (HOOKD_DERIVE_BACKLOG_MAX):
   * past it, commits wait for a pass, so a load derivation cannot keep up with slows
   * acknowledgements instead of leaving the derived tables minutes behind.
   */
  deriveBacklogMax: number;
}

export interface StreamSettings {
  /** How often the store is polled for events written by other processes (ours wake streams at once). */
  pollMs: number;
  /** How often an idle stream gets a `: ping` comment, so proxies keep it open. */
  heartbeatMs: number;
  /** Unsent bytes a client may fall behind by before its stream is dropped (it resumes with Last-Event-ID). */
  bufferBytes: number;
}

export type Env = Record<string, string | undefined>;

/** Flags from the command line; they win over the environment. */
export interface ConfigOverrides {
  databaseUrl?: string;
  storage?: string;
  host?: string;
  port?: string | number;
  logLevel?: string;
  jsonlPath?: string;
}

export interface LoadOptions {
  /**
   * Code running inside an agent's hook reads only HOOKD_ names: the unprefixed
   * DATABASE_URL of the agent's environment belongs to the user's project.
   */
  prefixedOnly?: boolean;
  cwd?: string;
}

export function loadConfig(env: Env, overrides: ConfigOverrides = {}, options: LoadOptions = {}): Config {
  const read = (name: string): string | undefined => {
    const prefixed = env[`HOOKD_${name}`];
    if (prefixed !== undefined && prefixed !== '') return prefixed;
    if (options.prefixedOnly) return undefined;
    const plain = env[name];
    return plain === '' ? undefined : plain;
  };
  const cwd = options.cwd ?? process.cwd();
  const home = resolve(cwd, env.HOOKD_HOME || join(homedir(), '.hookd'));

  const databaseUrl = overrides.databaseUrl ?? read('DATABASE_URL');
  const storageSetting = (overrides.storage ?? read('STORAGE_TYPE') ?? 'auto').toLowerCase();
  const urlKind = databaseUrl ? kindOfUrl(databaseUrl) : null;

  let storage: StorageKind;
  switch (storageSetting) {
    case 'auto':
      storage = urlKind ?? 'sqlite';
      break;
    case 'sqlite':
    case 'postgres':
    case 'jsonl':
      storage = storageSetting;
      if (urlKind && storage !== 'jsonl' && urlKind !== storage) {
        throw new ConfigError(`STORAGE_TYPE=${storage} contradicts DATABASE_URL, which points at ${urlKind}; change one of them`);
      }
      if (storage === 'postgres' && urlKind !== 'postgres') {
        throw new ConfigError('STORAGE_TYPE=postgres needs DATABASE_URL=postgres://user:pass@host:port/db');
      }
      break;
    default:
      throw new ConfigError(`STORAGE_TYPE must be auto, sqlite, postgres or jsonl (got "${storageSetting}")`);
  }

  const sqlitePath = urlKind === 'sqlite' && databaseUrl ? resolve(cwd, sqlitePathOf(databaseUrl)) : join(home, 'hookd.db');
  const jsonlSetting = overrides.jsonlPath ?? read('JSONL_PATH');
  const sqliteSync = (read('SQLITE_SYNC') ?? 'full').toLowerCase();
  if (sqliteSync !== 'full' && sqliteSync !== 'normal') {
    throw new ConfigError(`HOOKD_SQLITE_SYNC must be full or normal (got "${sqliteSync}")`);
  }
  const sqliteWriter = (read('SQLITE_WRITER') ?? 'auto').toLowerCase();
  if (sqliteWriter !== 'auto' && sqliteWriter !== 'thread' && sqliteWriter !== 'inline') {
    throw new ConfigError(`HOOKD_SQLITE_WRITER must be auto, thread or inline (got "${sqliteWriter}")`);
  }
  const pgSchema = read('PG_SCHEMA') ?? 'hookd';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) {
    throw new ConfigError(`HOOKD_PG_SCHEMA must be a lower-case SQL identifier (got "${pgSchema}")`);
  }

  const int = (name: string, fallback: number, min = 0): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new ConfigError(`HOOKD_${name} must be an integer >= ${min} (got "${raw}")`);
    }
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`HOOKD_${name} must be true or false (got "${raw}")`);
  };

  const portRaw = overrides.port ?? read('PORT') ?? '8080';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535 (got "${portRaw}")`);
  }
  const aggregateIntervalMs = int('PERF_AGGREGATE_INTERVAL_MS', 60_000);
  // Below a second the job would do little but claim itself.
  if (aggregateIntervalMs > 0 && aggregateIntervalMs < 1000) {
    throw new ConfigError(`HOOKD_PERF_AGGREGATE_INTERVAL_MS must be 0 (off) or at least 1000 (got "${aggregateIntervalMs}")`);
  }
  const retentionDays = int('EXECUTION_RETENTION_DAYS', 90);
  if (retentionDays > 36_500)
    throw new ConfigError(`HOOKD_EXECUTION_RETENTION_DAYS must be 0 (keep forever) to 36500 (got "${retentionDays}")`);
  const pgPoolMin = int('PG_POOL_MIN', 5);
  const pgPoolMax = int('PG_POOL_MAX', 20, 1);
  if (pgPoolMin > pgPoolMax) throw new ConfigError('HOOKD_PG_POOL_MIN must not exceed HOOKD_PG_POOL_MAX');

  return {
    home,
    storage,
    secretKey: env.HOOKD_SECRET_KEY || undefined,
    sqlitePath,
    sqliteSync,
    sqliteWriter,
    postgresUrl: urlKind === 'postgres' ? (databaseUrl ?? null) : null,
    pgSchema,
    pgPoolMin,
    pgPoolMax,
    jsonlPath: jsonlSetting ? resolve(cwd, jsonlSetting) : join(home, 'events.jsonl'),
    host: overrides.host ?? read('HOST') ?? '127.0.0.1',
    port,
    logLevel: (overrides.logLevel ?? read('LOG_LEVEL') ?? 'info').toLowerCase(),
    limits: {
      maxBodyBytes: int('MAX_BODY_BYTES', 16 * 1024 * 1024, 1024),
      maxBatchEvents: int('MAX_BATCH_EVENTS', 1000, 1),
      maxEventBytes: int('MAX_EVENT_BYTES', 2 * 1024 * 1024, 1024),
      maxDataDepth: int('MAX_DATA_DEPTH', 128, 1),
      maxFutureSkewMs: int('MAX_FUTURE_SKEW_MS', 24 * 3600 * 1000),
      requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 60_000, 100),
      capture: { mode: captureMode(read('CAPTURE')), maxFieldBytes: int('MAX_FIELD_BYTES', 64 * 1024, MIN_FIELD_BYTES) },
    },
    writer: {
      queueMaxEvents: int('QUEUE_MAX_EVENTS', 100_000, 1),
      maxEventsPerCommit: int('MAX_EVENTS_PER_COMMIT', 5000, 1),
      concurrency: int('WRITER_CONCURRENCY', 2, 1),
      spillEvents: int('WRITER_SPILL_EVENTS', 200, 1),
    },
    partitionsAhead: int('PARTITIONS_AHEAD', 3),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000),
    sessions: {
      staleAfterMs: int('SESSION_STALE_MS', 24 * 3600 * 1000),
      sweepIntervalMs: int('SESSION_SWEEP_MS', 60_000, 1000),
      deriveDelayMs: int('DERIVE_DELAY_MS', 20, 0),
      deriveBacklogMax: int('DERIVE_BACKLOG_MAX', 20_000, 0),
    },
    performance: { aggregateIntervalMs, retentionDays },
    rulesIntervalMs: int('RULES_INTERVAL_MS', 250, 10),
    notifications: {
      allowPrivate: bool('NOTIFY_ALLOW_PRIVATE', false),
      timeoutMs: int('NOTIFY_TIMEOUT_MS', 10_000, 100),
      windowMs: int('NOTIFY_RETRY_WINDOW_HOURS', 24, 1) * 3_600_000,
      retentionDays: int('NOTIFICATION_RETENTION_DAYS', 30),
      pollMs: int('NOTIFY_POLL_MS', 1000, 50),
      publicUrl: publicUrl(read('PUBLIC_URL')),
      staleMs: int('NOTIFY_STALE_MINUTES', 10, 1) * 60_000,
    },
    stream: {
      pollMs: int('STREAM_POLL_MS', 250, 10),
      heartbeatMs: int('STREAM_HEARTBEAT_MS', 15_000, 100),
      // At least 64 KiB, above Node's 16 KiB high-water mark that paces catch-up.
      bufferBytes: int('STREAM_BUFFER_BYTES', 4 * 1024 * 1024, 65_536),
    },
  };
}

const CAPTURE_MODES: readonly CaptureMode[] = ['full', 'redacted', 'metadata'];

function captureMode(raw: string | undefined): CaptureMode {
  const mode = (raw ?? 'redacted').toLowerCase();
  if (!(CAPTURE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`HOOKD_CAPTURE must be one of ${CAPTURE_MODES.join(', ')} (got "${raw}")`);
  }
  return mode as CaptureMode;
}

function kindOfUrl(url: string): 'sqlite' | 'postgres' {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^sqlite:/i.test(url)) return 'sqlite';
  throw new ConfigError('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
}

function sqlitePathOf(url: string): string {
  // Accept sqlite:relative, sqlite:/abs and sqlite:///abs.
  const rest = url.replace(/^sqlite:(\/\/(?=\/))?/i, '');
  if (!rest) throw new ConfigError('DATABASE_URL=sqlite: needs a file path, e.g. sqlite:./hookd.db');
  return rest;
}

/** The storage as a start-up log may print it: never with a password. */
export function describeStorage(config: Config): string {
  switch (config.storage) {
    case 'sqlite':
      return `sqlite ${config.sqlitePath} (synchronous=${config.sqliteSync})`;
    case 'jsonl':
      return `jsonl ${config.jsonlPath}`;
    case 'postgres':
      return `postgres ${redactUrl(config.postgresUrl ?? '')} schema=${config.pgSchema}`;
  }
}

// Query parameters through which pg takes a secret: `password`, `sslpassword` (and any
// other spelling with "pass" in it, so a future one is covered too).
const SECRET_PARAMETER = /pass/i;

/** The URL with every credential pg accepts replaced by `***`: the userinfo password and password parameters. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...new Set(parsed.searchParams.keys())]) {
      if (SECRET_PARAMETER.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString().replaceAll('%2A%2A%2A', '***');
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@').replace(/([?&][^=&]*pass[^=&]*=)[^&]*/gi, '$1***');
  }
}

function publicUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`HOOKD_PUBLIC_URL must be an http(s) URL such as https://hookd.example.com (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`HOOKD_PUBLIC_URL must be http(s) (got "${raw}")`);
  return url.toString().replace(/\/$/, '');
}
