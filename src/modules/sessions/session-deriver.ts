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
 * How long a pass waits after the commit that asked for it. A pass is a transaction of its
 * own: run after every commit it would double the commits under steady ingest (measured:
 * single-event ingest fell by a third); waiting this long lets one pass take the events of
 * every commit in between. Reads never wait for it (they catch up).
 */
export const PASS_DELAY_MS = 20;

/**
 * Runs passes in the background after commits: one at a time per process, PASS_DELAY_MS
 * after a commit asked, again at once while batches come back full, and once more when a
 * commit arrived during a pass.
 */
export function scheduleDerivation(passes: DerivationPasses): SessionDeriver {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let report: (error: unknown) => void = () => {};

  const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  const loop = async () => {
    try {
      do {
        again = false;
        await later(PASS_DELAY_MS);
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
      await running;
    },
  };
}
