// Reads back, through the public API, what a load run had acknowledged.

export interface StoredCheck {
  /** Acknowledged events absent from the store, as `session/event_id`. */
  missing: string[];
  /** Events listed more than once for their session. */
  duplicated: string[];
  stored: number;
  /** Distinct events stored per session. */
  perSession: Map<string, number>;
}

/** Pages GET /events per session and compares with what the server acknowledged. */
export async function findMissingEvents(url: string, acked: Map<string, string[]>): Promise<StoredCheck> {
  const check: StoredCheck = { missing: [], duplicated: [], stored: 0, perSession: new Map() };
  for (const [sessionId, ids] of acked) {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ session_id: sessionId, limit: '100' });
      if (cursor) query.set('cursor', cursor);
      const response = await fetch(`${url}/events?${query}`);
      if (response.status !== 200) throw new Error(`GET /events answered ${response.status}: ${await response.text()}`);
      const page = (await response.json()) as { items: { event_id: string }[]; next_cursor: string | null };
      for (const item of page.items) {
        if (seen.has(item.event_id)) check.duplicated.push(`${sessionId}/${item.event_id}`);
        seen.add(item.event_id);
      }
      cursor = page.next_cursor;
    } while (cursor);
    check.stored += seen.size;
    check.perSession.set(sessionId, seen.size);
    for (const id of ids) if (!seen.has(id)) check.missing.push(`${sessionId}/${id}`);
  }
  return check;
}
