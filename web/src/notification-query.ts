// The notifications page's filters, as kept in its URL, the GET /notifications and POST
// /notifications/replay requests they make, and how a status is coloured and counted.
import { query } from './api.ts';
import type { NotificationPage } from './api-types.ts';

export const NOTIFICATION_FILTERS = ['status', 'channel', 'session'] as const;
export type NotificationFilters = Record<(typeof NOTIFICATION_FILTERS)[number], string>;
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'failed', 'sent', 'dead'] as const;
export const PAGE = 50;
/** The most the list route gives in one page. */
const MAX_LIMIT = 500;

/** The list request for the URL's filters; `limit` grows to keep every row shown on a refresh. */
export function notificationListPath(filters: NotificationFilters, cursor: string | null, limit = PAGE): string {
  return `/notifications${query({
    status: filters.status || undefined,
    channel: filters.channel || undefined,
    session_id: filters.session || undefined,
    limit: Math.min(MAX_LIMIT, Math.max(1, limit)),
    cursor,
  })}`;
}

/** What "Replay dead" sends again: the dead ones of the channel and session filtered on. */
export function replayBody(filters: NotificationFilters): { channel?: string; session_id?: string } {
  return {
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.session ? { session_id: filters.session } : {}),
  };
}

/** Its colour (the tone classes of styles.css): sent ok, failed warn, dead bad, the rest neutral. */
export function statusTone(status: string): 'ok' | 'notice' | 'fail' | 'tool' {
  if (status === 'sent') return 'ok';
  if (status === 'failed') return 'notice';
  if (status === 'dead') return 'fail';
  return 'tool';
}

export const retryable = (status: string) => status === 'failed' || status === 'dead';
/** Not settled yet: the list and the detail ask again soon. */
export const moving = (status: string) => status === 'pending' || status === 'sending';

/** A page asked for with a limit, as a count: "100+" when there are more. */
export function pageCount(page: NotificationPage | null | undefined): { n: number; text: string } | null {
  if (!page) return null;
  return { n: page.items.length, text: `${page.items.length}${page.next_cursor ? '+' : ''}` };
}
