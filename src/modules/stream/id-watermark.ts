/**
 * Gap-safe reading of PostgreSQL's events.id in commit order.
 *
 * `id` is a bigserial: ids are handed out when a row is inserted, but transactions commit
 * in another order (two commits in flight per process, any number of processes), so
 * "poll id > last" would skip a row whose lower id commits after a higher one was read.
 * This class keeps what a reader needs to never skip one, and stores nothing extra in the
 * database:
 *
 * - `top`: every id <= top has been read, or is a hole: an id not visible yet (in flight,
 *   or rolled back, which looks the same until its transaction ends).
 * - `holes`: those ids, as ranges; each poll re-reads them in the same statement as it
 *   reads what is new above `top`.
 * - `safe` (the watermark): every id <= safe is settled: it was read or will never exist.
 *   Holes at or below it are forgotten.
 *
 * When `safe` may advance comes from the poll's own snapshot (pg_current_snapshot(),
 * taken by the same statement that read the rows): a poll P that read up to top_P can
 * release top_P once every transaction running at P has ended. Why that suffices: with
 * the sequence's default CACHE 1, ids are handed out in increasing order, so every id <=
 * top_P was handed out before top_P's row committed, i.e. before P. hookd's insert takes
 * its xid (the event_keys insert of the same statement) before events.id's nextval(), so
 * the transaction holding an unread id <= top_P was listed in P's xip. Once all of those
 * have ended, any of their rows that committed are visible to the next statement, whose
 * hole re-read fetches them before `safe` moves. As a second guard against a writer
 * caught between nextval() and taking its xid, a candidate also waits for the
 * transactions of the following poll: `safe` trails the newest read by about two polls.
 *
 * A long transaction anywhere in the cluster (a migration, a report that writes) would
 * hold `safe` back, and with it resume cursors (more duplicates on reconnect, never a
 * gap). `prune` lets the caller drop xids that hold no write lock on events (see
 * event-tail-postgres.ts): a transaction that has not inserted an event by now can only
 * take ids above every top recorded so far.
 *
 * The alternative, re-reading a window of received_at (say the last 5 s), was rejected:
 * received_at is taken before the commit queue, and a commit delayed longer than the
 * window (fsync stall, lock wait, a slow partition creation) would be skipped silently.
 */
export interface Snapshot {
  xmin: number;
  xmax: number;
  xip: ReadonlySet<number>;
}

/** pg_current_snapshot()::text, `xmin:xmax:xip1,xip2,...` (xid8 values; far below 2^53). */
export function parseSnapshot(text: string): Snapshot {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!match) throw new Error(`unexpected snapshot text: ${text}`);
  const xip = new Set(match[3] ? match[3].split(',').map(Number) : []);
  return { xmin: Number(match[1]), xmax: Number(match[2]), xip };
}

/** True when the transaction had ended (committed or aborted) as of the snapshot. */
export function endedIn(xid: number, snapshot: Snapshot): boolean {
  return xid < snapshot.xmin || (xid < snapshot.xmax && !snapshot.xip.has(xid));
}

interface Candidate {
  top: number;
  xids: Set<number>;
  /** Holds the xids of the following poll too. */
  complete: boolean;
  since: number;
}

// Bounds for pathological cases (a transaction open for hours): candidates are only a
// way to advance `safe` sooner, so dropping one delays it and loses nothing; holes are
// real unread ids, kept up to a limit that ordinary rollbacks never reach.
const MAX_CANDIDATES = 64;
const MAX_HOLES = 10_000;

export class IdWatermark {
  safe: number;
  top: number;
  /** False until the first candidate is released: ids <= the start point may still commit. */
  settled = false;
  private holes: [number, number][] = [];
  private candidates: Candidate[] = [];

  constructor(start: number) {
    this.safe = start;
    this.top = start;
  }

  /** The hole ranges, [lo, hi] inclusive, ascending. */
  holeRanges(): { lo: number[]; hi: number[] } {
    return { lo: this.holes.map((h) => h[0]), hi: this.holes.map((h) => h[1]) };
  }

  /**
   * The ids to re-read, lowest first, at most `max` (the rest wait for a later poll).
   * A list rather than ranges: `id = ANY(list)` is estimated from the index statistics,
   * while a join on ranges with unknown bounds was estimated at a ninth of the table and
   * made PostgreSQL JIT-compile every poll, which cost far more than the poll itself.
   */
  holeIds(max: number): number[] {
    const ids: number[] = [];
    for (const [lo, hi] of this.holes) {
      for (let id = lo; id <= hi && ids.length < max; id++) ids.push(id);
      if (ids.length >= max) break;
    }
    return ids;
  }

  get holeCount(): number {
    return this.holes.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  }

  /**
   * Applies one poll: `ids` (ascending) are every id it read, holes that filled and new
   * ids above `top` (a contiguous read: when it hit its limit, the rest comes next poll);
   * `snapshot` is the snapshot of the statement that read them.
   */
  apply(ids: readonly number[], snapshot: Snapshot, now: number): void {
    let previous = this.top;
    for (const id of ids) {
      if (id <= this.top) {
        this.fill(id);
        continue;
      }
      if (id > previous + 1) this.holes.push([previous + 1, id - 1]);
      previous = id;
    }
    this.top = previous;

    const last = this.candidates.at(-1);
    if (last && !last.complete) {
      for (const xid of snapshot.xip) last.xids.add(xid);
      last.complete = true;
    }
    const next: Candidate = { top: this.top, xids: new Set(snapshot.xip), complete: false, since: now };
    if (this.candidates.length >= MAX_CANDIDATES) this.candidates[this.candidates.length - 1] = next;
    else this.candidates.push(next);

    while (this.candidates.length > 0) {
      const first = this.candidates[0]!;
      if (!first.complete || ![...first.xids].every((xid) => endedIn(xid, snapshot))) break;
      this.safe = Math.max(this.safe, first.top);
      this.settled = true;
      this.candidates.shift();
    }
    this.forgetSettledHoles();
  }

  /** Since when `safe` has been waiting on the oldest candidate, or null when none waits. */
  blockedSince(): number | null {
    const first = this.candidates[0];
    return first?.complete ? first.since : null;
  }

  /**
   * Drops the xids of transactions that hold no write lock on events (`writers` are
   * 32-bit xids, as pg_locks shows them), taken after every candidate's snapshot.
   */
  prune(writers: ReadonlySet<number>): void {
    for (const candidate of this.candidates) {
      for (const xid of candidate.xids) if (!writers.has(xid % 2 ** 32)) candidate.xids.delete(xid);
    }
  }

  private fill(id: number): void {
    const i = this.holes.findIndex(([lo, hi]) => lo <= id && id <= hi);
    if (i < 0) return;
    const [lo, hi] = this.holes[i]!;
    const parts: [number, number][] = [];
    if (lo < id) parts.push([lo, id - 1]);
    if (id < hi) parts.push([id + 1, hi]);
    this.holes.splice(i, 1, ...parts);
  }

  private forgetSettledHoles(): void {
    const kept: [number, number][] = [];
    for (const [lo, hi] of this.holes) {
      if (hi <= this.safe) continue;
      kept.push([Math.max(lo, this.safe + 1), hi]);
    }
    // Beyond the bound the oldest ranges are given up: a documented loss, never silent growth.
    this.holes = kept.length > MAX_HOLES ? kept.slice(kept.length - MAX_HOLES) : kept;
  }
}
