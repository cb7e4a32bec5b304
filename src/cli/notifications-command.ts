import type { NotificationView } from '../modules/notifications/notification-service.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, shortTime, type Column } from './output.ts';

const COLUMNS: Column<NotificationView>[] = [
  { header: 'id', value: (n) => n.notification_id },
  { header: 'status', value: statusOf },
  { header: 'kind', value: (n) => n.kind },
  { header: 'channel', value: (n) => n.channel },
  { header: 'tries', value: (n) => String(n.retry_count + (n.status === 'sent' ? 1 : 0)), right: true },
  { header: 'created', value: (n) => shortTime(n.created_at) },
  { header: 'title / error', value: (n) => (n.error ? `${n.title} — ${n.error}` : n.title) },
];

/** Held: why and until when; in a digest: which one; a digest: how many it carries. */
function statusOf(n: NotificationView): string {
  if (n.status === 'held' && n.next_attempt_at)
    return `held (${n.held_reason === 'quiet_hours' ? 'quiet hours' : 'digest'}) until ${shortTime(n.next_attempt_at)}`;
  if (n.digest_id && n.status !== 'sent') return `${n.status} in ${n.digest_id}`;
  if (n.digest_size > 0) return `${n.status} (digest of ${n.digest_size})`;
  return n.status;
}
const WHAT = 'notifications';

interface Filters {
  status?: string;
  session?: string;
  team?: string;
  channel?: string;
}
const query = (o: Filters) => ({
  ...(o.status ? { status: o.status } : {}),
  ...(o.session ? { session_id: o.session } : {}),
  ...(o.team ? { team_id: o.team } : {}),
  ...(o.channel ? { channel: o.channel } : {}),
});

export async function notificationsListCommand(
  globals: GlobalOptions,
  options: Filters & { limit?: number; cursor?: string; json?: boolean },
) {
  await withServices(globals, WHAT, async ({ notifications }) => {
    const page = await notifications.list(
      { ...query(options), ...(options.limit ? { limit: options.limit } : {}), ...(options.cursor ? { cursor: options.cursor } : {}) },
      CLI_PRINCIPAL,
    );
    if (options.json) return printJson(page);
    if (page.items.length === 0) process.stdout.write('no notifications match\n');
    else printTable(COLUMNS, page.items);
    if (page.next_cursor) process.stdout.write(`more: --cursor ${page.next_cursor}\n`);
  });
}

export async function notificationsShowCommand(globals: GlobalOptions, id: string, options: { json?: boolean }) {
  await withServices(globals, WHAT, async ({ notifications }) => {
    const n = await notifications.get(id, CLI_PRINCIPAL);
    if (options.json) return printJson(n);
    const lines = [
      `${n.notification_id}  ${n.status}  ${n.kind}${n.priority === 'critical' ? ' (critical)' : ''} -> ${n.channel}`,
      `  ${n.title}`,
      `  session ${n.session_id ?? '-'}  event ${n.event_type ?? '-'}  created ${n.created_at}`,
      n.next_attempt_at ? `  next attempt ${n.next_attempt_at} (gives up at ${n.expires_at})` : null,
      n.sent_at ? `  sent ${n.sent_at}` : null,
      n.error ? `  error: ${n.error}` : null,
      ...n.attempts.map(
        (a) =>
          `  attempt ${a.attempt}  ${a.started_at}  ${a.outcome}  ${a.status_code ?? 'no answer'}  ${a.latency_ms} ms${a.error ? `  ${a.error}` : ''}`,
      ),
    ];
    process.stdout.write(`${lines.filter((l) => l !== null).join('\n')}\n`);
  });
}

export async function notificationsRetryCommand(globals: GlobalOptions, id: string) {
  await withServices(globals, WHAT, async ({ notifications }) => {
    const n = await notifications.retry(id, CLI_PRINCIPAL);
    process.stdout.write(`${n.notification_id} is due again (a running server sends it; or: hookd notifications flush)\n`);
  });
}

export async function notificationsReplayCommand(globals: GlobalOptions, options: Filters) {
  await withServices(globals, WHAT, async ({ notifications }) => {
    const { requeued } = await notifications.replay(query(options), CLI_PRINCIPAL);
    process.stdout.write(`${requeued} notification${requeued === 1 ? '' : 's'} due again\n`);
  });
}

export async function notificationsFlushCommand(globals: GlobalOptions) {
  await withServices(globals, WHAT, async ({ notificationWorker, notifications }) => {
    const claimed = await notificationWorker.drain();
    const figures = await notifications.figures();
    process.stdout.write(`attempted ${claimed}; now ${figures.pending} waiting, ${figures.failed} to retry later, ${figures.dead} dead\n`);
  });
}
