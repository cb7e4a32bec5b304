import type { Command } from 'commander';

/** Command groups beyond serve and migrate; each registers itself and loads lazily. */
export async function registerCommands(_program: Command): Promise<void> {}
