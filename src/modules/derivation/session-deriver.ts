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
  /** Asks for a pass soon; returns at once. Called after every commit. */
  kick(): void;
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
 * full, and once more when a commit arrived during a pass.
 *
 * Why wait at all: a pass is a transaction of its own, and run after every commit it would
 * double the commits under steady ingest, and single-event ingest would pay for them;
 * waiting lets one pass take the events of every commit in between.
 */
export function scheduleDerivation(passes: DerivationPasses, delayMs: number): SessionDeriver {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let report: (error: unknown) => void = () => {};

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
        await later(delayMs);
        while (!closed && passes.full(await passes.pass())) await later(0);
      } while (again && !closed);
    } catch (error) {
      report(error);
    } finally {
      running = null;
    }
  };

  return {
    kick() {
      if (closed) return;
      if (running) again = true;
      else running = loop();
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
      await running;
    },
  };
}
