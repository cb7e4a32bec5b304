import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endedIn, IdWatermark, parseSnapshot, type Snapshot } from './id-watermark.ts';

/**
 * A model of PostgreSQL as the tail sees it: transactions take an xid, then ids from one
 * sequence, and commit or abort in any order; a poll sees the committed rows and the
 * running xids of one instant.
 */
class Model {
  private nextXid = 100;
  private nextId = 1;
  readonly running = new Map<number, number[]>();
  readonly committed = new Set<number>();
  readonly aborted = new Set<number>();

  begin(): number {
    const xid = this.nextXid++;
    this.running.set(xid, []);
    return xid;
  }

  allocate(xid: number, count: number): void {
    for (let i = 0; i < count; i++) this.running.get(xid)!.push(this.nextId++);
  }

  end(xid: number, commit: boolean): void {
    for (const id of this.running.get(xid)!) (commit ? this.committed : this.aborted).add(id);
    this.running.delete(xid);
  }

  snapshot(): Snapshot {
    const xip = new Set(this.running.keys());
    return { xmin: Math.min(this.nextXid, ...xip), xmax: this.nextXid, xip };
  }

  /** What the tail's poll statement returns: visible ids above top (limited) and in holes. */
  poll(mark: IdWatermark, limit: number): number[] {
    const visible = [...this.committed].sort((a, b) => a - b);
    const above = visible.filter((id) => id > mark.top).slice(0, limit);
    const { lo, hi } = mark.holeRanges();
    const filled = visible.filter((id) => id <= mark.top && lo.some((l, i) => l <= id && id <= hi[i]!));
    return [...filled, ...above].sort((a, b) => a - b);
  }
}

type Step =
  | { kind: 'begin' }
  | { kind: 'write'; tx: number; count: number }
  | { kind: 'end'; tx: number; commit: boolean }
  | { kind: 'poll' };

const steps = fc.array(
  fc.oneof(
    fc.constant<Step>({ kind: 'begin' }),
    fc.record({ kind: fc.constant('write' as const), tx: fc.nat(5), count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('end' as const), tx: fc.nat(5), commit: fc.boolean() }),
    fc.constant<Step>({ kind: 'poll' }),
  ),
  // Long plans: the interesting interleavings (a writer spanning several polls) need room.
  { minLength: 10, maxLength: 120, size: 'max' },
);

describe('IdWatermark', () => {
  it('parses pg_current_snapshot() text', () => {
    expect(parseSnapshot('10:15:10,12')).toEqual({ xmin: 10, xmax: 15, xip: new Set([10, 12]) });
    const s = parseSnapshot('7:7:');
    expect(s.xip.size).toBe(0);
    expect(endedIn(6, s)).toBe(true);
    expect(endedIn(12, parseSnapshot('10:15:10,12'))).toBe(false);
    expect(endedIn(11, parseSnapshot('10:15:10,12'))).toBe(true);
  });

  it('delivers every committed row exactly once, whatever the commit order, and never passes one with `safe`', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 1, max: 5 }), (plan, limit) => {
        const db = new Model();
        const mark = new IdWatermark(0);
        const delivered: number[] = [];
        const txs: number[] = [];
        const safeChecks: { safe: number; deliveredSoFar: Set<number> }[] = [];
        const poll = () => {
          const ids = db.poll(mark, limit);
          mark.apply(ids, db.snapshot(), 0);
          delivered.push(...ids);
          safeChecks.push({ safe: mark.safe, deliveredSoFar: new Set(delivered) });
        };
        for (const step of plan) {
          if (step.kind === 'begin') txs.push(db.begin());
          else if (step.kind === 'write') {
            const xid = txs[step.tx % Math.max(txs.length, 1)];
            if (xid !== undefined && db.running.has(xid)) db.allocate(xid, step.count);
          } else if (step.kind === 'end') {
            const xid = txs[step.tx % Math.max(txs.length, 1)];
            if (xid !== undefined && db.running.has(xid)) db.end(xid, step.commit);
          } else poll();
        }
        for (const xid of [...db.running.keys()]) db.end(xid, true);
        for (let i = 0; i < 200 && (mark.safe < Math.max(0, ...db.committed) || mark.top < Math.max(0, ...db.committed)); i++) poll();
        poll();
        poll();

        expect(new Set(delivered).size).toBe(delivered.length);
        expect([...delivered].sort((a, b) => a - b)).toEqual([...db.committed].sort((a, b) => a - b));
        // A resume cursor at `safe` must never skip a row that commits later.
        for (const { safe, deliveredSoFar } of safeChecks) {
          for (const id of db.committed) if (id <= safe) expect(deliveredSoFar.has(id)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps `safe` behind a running writer and releases it two polls after the writer ends', () => {
    const db = new Model();
    const mark = new IdWatermark(0);
    const slow = db.begin();
    db.allocate(slow, 1); // id 1, in flight
    const fast = db.begin();
    db.allocate(fast, 1); // id 2
    db.end(fast, true);
    const poll = () => {
      const ids = db.poll(mark, 100);
      mark.apply(ids, db.snapshot(), 0);
      return ids;
    };
    expect(poll()).toEqual([2]);
    expect(poll()).toEqual([]);
    expect(mark.safe).toBe(0);
    expect(mark.holeRanges()).toEqual({ lo: [1], hi: [1] });
    db.end(slow, true);
    expect(poll()).toEqual([1]);
    expect(mark.safe).toBe(2);
    expect(mark.settled).toBe(true);
    expect(mark.holeCount).toBe(0);
  });

  it('prunes transactions that hold no write lock on events, so an unrelated long one does not hold `safe` back', () => {
    const db = new Model();
    const mark = new IdWatermark(0);
    const unrelated = db.begin();
    const writer = db.begin();
    db.allocate(writer, 2);
    db.end(writer, true);
    for (let i = 0; i < 3; i++) mark.apply(db.poll(mark, 100), db.snapshot(), i);
    expect(mark.safe).toBe(0);
    expect(mark.blockedSince()).toBe(0);
    mark.prune(new Set([]));
    mark.apply(db.poll(mark, 100), db.snapshot(), 4);
    expect(mark.safe).toBe(2);
    expect(db.running.has(unrelated)).toBe(true);
  });
});
