// A digest's members, on its page: what it carried, each a link to its own page.
import type { NotificationPage } from '../api-types.ts';
import { digestMembersPath } from '../notification-query.ts';
import { countText } from '../time.ts';
import { useApi } from '../use-api.ts';
import { Failure, Loading } from './loading.tsx';
import { notificationHref, sessionHref, StatusChip } from './notification-parts.tsx';
import { TimeText } from './time-text.tsx';

export function DigestMembers({ digestId, size }: { digestId: string; size: number }) {
  const list = useApi<NotificationPage>(digestMembersPath(digestId, size), 30_000);
  return (
    <article class="panel" aria-labelledby="members-title" aria-busy={list.loading}>
      <h2 id="members-title">
        Carries {countText(size)} notification{size === 1 ? '' : 's'}
      </h2>
      {list.error ? (
        <Failure error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading what the digest carries" />
      ) : list.data.items.length === 0 ? (
        <p class="muted">None of them is kept any more: pruned with age.</p>
      ) : (
        <>
          <ul class="notification-list digest-members">
            {/* Oldest first, as the digest's message lists them. */}
            {[...list.data.items].reverse().map((n) => (
              <li key={n.notification_id}>
                <StatusChip status={n.status} /> <a href={notificationHref(n.notification_id)}>{n.title}</a>{' '}
                <span class="muted">
                  · created <TimeText at={n.created_at} />
                  {n.session_id && (
                    <>
                      {' '}
                      · session <a href={sessionHref(n.session_id)}>{n.session_id}</a>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
          {list.data.next_cursor && <p class="muted">The first {countText(list.data.items.length)} are listed.</p>}
        </>
      )}
      <p class="muted">Each stays in the outbox as itself, and ends as its digest does: sent with it, or dead with it.</p>
    </article>
  );
}
