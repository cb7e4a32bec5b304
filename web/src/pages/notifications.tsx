// Notifications: the outbox (what team rules sent where, and how each delivery went) and
// the channels it goes to. The queue's filters and the view are kept in the URL; a
// notification's detail has its own URL (notification.tsx). Retry, replay, test, pause and
// resume are offered to admin tokens only, each confirming inline what the server answered.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Channel, ChannelPage, Notification, NotificationPage, NotificationReplay } from '../api-types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { FilterInput } from '../components/filter-input.tsx';
import { Failure, Loading } from '../components/loading.tsx';
import { TimeText } from '../components/time-text.tsx';
import {
  moving,
  NOTIFICATION_FILTERS,
  NOTIFICATION_STATUSES,
  notificationListPath,
  PAGE,
  replayBody,
  retryable,
} from '../notification-query.ts';
import { navigate, useQueryState } from '../router.ts';
import { canAdmin, useAuthSession } from '../session.ts';
import { countText } from '../time.ts';
import { useApi } from '../use-api.ts';

import {
  KindText,
  NextOrSent,
  OutcomeText,
  PAGE_PATH,
  shortId,
  StatusChip,
  useAction,
  notificationHref,
} from '../components/notification-parts.tsx';
import { Channels, NoChannels } from '../components/channel-cards.tsx';
import { HeldNotifications } from '../components/held-notifications.tsx';

export function Notifications() {
  const session = useAuthSession();
  const [params, setParams] = useQueryState(['view'] as const);
  // Channels are a team's: a token bound to one session is not shown them.
  const channelsAllowed = session.session_id === null;
  const view = channelsAllowed && params.view === 'channels' ? 'channels' : 'queue';
  const channels = useApi<ChannelPage>(channelsAllowed ? '/channels' : null, 30_000);

  return (
    <section aria-labelledby="notifications-title">
      <div class="page-head">
        <h1 id="notifications-title">Notifications</h1>
        {channelsAllowed && (
          <fieldset class="segmented">
            <legend class="visually-hidden">Show</legend>
            {(
              [
                ['queue', 'Queue'],
                ['channels', 'Channels'],
              ] as const
            ).map(([key, label]) => (
              <label key={key}>
                <input
                  type="radio"
                  name="view"
                  value={key}
                  checked={key === view}
                  onChange={() => setParams({ view: key === 'queue' ? '' : key })}
                />
                <span>{label}</span>
              </label>
            ))}
          </fieldset>
        )}
      </div>
      {view === 'queue' ? <Queue channels={channels.data?.items ?? null} /> : <Channels state={channels} />}
    </section>
  );
}

