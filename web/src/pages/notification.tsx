// One notification: what it said and every attempt, with the receiver's answer.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Notification, NotificationAttempt, NotificationDetail } from '../api-types.ts';
import { Failure, Loading } from '../components/loading.tsx';
import { TimeText } from '../components/time-text.tsx';
import { moving, retryable } from '../notification-query.ts';
import { canAdmin, useAuthSession } from '../session.ts';
import { countText, durationText } from '../time.ts';
import { useApi } from '../use-api.ts';

import { Fact, KindText, OutcomeText, PAGE_PATH, sessionHref, StatusChip, useAction } from '../components/notification-parts.tsx';

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
