// The pieces the notification views share: status and kind, the next attempt or when a held
// one goes, an action's inline outcome, a labelled fact.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Notification } from '../api-types.ts';
import { TimeText } from './time-text.tsx';
import { STATUS_MEANINGS, statusTone } from '../notification-query.ts';
import { UI } from '../router.ts';
import { untilText } from '../time.ts';

export const PAGE_PATH = `${UI}/notifications`;
export const notificationHref = (id: string) => `${PAGE_PATH}/${encodeURIComponent(id)}`;
export const shortId = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);
export const sessionHref = (id: string) => `${UI}/sessions/${encodeURIComponent(id)}`;

/** An action's answer, shown where it was asked for. */
export type Outcome = { ok: boolean; text: string } | null;

/** Runs one write at a time, keeping what it answered (or why it failed) to show inline. */
export function useAction() {
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

export function OutcomeText({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p class={`outcome ${outcome.ok ? 'ok' : 'bad'}`} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.text}
    </p>
  );
}

/** Its status, what the status means on hover (why it is held, for a held one). */
export function StatusChip({ status, heldReason }: { status: string; heldReason?: string | null }) {
  const meaning =
    status === 'held' && heldReason === 'quiet_hours'
      ? 'held: waiting for the quiet hours of its team to end'
      : status === 'held' && heldReason === 'digest'
        ? 'held: waiting for its digest window to close'
        : STATUS_MEANINGS[status];
  return (
    <span class={`chip tone-${statusTone(status)}`} title={meaning}>
      {status}
    </span>
  );
}

export function KindText({ kind, priority }: { kind: string; priority: string }) {
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

/** When a held notification goes: the time, and how long until then. */
export function GoesAt({ at }: { at: string }) {
  return (
    <>
      goes at <TimeText at={at} /> ({untilText(new Date(at))})
    </>
  );
}

/** A link to the digest a notification went in, named so that each reads apart from the others. */
export function DigestLink({ id }: { id: string }) {
  return (
    <a href={notificationHref(id)} aria-label={`digest ${shortId(id)}`}>
      digest
    </a>
  );
}

/** When it was sent (and in which digest), when it goes or is tried next, or why it never will be. */
export function NextOrSent({ n }: { n: Notification }) {
  if (n.sent_at)
    return (
      <>
        sent <TimeText at={n.sent_at} />
        {n.digest_id && (
          <>
            {' '}
            in a <DigestLink id={n.digest_id} />
          </>
        )}
      </>
    );
  if (n.status === 'held' && n.next_attempt_at)
    return (
      <>
        {n.held_reason === 'quiet_hours' ? 'quiet hours' : 'digest'}: <GoesAt at={n.next_attempt_at} />
      </>
    );
  if (n.status === 'digested' && n.digest_id)
    return (
      <>
        in a <DigestLink id={n.digest_id} />, on its way
      </>
    );
  if (n.status === 'new') return <span class="muted">being batched</span>;
  if (n.status === 'stale') return <span class="muted">never sent: too old</span>;
  if (n.next_attempt_at)
    return (
      <>
        {n.status === 'failed' ? 'retry' : 'due'} <TimeText at={n.next_attempt_at} />
      </>
    );
  return <span class="muted">{n.status === 'dead' ? 'given up' : '—'}</span>;
}

export function Fact({ term, value, wide }: { term: string; value: ComponentChildren; wide?: boolean }) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
