// Everything the benchmark starts (servers, load generators, temp dirs, databases,
// PostgreSQL clusters) registers its undo here, so an error or ctrl-C leaves nothing behind.

type Undo = () => void | Promise<void>;

const pending = new Map<number, { name: string; undo: Undo }>();
let nextId = 0;
let installed = false;
let stopping = false;

/** Registers an undo action; call the returned function once the thing is gone. */
export function onCleanup(name: string, undo: Undo): () => void {
  const id = nextId++;
  pending.set(id, { name, undo });
  return () => {
    pending.delete(id);
  };
}

/** Runs every registered undo, newest first; one failing does not stop the others. */
export async function cleanupAll(): Promise<void> {
  const entries = [...pending.entries()].reverse();
  for (const [id, { name, undo }] of entries) {
    pending.delete(id);
    try {
      await undo();
    } catch (error) {
      console.error(`cleanup of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal (or the one a PostgreSQL cluster re-raises after its own stop)
    // must not start a second cleanup.
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping everything the benchmark started...`);
    void cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Last resort when the process ends some other way: synchronous parts still run
  // (processes get their signal, directories are removed).
  process.on('exit', () => {
    for (const { undo } of pending.values()) {
      try {
        void Promise.resolve(undo()).catch(() => {});
      } catch {
        // Nothing more can be done while exiting.
      }
    }
  });
}

/**
 * Runs a benchmark's main: exits with its code, or 1 with the error's stack, after every
 * registered undo has run either way.
 */
export function runBench(main: () => Promise<number>): void {
  main()
    .then(async (code) => {
      await cleanupAll();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      await cleanupAll();
      process.exit(1);
    });
}
