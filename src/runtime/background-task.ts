/** A running loop: stop() ends its timer and waits for a run under way. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** A loop a long-running process runs beside its requests (background-tasks.ts lists them). */
export interface BackgroundTask {
  /** For the log: "<name> failed". */
  readonly name: string;
  /**
   * Starts the loop; resolves once it runs. Errors of later runs go to onError, with the
   * part of the task that failed when it has several (a scheduled job's name).
   */
  start(onError: (error: unknown, part?: string) => void): Promise<Stoppable> | Stoppable;
}

/**
 * Starts the tasks in order and returns one handle that stops them in reverse order, so a
 * task stops before anything it was started after. A task that fails to start stops the
 * ones already running and rethrows.
 */
export async function startTasks(tasks: readonly BackgroundTask[], onError: (name: string, error: unknown) => void): Promise<Stoppable> {
  const running: Stoppable[] = [];
  const stopAll = async () => {
    for (const task of running.splice(0).reverse()) await task.stop();
  };
  try {
    for (const task of tasks) running.push(await task.start((error, part) => onError(part ? `${task.name} ${part}` : task.name, error)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}
