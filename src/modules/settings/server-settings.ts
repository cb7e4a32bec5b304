import type { Static } from 'typebox';
import type { Config } from '../../core/config.ts';
import type { SecretKey } from '../../core/secret-key.ts';
import type { SettingsOut } from './settings-schemas.ts';

/** GET /settings: the settings in force that explain what a client sees; never a secret, a URL or a path. */
export type ServerSettings = Static<typeof SettingsOut>;

/**
 * Builds the view from the configuration field by field, so a setting added to Config (a
 * database URL, a key) never reaches a reply unless it is named here.
 */
export class SettingsService {
  private readonly config: Config;
  private readonly storage: ServerSettings['storage'];
  private readonly version: string;
  private readonly secretKey: () => SecretKey | null;

  constructor(config: Config, storage: ServerSettings['storage'], version: string, secretKey: () => SecretKey | null) {
    this.config = config;
    this.storage = storage;
    this.version = version;
    this.secretKey = secretKey;
  }

  view(): ServerSettings {
    const { limits, sessions, stream } = this.config;
    return {
      version: this.version,
      storage: this.storage,
      capture: { mode: limits.capture.mode, max_field_bytes: limits.capture.maxFieldBytes },
      limits: {
        max_body_bytes: limits.maxBodyBytes,
        max_batch_events: limits.maxBatchEvents,
        max_event_bytes: limits.maxEventBytes,
        max_data_depth: limits.maxDataDepth,
        max_future_skew_ms: limits.maxFutureSkewMs,
        request_timeout_ms: limits.requestTimeoutMs,
      },
      derivation: { backlog_max_events: sessions.deriveBacklogMax, delay_ms: sessions.deriveDelayMs },
      sessions: { stale_after_ms: sessions.staleAfterMs },
      stream: { poll_ms: stream.pollMs, heartbeat_ms: stream.heartbeatMs, buffer_bytes: stream.bufferBytes },
      dashboard: { sign_in: this.signInAvailable() },
    };
  }

  /** Whether the dashboard can sign anyone in: there is a secret key, and it loads (a key file others may read does not). */
  private signInAvailable(): boolean {
    try {
      return this.secretKey() !== null;
    } catch {
      return false;
    }
  }
}
