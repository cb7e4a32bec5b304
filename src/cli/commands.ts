import type { Command } from 'commander';
import { registerChannelCommands } from './commands/channel-commands.ts';
import { registerTaskCommands } from './commands/task-commands.ts';
import { registerEmitCommands } from './commands/emit-commands.ts';
import { registerNotificationCommands } from './commands/notification-commands.ts';
import { registerNotifyCommands } from './commands/notify-commands.ts';
import { registerEventCommands } from './commands/event-commands.ts';
import { registerExecutionCommands } from './commands/execution-commands.ts';
import { registerIntegrationCommands } from './commands/integration-commands.ts';
import { registerPartitionCommands } from './commands/partition-commands.ts';
import { registerPerfCommands } from './commands/perf-commands.ts';
import { registerRebuildCommands } from './commands/rebuild-commands.ts';
import { registerSecretCommands } from './commands/secret-commands.ts';
import { registerServiceCommands } from './commands/service-commands.ts';
import { registerSessionCommands } from './commands/session-commands.ts';
import { registerStatsCommands } from './commands/stats-commands.ts';
import { registerTeamCommands } from './commands/team-commands.ts';
import { registerTokenCommands } from './commands/token-commands.ts';

// Loaded on every run, `hookd emit` inside an agent's hook included: only registrations
// and argument parsers here and in commands/; each command's module is imported when it runs.

/** Command groups beyond serve and migrate; each registers itself and loads lazily. */
export async function registerCommands(program: Command): Promise<void> {
  registerTokenCommands(program);
  registerEventCommands(program);
  registerPartitionCommands(program);
  registerIntegrationCommands(program);
  registerEmitCommands(program);
  registerSessionCommands(program);
  registerStatsCommands(program);
  registerRebuildCommands(program);
  // Seed 000's commands: hook executions, their performance figures, team configurations and rules.
  registerExecutionCommands(program);
  registerPerfCommands(program);
  registerTeamCommands(program);
  // Notifications: where they go, and the config store that keeps secrets sealed.
  registerChannelCommands(program);
  registerTaskCommands(program);
  registerNotificationCommands(program);
  registerNotifyCommands(program);
  registerSecretCommands(program);
  registerServiceCommands(program);
}
