/**
 * Sessions and tool uses are derived from the events after the events commit, in passes of
 * many events, rather than inside each ingest commit. Ingest then writes the events alone
 * (its acknowledgement waits for nothing else), and a pass touches each session row once
 * for all of its events. The dialects keep "what is not derived yet" differently
 * (session-deriver-{sqlite,postgres}.ts); both move it in the same transaction as the
 * derived writes, so each event is derived exactly once whichever process runs the pass.
 *
 * Derived rows trail the events by one pass (milliseconds); every read of them waits for
 * catchUp() first, so a client that stored an event and then asks for its session sees it.
 */
export interface SessionDeriver {
  /** Asks for a pass soon; returns at once. Called after every commit, with how many events it stored. */
  kick(events?: number): void;
  /**
   * Resolves once at most the backlog limit of this process's committed events waits to be
   * derived; ingest awaits it before each commit, so under a load derivation cannot keep
   * up with, acknowledgements slow to its pace instead of the derived tables falling
   * minutes behind.
   */
  room(): Promise<void>;
  /** Resolves once every event committed before the call is derived. */
  catchUp(): Promise<void>;
  /** Where a failed background pass is reported (its events stay pending for the next one). */
  onError(handler: (error: unknown) => void): void;
  /** Stops background passes and waits for one under way. */
  close(): Promise<void>;
}

/** A dialect's passes: `pass` derives up to a bounded batch, skipping work another process holds. */
export interface DerivationPasses {
  /** Derives pending events, at most a bounded batch; returns how many, so the caller knows when to stop. */
  pass(): Promise<number>;
  /** True when `pass` took a full batch and more may be waiting. */
  full(derived: number): boolean;
  /** Derives everything committed before the call, waiting for passes that hold some of it. */
  catchUp(): Promise<void>;
}

/**
 * Runs passes in the background after commits: one at a time per process, `delayMs`
 * (HOOKD_DERIVE_DELAY_MS) after a commit asked, again at once while batches come back
 * full or more than `backlogMax` (HOOKD_DERIVE_BACKLOG_MAX) events wait, and once more
 * when a commit arrived during a pass.
 *
 * Why wait at all: a pass is a transaction of its own, and run after every commit it would
 * double the commits under steady ingest, and single-event ingest would pay for them;
 * waiting lets one pass take the events of every commit in between.
 */
const RETRY_MS = 100;

export function scheduleDerivation(passes: DerivationPasses, delayMs: number, backlogMax = Infinity): SessionDeriver {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let report: (error: unknown) => void = () => {};
  // This process's committed events not derived yet, as far as it knows: other processes'
  // passes may derive some of them, so a pass that finds nothing left sets it to 0.
  let pending = 0;
  const waiters: (() => void)[] = [];
  const over = () => pending > backlogMax;
  const release = () => {
    if (over() && !closed) return;
    for (const resolve of waiters.splice(0)) resolve();
  };
  const pass = async () => {
    const derived = await passes.pass();
    pending = derived === 0 ? 0 : Math.max(0, pending - derived);
    release();
    return derived;
  };

  // The wait before a pass ends early on close(), which must not sit out a long delay.
  let wake = () => {};
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms).unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async () => {
    try {
      do {
        again = false;
        // Behind by more than the limit: no wait, the commits are already held back.
        if (!over()) await later(delayMs);
        for (;;) {
          if (closed) break;
          const derived = await pass();
          if (!passes.full(derived) && !(over() && derived > 0)) break;
          await later(0);
        }
      } while (again && !closed);
    } catch (error) {
      report(error);
    } finally {
      running = null;
      // A failed pass must not hold commits back for good: they wait for the next one.
      if (waiters.length > 0 && !closed) setTimeout(start, RETRY_MS).unref();
    }
  };
  const start = () => {
    if (running) again = true;
    else running = loop();
  };

  return {
    kick(events = 0) {
      if (closed) return;
      pending += events;
      start();
    },
    room() {
      if (!over() || closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        start();
        // A pass sitting out its delay starts now: a commit waits for it.
        wake();
      });
    },
    async catchUp() {
      await passes.catchUp();
    },
    onError(handler) {
      report = handler;
    },
    async close() {
      closed = true;
      wake();
      release();
      await running;
    },
  };
}
