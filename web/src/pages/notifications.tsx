// Notifications: the outbox (what team rules sent where, and how each delivery went) and
// the channels it goes to. The queue's filters and the view are kept in the URL; a
// notification's detail has its own URL. Retry, replay, test, pause and resume are offered
// to admin tokens only, each confirming inline what the server answered.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type {
  Channel,
  ChannelPage,
  ChannelTest,
  Notification,
  NotificationAttempt,
  NotificationDetail,
  NotificationPage,
  NotificationReplay,
} from '../api-types.ts';
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
  statusTone,
} from '../notification-query.ts';
import { navigate, UI, useQueryState } from '../router.ts';
import { canAdmin, useAuthSession } from '../session.ts';
import { countText, durationText } from '../time.ts';
import { useApi } from '../use-api.ts';

const PAGE_PATH = `${UI}/notifications`;
export const notificationHref = (id: string) => `${PAGE_PATH}/${encodeURIComponent(id)}`;
const shortId = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);
const sessionHref = (id: string) => `${UI}/sessions/${encodeURIComponent(id)}`;

/** An action's answer, shown where it was asked for. */
type Outcome = { ok: boolean; text: string } | null;

/** Runs one write at a time, keeping what it answered (or why it failed) to show inline. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  /** `done` says what happened, or null when the caller shows the answer itself. */
  const run = async <T,>(request: () => Promise<T>, done: (value: T) => string | null) => {
    setBusy(true);
    setOutcome(null);
    try {
      const text = done(await request());
      setOutcome(text === null ? null : { ok: true, text });
    } catch (e) {
      setOutcome({ ok: false, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run, clear: () => setOutcome(null) };
}

function OutcomeText({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p class={`outcome ${outcome.ok ? 'ok' : 'bad'}`} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.text}
    </p>
  );
}

export function StatusChip({ status }: { status: string }) {
  return <span class={`chip tone-${statusTone(status)}`}>{status}</span>;
}

function KindText({ kind, priority }: { kind: string; priority: string }) {
  return (
    <>
      {kind}
      {priority === 'critical' && (
        <>
          {' '}
          <span class="chip tone-fail" title="The rule marks it critical">
            critical
          </span>
        </>
      )}
    </>
  );
}

/** When it was sent, or when it is tried next. */
function NextOrSent({ n }: { n: Notification }) {
  if (n.sent_at)
    return (
      <>
        sent <TimeText at={n.sent_at} />
      </>
    );
  if (n.next_attempt_at)
    return (
      <>
        {n.status === 'failed' ? 'retry' : 'due'} <TimeText at={n.next_attempt_at} />
      </>
    );
  return <span class="muted">{n.status === 'dead' ? 'given up' : '—'}</span>;
}

// ---------------------------------------------------------------------------------------
// The page: the queue, or the channels

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

// ---------------------------------------------------------------------------------------
// The queue

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
                    <StatusChip status={n.status} />
                  </td>
                  <td data-label="Kind">
                    <span>
                      <KindText kind={n.kind} priority={n.priority} />
                    </span>
                  </td>
                  <td data-label="Channel">{n.channel}</td>
                  <td data-label="Title" class="wrap">
                    <a href={notificationHref(n.notification_id)}>{n.title}</a>
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
                  <td data-label="Error" class={`wrap error-cell${n.error ? ' bad' : ''}`} title={n.error ?? undefined}>
                    {n.error}
                  </td>
                  {admin && (
                    <td class="row-action">
                      {retryable(n.status) && (
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

function NoChannels() {
  return (
    <EmptyState title="No channels yet">
      <p>A notification needs somewhere to go. Add a channel (Slack, Discord or any HTTP endpoint) with:</p>
      <pre>
        <code>hookd channels add ops --kind slack --url https://hooks.slack.com/...</code>
      </pre>
      <p>
        Then name it in a team rule. How channels, messages and retries work: <code>docs/notifications.md</code>.
      </p>
    </EmptyState>
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

// ---------------------------------------------------------------------------------------
// Channels

function Channels({ state }: { state: { data: ChannelPage | null; error: Error | null; loading: boolean; reload(): void } }) {
  // A pause or resume answers with the channel as it is now: shown at once, before the list is asked again.
  const [changed, setChanged] = useState<Record<string, Channel>>({});
  useEffect(() => setChanged({}), [state.data]);
  if (state.error) return <Failure error={state.error} retry={state.reload} />;
  if (!state.data) return <Loading label="Loading channels" />;
  if (state.data.items.length === 0) return <NoChannels />;
  return (
    <ul class="channels" aria-label="Channels">
      {state.data.items.map((c) => (
        <ChannelCard
          key={c.channel_id}
          channel={changed[c.channel_id] ?? c}
          onChange={(now) => {
            setChanged((old) => ({ ...old, [now.channel_id]: now }));
            state.reload();
          }}
        />
      ))}
    </ul>
  );
}

function ChannelCard({ channel: c, onChange }: { channel: Channel; onChange: (c: Channel) => void }) {
  const session = useAuthSession();
  // A team's token changes its team's channels; the installation's are an unbound token's.
  const writable = canAdmin(session) && (session.team_id === null || c.team_id !== null);
  const test = useAction();
  const [result, setResult] = useState<ChannelTest | null>(null);
  const change = useAction();
  const [pausing, setPausing] = useState(false);
  const [reason, setReason] = useState('');
  const path = `/channels/${encodeURIComponent(c.channel_id)}`;
  const titleId = `channel-${c.channel_id}`;

  const sendTest = () => {
    setResult(null);
    change.clear();
    void test.run(
      () => api<ChannelTest>(`${path}/test`, { method: 'POST', body: {} }),
      (answer) => {
        setResult(answer);
        return null;
      },
    );
  };
  const setPaused = (pause: boolean) =>
    change.run(
      () =>
        api<Channel>(`${path}/${pause ? 'pause' : 'resume'}`, {
          method: 'POST',
          body: pause && reason.trim() ? { reason: reason.trim() } : {},
        }),
      (now) => {
        setPausing(false);
        setReason('');
        onChange(now);
        return pause ? 'Paused: its notifications wait until it is resumed.' : 'Resumed: its notifications are delivered again.';
      },
    );

  return (
    <li class={`channel-card${c.paused ? ' paused' : ''}`} aria-labelledby={titleId}>
      <div class="channel-head">
        <h2 id={titleId}>{c.channel_id}</h2>
        <span class="chip">{c.kind}</span>
        <span class={`chip tone-${c.paused ? 'notice' : 'ok'}`}>{c.paused ? 'paused' : 'active'}</span>
      </div>
      {c.name && <p class="muted channel-name">{c.name}</p>}
      {c.paused && (
        <p class="paused-note">
          <strong>Paused</strong> {c.paused_at && <TimeText at={c.paused_at} />}: {c.paused_reason ?? 'no reason given'}
        </p>
      )}
      <dl class="facts channel-facts">
        <Fact term="Team" value={c.team_id ?? 'installation'} />
        <Fact term="Failure streak" value={<span class={c.failure_streak ? 'warn' : ''}>{countText(c.failure_streak)}</span>} />
        <Fact term="URL" value={<code>{c.url}</code>} wide />
        {c.kind === 'webhook' && <Fact term="Signed" value={c.has_secret ? 'yes, whsec_***' : 'no secret'} />}
        <Fact term="Added" value={<TimeText at={c.created_at} />} />
      </dl>
      <div class="actions">
        {writable && (
          <>
            <button type="button" onClick={sendTest} disabled={test.busy} aria-describedby={titleId}>
              {test.busy ? 'Sending…' : 'Send test'}
            </button>
            {c.paused ? (
              <button type="button" class="quiet" onClick={() => setPaused(false)} disabled={change.busy} aria-describedby={titleId}>
                Resume
              </button>
            ) : (
              !pausing && (
                <button type="button" class="quiet" onClick={() => (change.clear(), setPausing(true))} aria-describedby={titleId}>
                  Pause
                </button>
              )
            )}
          </>
        )}
        <a href={`${PAGE_PATH}?channel=${encodeURIComponent(c.channel_id)}`} aria-describedby={titleId}>
          Its notifications
        </a>
      </div>
      {pausing && (
        <form
          class="pause-form"
          onSubmit={(e) => {
            e.preventDefault();
            void setPaused(true);
          }}
        >
          <label class="filter">
            <span>Reason (shown with the channel)</span>
            <input type="text" value={reason} maxLength={500} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={change.busy}>
            Pause {c.channel_id}
          </button>
          <button type="button" class="quiet" onClick={() => setPausing(false)}>
            Cancel
          </button>
        </form>
      )}
      <OutcomeText outcome={change.outcome} />
      <OutcomeText outcome={test.outcome} />
      {result && <TestResult result={result} />}
    </li>
  );
}

function TestResult({ result }: { result: ChannelTest }) {
  const figures = [result.status_code === null ? 'no answer' : `status ${result.status_code}`, durationText(result.latency_ms)].join(', ');
  return (
    <div class="test-result" role="status">
      <p class={`outcome ${result.delivered ? 'ok' : 'bad'}`}>
        {result.delivered ? 'Delivered' : 'Not delivered'} ({figures}){result.delivered ? '.' : `: ${result.reason}`}
      </p>
      <p class="muted answer-label">The receiver answered:</p>
      <pre class="wrap">{result.response_excerpt || '(nothing)'}</pre>
    </div>
  );
}

function Fact({ term, value, wide }: { term: string; value: ComponentChildren; wide?: boolean }) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// One notification

const OUTCOME_TONES: Record<string, string> = { sent: 'ok', retry: 'notice', permanent: 'fail' };

export function NotificationView({ id }: { id: string }) {
  const session = useAuthSession();
  const [fast, setFast] = useState(false);
  const detail = useApi<NotificationDetail>(`/notifications/${encodeURIComponent(id)}`, fast ? 2_000 : 15_000);
  const status = detail.data?.status;
  useEffect(() => setFast(status !== undefined && moving(status)), [status]);
  const action = useAction();

  const crumbs = (
    <p class="crumbs">
      <a href={PAGE_PATH}>Notifications</a> / <span title={id}>{id}</span>
    </p>
  );
  if (detail.error && !detail.data) {
    return (
      <section aria-labelledby="notification-title">
        {crumbs}
        <h1 id="notification-title">Notification</h1>
        <Failure error={detail.error} retry={detail.reload} />
      </section>
    );
  }
  const n = detail.data;
  const retry = () =>
    action.run(
      () => api<Notification>(`/notifications/${encodeURIComponent(id)}/retry`, { method: 'POST', body: {} }),
      (again) => {
        setFast(true);
        detail.reload();
        return `Sending it again: it is ${again.status}, with a fresh retry window.`;
      },
    );

  return (
    <section aria-labelledby="notification-title" aria-busy={detail.loading}>
      {crumbs}
      <div class="page-head">
        <h1 id="notification-title">{n?.title ?? 'Notification'}</h1>
        {n && (
          <div class="head-actions">
            <StatusChip status={n.status} />
            {canAdmin(session) && retryable(n.status) && (
              <button type="button" onClick={retry} disabled={action.busy}>
                {action.busy ? 'Retrying…' : 'Retry'}
              </button>
            )}
          </div>
        )}
      </div>
      <OutcomeText outcome={action.outcome} />
      {!n ? (
        <Loading label="Loading the notification" />
      ) : (
        <>
          <dl class="facts">
            <Fact term="Kind" value={<KindText kind={n.kind} priority={n.priority} />} />
            <Fact term="Channel" value={<a href={`${PAGE_PATH}?channel=${encodeURIComponent(n.channel)}`}>{n.channel}</a>} />
            <Fact term="Session" value={n.session_id ? <a href={sessionHref(n.session_id)}>{n.session_id}</a> : '—'} />
            <Fact term="Team" value={n.team_id ?? '—'} />
            <Fact term="Event" value={n.event_type ?? '—'} />
            <Fact term="Created" value={<TimeText at={n.created_at} />} />
            {n.sent_at ? (
              <Fact term="Sent" value={<TimeText at={n.sent_at} />} />
            ) : (
              <Fact
                term="Next attempt"
                value={n.next_attempt_at ? <TimeText at={n.next_attempt_at} /> : <span class="muted">none: given up</span>}
              />
            )}
            {!n.sent_at && n.status !== 'dead' && <Fact term="Given up after" value={<TimeText at={n.expires_at} />} />}
            <Fact term="Failed attempts" value={countText(n.retry_count)} />
            {n.error && <Fact term="Last error" value={<span class="bad">{n.error}</span>} wide />}
            <Fact term="Id (its webhook-id)" value={<code>{n.notification_id}</code>} wide />
          </dl>

          <article class="panel" aria-labelledby="message-title">
            <h2 id="message-title">Message</h2>
            <p class="message-title">
              <strong>{n.message.title}</strong>
            </p>
            <p class="message-text">{n.message.text}</p>
            {n.message.fields.length > 0 && (
              <dl class="facts message-fields">
                {n.message.fields.map((f, i) => (
                  <Fact key={`${i}:${f.name}`} term={f.name} value={f.value} />
                ))}
              </dl>
            )}
            {n.message.url && (
              <p class="muted">
                Links to <code>{n.message.url}</code>
              </p>
            )}
            <p class="muted">As stored when the rule fired: every attempt sends these words, in the channel's format.</p>
          </article>

          <article class="panel" aria-labelledby="attempts-title">
            <h2 id="attempts-title">Attempts ({countText(n.attempts.length)})</h2>
            {n.attempts.length === 0 ? (
              <p class="muted">
                Not tried yet
                {n.status === 'pending' ? ': it goes out when its channel is free (a paused channel holds it back).' : '.'}
              </p>
            ) : (
              <ol class="attempts">
                {n.attempts.map((a) => (
                  <AttemptEntry key={a.attempt} a={a} />
                ))}
              </ol>
            )}
          </article>
        </>
      )}
    </section>
  );
}

function AttemptEntry({ a }: { a: NotificationAttempt }) {
  return (
    <li class="attempt">
      <div class="attempt-head">
        <strong>#{a.attempt}</strong> <TimeText at={a.started_at} />{' '}
        <span class={`chip tone-${OUTCOME_TONES[a.outcome] ?? 'tool'}`}>{a.outcome}</span>{' '}
        <span>{a.status_code === null ? 'no answer' : `status ${a.status_code}`}</span> ·{' '}
        <span class="muted">{durationText(a.latency_ms)}</span>
      </div>
      {a.error && <p class="call-error">{a.error}</p>}
      {a.response_excerpt !== null && (
        <>
          <p class="muted answer-label">The receiver answered:</p>
          <pre class="wrap">{a.response_excerpt || '(nothing)'}</pre>
        </>
      )}
    </li>
  );
}

// ---------------------------------------------------------------------------------------
// A session's notifications, for its page

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
