// What hookd holds on purpose, above the queue: per team, channel and kind, why it waits
// (its digest window, or quiet hours) and when it goes. The queue lists them too, newest
// first among the rest; here they are together, the group that goes first first.
import { useMemo } from 'preact/hooks';
import { query } from '../api.ts';
import type { NotificationPage } from '../api-types.ts';
import { type BatchPreferences, type HeldGroup, heldGroups, heldWhy } from '../held-groups.ts';
import { type NotificationFilters, notificationListPath } from '../notification-query.ts';
import { useAuthSession } from '../session.ts';
import { countText } from '../time.ts';
import { useApi } from '../use-api.ts';
import { useTeamPreferences } from '../use-team-preferences.ts';
import { GoesAt, notificationHref, PAGE_PATH } from './notification-parts.tsx';
import { TimeText } from './time-text.tsx';

/** Of a group, the ones named; the rest are counted, behind a link to the filtered queue. */
const SHOWN = 5;
/** The most asked for: the route's page limit. */
const LIMIT = 500;

export function HeldNotifications({ filters }: { filters: NotificationFilters }) {
  const session = useAuthSession();
  const held = useApi<NotificationPage>(notificationListPath({ ...filters, status: 'held' }, null, LIMIT), 15_000);
  const groups = useMemo(() => heldGroups(held.data?.items ?? []), [held.data]);
  // Teams are read by team-wide tokens only: one bound to a session may not.
  const teams = session.session_id === null ? groups.map((g) => g.teamId).filter((t): t is string => t !== null) : [];
  const prefs = useTeamPreferences(teams);
  const count = held.data?.items.length ?? 0;
  if (count === 0) return null;

  return (
    <article class="panel held" aria-labelledby="held-title">
      <h2 id="held-title">
        Held ({countText(count)}
        {held.data?.next_cursor ? '+' : ''})
      </h2>
      <p class="muted held-intro">Waiting on purpose, as their team's notification preferences say: each goes at the time shown.</p>
      <ul class="held-groups">
        {groups.map((g) => (
          <Group key={g.key} group={g} prefs={g.teamId === null ? null : (prefs.get(g.teamId) ?? null)} session={filters.session} />
        ))}
      </ul>
    </article>
  );
}

function Group({ group: g, prefs, session }: { group: HeldGroup; prefs: BatchPreferences | null; session: string }) {
  const { label, why, after } = heldWhy(g.reason, prefs);
  const rest = g.items.length - SHOWN;
  return (
    <li class="held-group">
      <p class="held-head">
        <strong>
          {countText(g.items.length)} {g.kind} notification{g.items.length === 1 ? '' : 's'}
        </strong>{' '}
        → {g.channel}
        {g.teamId !== null && <span class="muted"> · team {g.teamId}</span>}
      </p>
      <p class="held-why">
        <span class="chip tone-prompt">{label}</span> {why}
        {g.goesAt ? (
          <>
            : <GoesAt at={g.goesAt} />
            {after}.
          </>
        ) : (
          '.'
        )}
      </p>
      <ul class="held-items">
        {g.items.slice(0, SHOWN).map((n) => (
          <li key={n.notification_id}>
            <a href={notificationHref(n.notification_id)}>{n.title}</a>{' '}
            <span class="muted">
              · created <TimeText at={n.created_at} />
            </span>
          </li>
        ))}
        {rest > 0 && (
          <li>
            <a href={`${PAGE_PATH}${query({ status: 'held', channel: g.channel, session: session || undefined })}`}>
              and {countText(rest)} more held for {g.channel}
            </a>
          </li>
        )}
      </ul>
    </li>
  );
}
