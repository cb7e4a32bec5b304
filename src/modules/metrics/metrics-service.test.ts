import { describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../events/group-commit-writer.ts';
import { loadConfig } from '../../core/config.ts';
import { IngestService } from '../events/ingest-service.ts';
import { MetricsService } from './metrics-service.ts';

describe('MetricsService', () => {
  it('counts overload apart from storage errors, so a storage alert means storage', async () => {
    const metrics = new MetricsService();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let fail = false;
    const writer = new GroupCommitWriter(
      {
        async writeGroups(groups) {
          await held;
          if (fail) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
          return groups.map(() => 0);
        },
      },
      { queueMaxEvents: 1, maxEventsPerCommit: 10, concurrency: 1, spillEvents: 1 },
    );
    const ingest = new IngestService(writer, loadConfig({ HOOKD_HOME: '/nonexistent' }).limits, metrics);
    const first = ingest.ingestOne({ event_type: 'x', session_id: 's' });
    await new Promise((r) => setImmediate(r));
    const queued = ingest.ingestOne({ event_type: 'x', session_id: 's' });
    await expect(ingest.ingestOne({ event_type: 'x', session_id: 's' })).rejects.toMatchObject({ code: 'overloaded', statusCode: 503 });
    release();
    await first;
    await queued;
    fail = true;
    await expect(ingest.ingestOne({ event_type: 'x', session_id: 's' })).rejects.toMatchObject({ statusCode: 500 });

    expect(await metrics.summary()).toMatchObject({
      events_received_total: 4,
      events_stored_total: 2,
      events_rejected_total: 1,
      storage_errors_total: 1,
    });
    const text = await metrics.prometheus();
    expect(text).toMatch(/^hooks_events_rejected_total\{reason="overloaded"\} 1$/m);
    expect(text).toMatch(/^hooks_storage_errors_total 1$/m);
  });
});
