// The notifications page's filters, as kept in its URL, the GET /notifications and POST
// /notifications/replay requests they make, and how a status is coloured and counted.
import type { NotificationStatus } from '../../src/modules/notifications/notification.ts';
import { query } from './api.ts';
import type { Notification, NotificationPage } from './api-types.ts';

export const NOTIFICATION_FILTERS = ['status', 'channel', 'session'] as const;
export type NotificationFilters = Record<(typeof NOTIFICATION_FILTERS)[number], string>;
/** The server's statuses, in its order (a unit test holds the two lists equal). */
export const NOTIFICATION_STATUSES = [
  'new',
  'pending',
  'held',
  'digested',
  'sending',
  'failed',
  'sent',
  'dead',
  'stale',
] as const satisfies readonly NotificationStatus[];
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

/** A digest's members (all of them, up to the route's limit): GET /notifications?digest_id=. */
export const digestMembersPath = (digestId: string, size: number) =>
  `/notifications${query({ digest_id: digestId, limit: Math.min(MAX_LIMIT, Math.max(1, size)) })}`;

/** What "Replay dead" sends again: the dead ones of the channel and session filtered on. */
export function replayBody(filters: NotificationFilters): { channel?: string; session_id?: string } {
  return {
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.session ? { session_id: filters.session } : {}),
  };
}

/**
 * Its colour (the tone classes of styles.css): sent ok, failed warn, dead bad; held and
 * digested blue, as information (they wait on purpose); the rest, stale included, neutral.
 */
export function statusTone(status: string): 'ok' | 'notice' | 'fail' | 'prompt' | 'tool' {
  if (status === 'sent') return 'ok';
  if (status === 'failed') return 'notice';
  if (status === 'dead') return 'fail';
  if (status === 'held' || status === 'digested') return 'prompt';
  return 'tool';
}

/** What a status means, for its chip's tooltip. */
export const STATUS_MEANINGS: Record<string, string> = {
  new: 'new: batching decides within a second whether it goes now or is held',
  pending: 'pending: due to go as soon as its channel is free',
  held: 'held: waiting for its digest window to close or for quiet hours to end',
  digested: 'digested: merged into a digest, which is on its way',
  sending: 'sending: a delivery is under way',
  failed: 'failed: tried again on the retry schedule',
  sent: 'sent: the channel took it',
  dead: 'dead: given up on',
  stale: 'stale: the prompt was already too old when its rule fired, so it was recorded and never sent',
};

/** Sent again by Retry: failed or dead, and not a digest's member (its digest is what is sent). */
export const retryable = (n: Pick<Notification, 'status' | 'digest_id'>) => (n.status === 'failed' || n.status === 'dead') && !n.digest_id;
/** Not settled yet and soon to move on: the list and the detail ask again soon. */
export const moving = (status: string) => status === 'new' || status === 'pending' || status === 'sending' || status === 'digested';

/** A page asked for with a limit, as a count: "100+" when there are more. */
export function pageCount(page: NotificationPage | null | undefined): { n: number; text: string } | null {
  if (!page) return null;
  return { n: page.items.length, text: `${page.items.length}${page.next_cursor ? '+' : ''}` };
}
