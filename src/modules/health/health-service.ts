import type { StorageKind } from '../../config/config.ts';
import type { EventStore } from '../events/event-store.ts';

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  storage: StorageKind;
  version: string;
  error?: string;
}

/** Answers /health: the storage must answer a trivial query within the timeout. */
export class HealthService {
  private readonly store: EventStore;
  private readonly storage: StorageKind;
  private readonly version: string;
  private readonly timeoutMs: number;

  constructor(store: EventStore, storage: StorageKind, version: string, timeoutMs = 2000) {
    this.store = store;
    this.storage = storage;
    this.version = version;
    this.timeoutMs = timeoutMs;
  }

  async check(): Promise<HealthReport> {
    const base = { storage: this.storage, version: this.version };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.store.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.timeoutMs);
        }),
      ]);
      return { status: 'healthy', ...base };
    } catch (error) {
      const reason = (error as Error).message === 'timeout' ? 'storage did not answer in time' : 'storage unreachable';
      return { status: 'unhealthy', ...base, error: reason };
    } finally {
      clearTimeout(timer);
    }
  }
}
