import type { StorageKind } from '../../core/config.ts';
import type { EventLog } from '../events/event-store.ts';

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  storage: StorageKind;
  version: string;
  /** The storage answered (seed 000's database_healthy). */
  database_healthy: boolean;
  /** Hook executions started in the last hour; null where there are none to count (JSONL) or the storage did not answer. */
  recent_executions_count: number | null;
  error?: string;
}

/**
 * Answers /health: the storage must answer a trivial query, and the count of recent
 * executions (an index range of the last hour), within the timeout.
 */
export class HealthService {
  private readonly store: EventLog;
  private readonly storage: StorageKind;
  private readonly version: string;
  private readonly recentExecutions: (() => Promise<number>) | null;
  private readonly timeoutMs: number;

  constructor(
    store: EventLog,
    storage: StorageKind,
    version: string,
    recentExecutions: (() => Promise<number>) | null = null,
    timeoutMs = 2000,
  ) {
    this.store = store;
    this.storage = storage;
    this.version = version;
    this.recentExecutions = recentExecutions;
    this.timeoutMs = timeoutMs;
  }

  async check(): Promise<HealthReport> {
    const base = { storage: this.storage, version: this.version };
    let timer: NodeJS.Timeout | undefined;
    try {
      const recent = await Promise.race([
        this.store.ping().then(() => this.recentExecutions?.() ?? null),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.timeoutMs);
        }),
      ]);
      return { status: 'healthy', ...base, database_healthy: true, recent_executions_count: recent };
    } catch (error) {
      const reason = (error as Error).message === 'timeout' ? 'storage did not answer in time' : 'storage unreachable';
      return { status: 'unhealthy', ...base, database_healthy: false, recent_executions_count: null, error: reason };
    } finally {
      clearTimeout(timer);
    }
  }
}
