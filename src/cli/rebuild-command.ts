import { progressEnabled, ProgressBar } from '../core/progress-bar.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { printJson } from './output.ts';

export interface RebuildOptions {
  session?: string;
  json?: boolean;
}

/**
 * `hookd rebuild`: recomputes sessions and tool uses from the stored events, one session
 * per transaction, beside a running server. Running it again changes nothing.
 */
export async function rebuildCommand(globals: GlobalOptions, options: RebuildOptions): Promise<void> {
  // Writes inline: a one-shot command gains nothing from the server's write thread.
  const { services } = await openRuntime(readConfig(globals), { applicationName: 'hookd-rebuild', serverThreads: false }, 'rebuild');
  const progress = new ProgressBar({
    label: 'rebuilding',
    unit: 'events',
    stream: process.stderr,
    enabled: progressEnabled(process.stderr, process.env),
  });
  try {
    const maintenance = services.sessionMaintenance;
    const summary = await maintenance.rebuild({
      ...(options.session !== undefined ? { sessionId: options.session } : {}),
      onSession: (_id, _result, totals) => progress.update(totals.events),
    });
    progress.finish();
    if (options.json) return printJson(summary);
    process.stdout.write(
      `rebuilt ${count(summary.sessions, 'session')} from ${count(summary.events, 'event')} ` +
        `(${count(summary.tool_uses, 'tool use')}); ${summary.changed} changed, ${summary.removed} removed\n`,
    );
  } finally {
    progress.clear();
    await services.close();
  }
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
