// The pieces the notification views share: status and kind, the next attempt, an action's
// inline outcome, a labelled fact.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Notification } from '../api-types.ts';
import { TimeText } from './time-text.tsx';
import { statusTone } from '../notification-query.ts';
import { UI } from '../router.ts';

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

export function StatusChip({ status }: { status: string }) {
  return <span class={`chip tone-${statusTone(status)}`}>{status}</span>;
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

/** When it was sent, or when it is tried next. */
export function NextOrSent({ n }: { n: Notification }) {
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

export function Fact({ term, value, wide }: { term: string; value: ComponentChildren; wide?: boolean }) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
