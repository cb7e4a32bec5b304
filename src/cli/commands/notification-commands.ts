import type { Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerNotificationCommands(program: Command): void {
  const notifications = program.command('notifications').description('The outbox: what was sent where, what failed and why');
  const load = () => import('../notifications-command.ts');
  notifications
    .command('list')
    .description('Notifications, newest first')
    .option('--status <status>', 'pending, sending, failed, sent or dead')
    .option('--session <id>', 'of one session')
    .option('--team <team_id>', 'of one team')
    .option('--channel <id>', 'to one channel')
    .option('--limit <n>', 'at most N (default 50)', intIn('--limit', 1, 500))
    .option('--cursor <c>', 'the next page, as the last one printed it')
    .option('--json', 'print the reply of GET /notifications')
    .action(async (options) => (await load()).notificationsListCommand(program.opts(), options));
  notifications
    .command('show')
    .description('One notification: what it said and every attempt with the answer')
    .argument('<id>', 'notification id')
    .option('--json', 'print the reply of GET /notifications/{id}')
    .action(async (id: string, options) => (await load()).notificationsShowCommand(program.opts(), id, options));
  notifications
    .command('retry')
    .description('Send a failed or dead notification again now')
    .argument('<id>', 'notification id')
    .action(async (id: string) => (await load()).notificationsRetryCommand(program.opts(), id));
  notifications
    .command('replay')
    .description('Send dead notifications again (--status failed: failed ones), by channel, session or team')
    .option('--status <status>', 'dead (default) or failed')
    .option('--session <id>', 'of one session')
    .option('--team <team_id>', 'of one team')
    .option('--channel <id>', 'to one channel')
    .action(async (options) => (await load()).notificationsReplayCommand(program.opts(), options));
  notifications
    .command('flush')
    .description('Deliver what is due now, from this process, and print what happened (a server delivers by itself)')
    .action(async () => (await load()).notificationsFlushCommand(program.opts()));
}
