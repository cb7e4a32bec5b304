// A session's notifications, on its page.
import type { NotificationPage } from '../api-types.ts';
import { Failure, Loading } from './loading.tsx';
import { TimeText } from './time-text.tsx';
import { notificationListPath } from '../notification-query.ts';
import { useApi } from '../use-api.ts';

import { PAGE_PATH, StatusChip, notificationHref } from './notification-parts.tsx';

export function SessionNotifications({ sessionId }: { sessionId: string }) {
  const list = useApi<NotificationPage>(notificationListPath({ status: '', channel: '', session: sessionId }, null), 30_000);
  const all = `${PAGE_PATH}?session=${encodeURIComponent(sessionId)}`;
  return (
    <article class="panel" aria-labelledby="session-notifications-title">
      <h2 id="session-notifications-title">Notifications {list.data && list.data.items.length > 0 && <a href={all}>all</a>}</h2>
      {list.error ? (
        <Failure error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading notifications" />
      ) : list.data.items.length === 0 ? (
        <p class="muted">No notification was sent about this session: no team rule with a channel fired for it.</p>
      ) : (
        <ul class="notification-list">
          {list.data.items.map((n) => (
            <li key={n.notification_id}>
              <StatusChip status={n.status} /> <a href={notificationHref(n.notification_id)}>{n.title}</a>{' '}
              <span class="muted">
                {n.kind}
                {n.priority === 'critical' ? ', critical' : ''} → {n.channel} · <TimeText at={n.created_at} />
              </span>
            </li>
          ))}
          {list.data.next_cursor && (
            <li>
              <a href={all}>All of this session's notifications</a>
            </li>
          )}
        </ul>
      )}
    </article>
  );
}