function Queue({ channels }: { channels: Channel[] | null }) {
  const session = useAuthSession();
  const admin = canAdmin(session);
  const [filters, setFilters] = useQueryState(NOTIFICATION_FILTERS);
  const [items, setItems] = useState<Notification[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const out = useRef<AbortController | null>(null);
  const shown = useRef(0);
  shown.current = items.length;
  const key = NOTIFICATION_FILTERS.map((f) => filters[f]).join('|');
  const action = useAction();
  const [confirming, setConfirming] = useState(false);

  /** A first page (replacing the rows) or the next one (appending); a newer request aborts an older one. */
  const load = (cursor: string | null, limit = PAGE) => {
    out.current?.abort();
    const controller = new AbortController();
    out.current = controller;
    setLoading(true);
    api<NotificationPage>(notificationListPath(filters, cursor, limit), { signal: controller.signal })
      .then((page) => {
        setItems((old) => (cursor ? [...old, ...page.items] : page.items));
        setNext(page.next_cursor);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
  };
  /** The rows shown, asked again: statuses move on while the page is open. */
  const refresh = () => load(null, Math.max(PAGE, shown.current));

  useEffect(() => {
    setItems([]);
    setNext(null);
    action.clear();
    setConfirming(false);
    load(null);
    return () => out.current?.abort();
    // `key` stands for the filters.
  }, [key]);

  // Again every few seconds while something is on its way, else now and then.
  const busy = items.some((n) => moving(n.status));
  useEffect(() => {
    const timer = setInterval(
      () => {
        if (document.visibilityState === 'visible') refresh();
      },
      busy ? 2_000 : 15_000,
    );
    return () => clearInterval(timer);
  }, [key, busy]);

  const retry = (n: Notification) =>
    action.run(
      () => api<Notification>(`/notifications/${encodeURIComponent(n.notification_id)}/retry`, { method: 'POST', body: {} }),
      (again) => {
        refresh();
        return `Sending “${n.title}” again (${shortId(n.notification_id)} is ${again.status}).`;
      },
    );
  const replay = () =>
    action.run(
      () => api<NotificationReplay>('/notifications/replay', { method: 'POST', body: replayBody(filters) }),
      ({ requeued }) => {
        setConfirming(false);
        refresh();
        return requeued
          ? `Sending ${countText(requeued)} dead notification${requeued === 1 ? '' : 's'} again, each with a fresh retry window.`
          : 'No dead notification matches: nothing to send again.';
      },
    );

  const filtered = Object.values(filters).some(Boolean);
  const scope = [filters.channel && `of channel ${filters.channel}`, filters.session && `of session ${filters.session}`]
    .filter(Boolean)
    .join(' ');
  const paused = (channels ?? []).filter((c) => c.paused);
  const channelIds = (channels ?? []).map((c) => c.channel_id);
  if (filters.channel && channels && !channelIds.includes(filters.channel)) channelIds.push(filters.channel);

  return (
    <>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label class="filter">
          <span>Status</span>
          <select name="status" value={filters.status} onChange={(e) => setFilters({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            {NOTIFICATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {channels ? (
          <label class="filter">
            <span>Channel</span>
            <select name="channel" value={filters.channel} onChange={(e) => setFilters({ channel: (e.target as HTMLSelectElement).value })}>
              <option value="">any</option>
              {channelIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <FilterInput name="channel" label="Channel" value={filters.channel} set={(channel) => setFilters({ channel })} />
        )}
        <FilterInput name="session" label="Session" value={filters.session} set={(value) => setFilters({ session: value })} />
        {admin && !confirming && (
          <div class="filter-action">
            <button
              type="button"
              class="quiet"
              onClick={() => (action.clear(), setConfirming(true))}
              title={`Send again every dead notification${scope ? ` ${scope}` : ''}`}
            >
              Replay dead
            </button>
          </div>
        )}
      </form>
      {confirming && (
        <fieldset class="confirm">
          <legend class="visually-hidden">Replay dead notifications</legend>
          <span>
            Send again every dead notification{scope ? ` ${scope}` : ', of every channel and session'}, each with a fresh retry window?
          </span>
          <button type="button" onClick={replay} disabled={action.busy}>
            {action.busy ? 'Replaying…' : 'Replay'}
          </button>
          <button type="button" class="quiet" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      )}
      <OutcomeText outcome={action.outcome} />
      {paused.map((c) => (
        <p key={c.channel_id} class="paused-note">
          <strong>Channel {c.channel_id} is paused</strong>
          {c.paused_reason ? `: ${c.paused_reason}` : ''}. Its notifications wait until it is resumed (
          <a href={`${PAGE_PATH}?view=channels`}>Channels</a>).
        </p>
      ))}

      {(filters.status === '' || filters.status === 'held') && <HeldNotifications filters={filters} />}

      {error && <Failure error={error} retry={() => load(null)} />}
      {!error &&
        items.length === 0 &&
        !loading &&
        (filtered ? (
          <p class="muted">No notification matches these filters.</p>
        ) : channels && channels.length === 0 ? (
          <NoChannels />
        ) : (
          <NoNotifications />
        ))}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="queue stack">
            <caption class="visually-hidden">Notifications, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Kind</th>
                <th scope="col">Channel</th>
                <th scope="col">Title</th>
                <th scope="col" class="num">
                  Tries
                </th>
                <th scope="col">Created</th>
                <th scope="col">Next attempt or sent</th>
                <th scope="col">Error</th>
                {admin && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr
                  key={n.notification_id}
                  class="clickable"
                  onClick={(e) => {
                    if (!(e.target as Element).closest('a, button')) navigate(notificationHref(n.notification_id));
                  }}
                >
                  <td data-label="Status">
                    <StatusChip status={n.status} heldReason={n.held_reason} />
                  </td>
                  <td data-label="Kind">
                    <span>
                      <KindText kind={n.kind} priority={n.priority} />
                    </span>
                  </td>
                  <td data-label="Channel">{n.channel}</td>
                  <td data-label="Title" class="wrap">
                    <a href={notificationHref(n.notification_id)}>{n.title}</a>
                    {n.digest_size > 0 && <span class="muted"> · digest of {countText(n.digest_size)}</span>}
                  </td>
                  <td data-label="Tries" class="num" title={`${n.retry_count} failed attempt${n.retry_count === 1 ? '' : 's'}`}>
                    {countText(n.retry_count)}
                  </td>
                  <td data-label="Created">
                    <TimeText at={n.created_at} />
                  </td>
                  <td data-label="Next or sent">
                    <span>
                      <NextOrSent n={n} />
                    </span>
                  </td>
                  <td
                    data-label={n.status === 'stale' ? 'Why' : 'Error'}
                    // A stale one was never meant to go: its reason is information, not a failure.
                    class={`wrap error-cell${n.error && n.status !== 'stale' ? ' bad' : n.error ? ' muted' : ''}`}
                    title={n.error ?? undefined}
                  >
                    {n.error}
                  </td>
                  {admin && (
                    <td class="row-action">
                      {retryable(n) && (
                        <button
                          type="button"
                          class="quiet"
                          disabled={action.busy}
                          onClick={() => retry(n)}
                          aria-label={`Retry ${n.title} (${shortId(n.notification_id)})`}
                        >
                          Retry
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && items.length === 0 && <Loading label="Loading notifications" />}
      {next && (
        <button type="button" class="quiet more" disabled={loading} onClick={() => load(next)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

function NoNotifications() {
  return (
    <EmptyState title="No notifications yet">
      <p>
        A notification is created when a team rule fires and names a channel: give the rule <code>"channels": ["ops"]</code>, or the team a{' '}
        <code>default_channels</code> entry for the event's kind:
      </p>
      <pre>
        <code>{'{ "default_channels": { "permission": "ops", "stop": "ops" } }'}</code>
      </pre>
      <p>
        Kinds, rules and templates: <code>docs/notifications.md</code>.
      </p>
    </EmptyState>
  );
}
