import { mkdirSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { NormalizedEvent } from './event.ts';
import type { EventLog } from './event-store.ts';

/** One canonical event as one JSONL line, reusing the payload serialised at validation. */
export function jsonlLine(e: Omit<NormalizedEvent, 'facts'>): string {
  const head = JSON.stringify({
    event_id: e.eventId,
    session_id: e.sessionId,
    event_type: e.eventType,
    timestamp: new Date(e.ts).toISOString(),
    received_at: new Date(e.receivedAt).toISOString(),
    source: e.source,
    workflow_id: e.workflowId,
    phase_id: e.phaseId,
    milestone_id: e.milestoneId,
    team_id: e.teamId,
    task_id: e.taskId,
    user: e.user,
    host: e.host,
  });
  return `${head.slice(0, -1)},"data":${e.dataJson}}\n`;
}

/**
 * The seed's local fallback: append-only, fsynced before the acknowledgement, no
 * deduplication and no queries.
 */
export function createJsonlEventLog(path: string): EventLog & { close(): Promise<void> } {
  let handle: Promise<FileHandle> | null = null;
  const file = () => {
    if (!handle) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      handle = open(path, 'a', 0o600).then((h) => {
        // A new file's directory entry must be durable too.
        const dir = openSync(dirname(path), 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
        return h;
      });
    }
    return handle;
  };

  return {
    async writeGroups(groups) {
      let text = '';
      for (const group of groups) for (const event of group) text += jsonlLine(event);
      const h = await file();
      await h.appendFile(text, 'utf8');
      await h.datasync();
      return groups.map(() => 0);
    },
    async ping() {
      await file();
    },
    async close() {
      if (handle) await (await handle).close();
      handle = null;
    },
  };
}
