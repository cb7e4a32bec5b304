// One notification: what it said and every attempt, with the receiver's answer; why it is
// held and when it goes; the digest it went in, or (for a digest) what it carries.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Notification, NotificationAttempt, NotificationDetail } from '../api-types.ts';
import type { BatchPreferences } from '../held-groups.ts';
import { Failure, Loading } from '../components/loading.tsx';
import { TimeText } from '../components/time-text.tsx';
import { DigestMembers } from '../components/digest-members.tsx';
import { DigestOf } from '../components/digest-of.tsx';
import { heldBefore, heldWhy } from '../held-groups.ts';
import { moving, retryable } from '../notification-query.ts';
import { canAdmin, useAuthSession } from '../session.ts';
import { countText, durationText } from '../time.ts';
import { useApi } from '../use-api.ts';
import { useTeamPreferences } from '../use-team-preferences.ts';

import { Fact, GoesAt, KindText, OutcomeText, PAGE_PATH, sessionHref, StatusChip, useAction } from '../components/notification-parts.tsx';

const OUTCOME_TONES: Record<string, string> = { sent: 'ok', retry: 'notice', permanent: 'fail' };

export function NotificationView({ id }: { id: string }) {
  const session = useAuthSession();
  const [fast, setFast] = useState(false);
  const detail = useApi<NotificationDetail>(`/notifications/${encodeURIComponent(id)}`, fast ? 2_000 : 15_000);
  const status = detail.data?.status;
  useEffect(() => setFast(status !== undefined && moving(status)), [status]);
  const action = useAction();
  // How long its digest window is, or when its quiet hours are: from its team's preferences.
  const heldTeam = detail.data?.status === 'held' && session.session_id === null ? detail.data.team_id : null;
  const prefs = useTeamPreferences(heldTeam ? [heldTeam] : []);

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
            <StatusChip status={n.status} heldReason={n.held_reason} />
            {canAdmin(session) && retryable(n) && (
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
            <When n={n} prefs={heldTeam ? (prefs.get(heldTeam) ?? null) : null} />
            {/* Held ones are not given up on while they wait: their window starts again when they are let go. */}
            {!n.sent_at && ['new', 'pending', 'sending', 'failed'].includes(n.status) && (
              <Fact term="Given up after" value={<TimeText at={n.expires_at} />} />
            )}
            {n.held_reason && n.status !== 'held' && <Fact term="Was held" value={heldBefore(n.held_reason)} />}
            {n.opens_window && (
              <Fact term="Digest window" value={`it went at once and opened one for the ${n.kind} notifications of ${n.channel}`} />
            )}
            {/* A digest's member is never tried itself; a stale one never at all. */}
            {n.status !== 'stale' && !n.digest_id && <Fact term="Failed attempts" value={countText(n.retry_count)} />}
            {n.error && n.status !== 'stale' && <Fact term="Last error" value={<span class="bad">{n.error}</span>} wide />}
            <Fact term="Id (its webhook-id)" value={<code>{n.notification_id}</code>} wide />
          </dl>

          {n.digest_size > 0 && <DigestMembers digestId={n.notification_id} size={n.digest_size} />}

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
            <p class="muted">
              {n.digest_size > 0 ? 'Made from its members when they were let go' : 'As stored when the rule fired'}: every attempt sends
              these words, in the channel's format.
            </p>
          </article>

          <article class="panel" aria-labelledby="attempts-title">
            <h2 id="attempts-title">Attempts ({countText(n.attempts.length)})</h2>
            {n.attempts.length === 0 ? (
              <p class="muted">{noAttempts(n)}</p>
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

/** Its facts about time: sent, when it goes or is tried next, or why it never will be. */
function When({ n, prefs }: { n: NotificationDetail; prefs: BatchPreferences | null }) {
  if (n.sent_at)
    return (
      <>
        <Fact term="Sent" value={<TimeText at={n.sent_at} />} />
        {n.digest_id && <Fact term="Sent in digest" value={<DigestOf id={n.digest_id} />} />}
      </>
    );
  if (n.status === 'held') {
    const { label, why, after } = heldWhy(n.held_reason === 'quiet_hours' ? 'quiet_hours' : 'digest', prefs);
    return (
      <Fact
        term="Held"
        value={
          <>
            <span class="chip tone-prompt">{label}</span> {why}
            {n.next_attempt_at && (
              <>
                : <GoesAt at={n.next_attempt_at} />
                {after}
              </>
            )}
            .
          </>
        }
        wide
      />
    );
  }
  if (n.status === 'digested' && n.digest_id) return <Fact term="In digest, on its way" value={<DigestOf id={n.digest_id} />} wide />;
  if (n.status === 'stale') return <Fact term="Never sent" value={<span class="muted">{n.error ?? 'it was too old to send'}</span>} wide />;
  if (n.status === 'new')
    return <Fact term="Next attempt" value={<span class="muted">once batching has looked at it, within a second</span>} />;
  return (
    <Fact
      term="Next attempt"
      value={
        n.next_attempt_at ? (
          <TimeText at={n.next_attempt_at} />
        ) : (
          <span class="muted">{n.status === 'dead' && n.digest_id ? 'none: its digest was given up on' : 'none: given up'}</span>
        )
      }
    />
  );
}

/** Why the attempts list is empty. */
function noAttempts(n: NotificationDetail): string {
  if (n.digest_id) return 'Not sent on its own: it went in its digest, whose page lists the attempts.';
  if (n.status === 'pending') return 'Not tried yet: it goes out when its channel is free (a paused channel holds it back).';
  if (n.status === 'held') return 'Not tried yet: it is held until the time above.';
  if (n.status === 'new') return 'Not tried yet: batching decides within a second whether it goes now or is held.';
  if (n.status === 'stale') return 'Never tried: its prompt was already too old when its rule fired.';
  return 'Not tried yet.';
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
