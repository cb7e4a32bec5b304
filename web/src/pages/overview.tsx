// The overview: how busy the agents are, what is failing, what they cost, how fast hooks
// and rules run, and whether hookd keeps up. Each figure is fetched on its own, so a slow
// one shows its own progress while the others are already there.
import { useMemo } from 'preact/hooks';
import { query } from '../api.ts';
import type { CostReport, NotificationPage } from '../api-types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { FigureCard } from '../components/figure-card.tsx';
import { LineChart } from '../components/line-chart.tsx';
import { Failure, Loading } from '../components/loading.tsx';
import { COST_TODAY_PATH } from '../cost-query.ts';
import { moneyText } from '../money.ts';
import { UI, useQueryState } from '../router.ts';
import { isServerWide, useAuthSession } from '../session.ts';
import { pageCount } from '../notification-query.ts';
import { countText, durationText, percentText, tokenText, untilText } from '../time.ts';
import { useApi } from '../use-api.ts';

interface EventCounts {
  from: string;
  to: string;
  step_seconds: number;
  total: number;
  buckets: { at: string; events: number }[];
}
interface SessionCounts {
  active: number;
  idle: number;
  ended: number;
  since: string;
}
interface ToolRates {
  items: { tool_name: string; successful_uses: number; failed_uses: number }[];
}
interface ExecutionStatistics {
  total_executions: number;
  p95_execution_time_ms: number | null;
}
interface ServerMetrics {
  ingest_latency_ms: { p95: number; samples: number };
  derivation: { backlog_events: number; lag_seconds: number } | null;
}

const WINDOWS = { '1h': 60, '6h': 360, '24h': 1440 } as const;
type WindowKey = keyof typeof WINDOWS;
const REFRESH_MS = 10_000;
// The outbox: its list at most 100 deep ("100+"), as no count is kept; now and then is enough.
const OUTBOX_MS = 30_000;
// Cost changes with each model request, but a minute late is soon enough, as on the cost page.
const COST_MS = 60_000;
const outbox = (status: string) => `/notifications${query({ status, limit: 100 })}`;

export function Overview() {
  const session = useAuthSession();
  const [params, setParams] = useQueryState(['window'] as const);
  const windowKey: WindowKey = params.window in WINDOWS ? (params.window as WindowKey) : '1h';
  const minutes = WINDOWS[windowKey];
  const since = `${minutes}m`;

  // Figures across sessions are refused to a token bound to one session: it gets its session's page instead.
  const across = session.session_id === null;
  const events = useApi<EventCounts>(across ? `/stats/events${query({ minutes })}` : null, REFRESH_MS);
  const sessions = useApi<SessionCounts>(across ? `/stats/sessions${query({ since })}` : null, REFRESH_MS);
  const tools = useApi<ToolRates>(across ? `/analytics/tools${query({ since })}` : null, REFRESH_MS);
  const executions = useApi<ExecutionStatistics>(
    across ? `/executions/statistics${query({ hours: Math.max(1, minutes / 60) })}` : null,
    REFRESH_MS,
  );
  // Server-wide: a token bound to a team or session is not shown it.
  const metrics = useApi<ServerMetrics>(isServerWide(session) ? '/metrics' : null, REFRESH_MS);
  const dead = useApi<NotificationPage>(across ? outbox('dead') : null, OUTBOX_MS);
  const failed = useApi<NotificationPage>(across ? outbox('failed') : null, OUTBOX_MS);
  const pending = useApi<NotificationPage>(across ? outbox('pending') : null, OUTBOX_MS);
  const held = useApi<NotificationPage>(across ? outbox('held') : null, OUTBOX_MS);
  // The last 24 hours whatever the window: the cost page's shortest period, so its link shows the same figure.
  const cost = useApi<CostReport>(across ? COST_TODAY_PATH : null, COST_MS);
  const waiting = {
    data: failed.data && pending.data ? { failed: pageCount(failed.data)!, pending: pageCount(pending.data)! } : null,
    error: failed.error ?? pending.error,
    loading: failed.loading || pending.loading,
  };

  const series = useMemo(() => {
    const buckets = events.data?.buckets ?? [];
    return { xs: buckets.map((b) => Date.parse(b.at) / 1000), ys: buckets.map((b) => b.events) };
  }, [events.data]);

  const failures = useMemo(() => {
    if (!tools.data) return null;
    let failed = 0;
    let total = 0;
    for (const t of tools.data.items) {
      failed += t.failed_uses;
      total += t.failed_uses + t.successful_uses;
    }
    return { failed, total, share: total ? failed / total : null };
  }, [tools.data]);

  const noData =
    events.data && events.data.total === 0 && sessions.data && sessions.data.active + sessions.data.idle + sessions.data.ended === 0;

  if (!across) {
    return (
      <section aria-labelledby="overview-title">
        <h1 id="overview-title">Overview</h1>
        <p>
          This token is bound to one session, so figures across sessions are not shown to it.{' '}
          <a href={`${UI}/sessions/${encodeURIComponent(session.session_id!)}`}>Open its session</a>.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="overview-title">
      <div class="page-head">
        <h1 id="overview-title">Overview</h1>
        <fieldset class="segmented">
          <legend class="visually-hidden">Time window</legend>
          {(Object.keys(WINDOWS) as WindowKey[]).map((key) => (
            <label key={key}>
              <input
                type="radio"
                name="window"
                value={key}
                checked={key === windowKey}
                onChange={() => setParams({ window: key === '1h' ? '' : key })}
              />
              <span>{key}</span>
            </label>
          ))}
        </fieldset>
      </div>

      {noData && <EmptyState title="No events yet" />}

      <article class="panel" aria-labelledby="rate-title" aria-busy={events.loading}>
        <h2 id="rate-title">
          Events per minute <a href={`${UI}/live`}>live</a>
        </h2>
        {events.error ? (
          <Failure error={events.error} retry={events.reload} />
        ) : events.data ? (
          <>
            <p class="panel-figure">
              {countText(events.data.total)} events in the last {windowKey}
              {events.data.buckets.length > 0 && `, ${countText(events.data.buckets.at(-1)!.events)} in the last minute`}
            </p>
            <LineChart
              label={`Events per minute over the last ${windowKey}: ${countText(events.data.total)} in all`}
              xs={series.xs}
              ys={series.ys}
            />
          </>
        ) : (
          <Loading label="Counting events" />
        )}
      </article>

      <ul class="figures" aria-label="Figures">
        <Figure
          state={sessions}
          label="Active sessions"
          href={`${UI}/sessions?status=active`}
          value={(d) => countText(d.active)}
          hint={(d) => `${countText(d.idle)} idle, ${countText(d.ended)} ended in the last ${windowKey}`}
        />
        <Figure
          state={tools}
          label="Tool failure rate"
          href={`${UI}/sessions?failures=yes&range=${windowKey === '1h' ? '1h' : '24h'}`}
          value={() => percentText(failures?.share)}
          hint={() =>
            failures?.total
              ? `${countText(failures.failed)} of ${countText(failures.total)} tool calls failed`
              : 'no tool calls in this window'
          }
          tone={() =>
            failures?.share === null || failures?.share === undefined
              ? undefined
              : failures.share > 0.2
                ? 'bad'
                : failures.share > 0.05
                  ? 'warn'
                  : 'good'
          }
        />
        <Figure
          state={cost}
          label="Cost today (last 24 h)"
          href={`${UI}/cost?range=24h`}
          value={(d) => moneyText(d.totals.cost_usd)}
          hint={(d) =>
            d.totals.requests
              ? `${countText(d.totals.requests)} model requests: ${tokenText(d.totals.input_tokens)} tokens in, ${tokenText(d.totals.output_tokens)} out${
                  d.totals.unpriced_tokens ? `; ${tokenText(d.totals.unpriced_tokens)} tokens without a price, not in the cost` : ''
                }`
              : 'no model requests reported: the cost page says how to get them'
          }
        />
        <Figure
          state={waiting}
          label="Notifications waiting"
          href={`${UI}/notifications?status=${waiting.data && !waiting.data.failed.n && waiting.data.pending.n ? 'pending' : 'failed'}`}
          value={(d) => {
            const more = d.failed.text.endsWith('+') || d.pending.text.endsWith('+');
            return `${countText(d.failed.n + d.pending.n)}${more ? '+' : ''}`;
          }}
          hint={(d) =>
            d.failed.n + d.pending.n
              ? `${d.failed.text} failed, retried on schedule; ${d.pending.text} not sent yet`
              : 'nothing waits to be sent'
          }
          tone={(d) => (d.failed.n ? 'warn' : undefined)}
        />
        <Figure
          state={held}
          label="Held notifications"
          href={`${UI}/notifications?status=held`}
          value={(d) => pageCount(d)!.text}
          hint={(d) => {
            // Held on purpose, so no tone: only when the first of them goes.
            const first = Math.min(...d.items.map((n) => (n.next_attempt_at ? Date.parse(n.next_attempt_at) : Number.POSITIVE_INFINITY)));
            return d.items.length
              ? `for a digest or quiet hours; the first goes ${Number.isFinite(first) ? untilText(new Date(first)) : 'soon'}`
              : 'none held for a digest or quiet hours';
          }}
        />
        <Figure
          state={dead}
          label="Dead notifications"
          href={`${UI}/notifications?status=dead`}
          value={(d) => pageCount(d)!.text}
          hint={(d) => (d.items.length ? 'given up on: retry or replay them' : 'none given up on')}
          tone={(d) => (d.items.length ? 'bad' : 'good')}
        />
        <Figure
          state={executions}
          label="Hook and rule executions p95"
          value={(d) => durationText(d.p95_execution_time_ms)}
          hint={(d) => `${countText(d.total_executions)} executions with an outcome`}
        />
        {isServerWide(session) ? (
          <>
            <Figure
              state={metrics}
              label="Ingest request p95"
              value={(d) => (d.ingest_latency_ms.samples ? durationText(d.ingest_latency_ms.p95) : '—')}
              hint={(d) =>
                d.ingest_latency_ms.samples
                  ? `what a hook waits for, over the last ${countText(d.ingest_latency_ms.samples)} requests`
                  : 'no hook or event requests since the server started'
              }
            />
            <Figure
              state={metrics}
              label="Derivation lag"
              value={(d) => (d.derivation ? durationText(d.derivation.lag_seconds * 1000) : '—')}
              hint={(d) =>
                d.derivation ? `${countText(d.derivation.backlog_events)} events not yet derived` : 'this storage derives nothing'
              }
              tone={(d) =>
                !d.derivation ? undefined : d.derivation.lag_seconds > 30 ? 'bad' : d.derivation.lag_seconds > 5 ? 'warn' : 'good'
              }
            />
          </>
        ) : (
          <FigureCard
            label="Server figures"
            value="—"
            hint="hook request times and derivation lag are server-wide: a token bound to a team or session does not see them"
          />
        )}
      </ul>
    </section>
  );
}

interface FigureProps<T> {
  state: { data: T | null; error: Error | null; loading: boolean };
  label: string;
  value: (data: T) => string;
  hint: (data: T) => string;
  tone?: (data: T) => 'good' | 'warn' | 'bad' | undefined;
  href?: string;
}

function Figure<T>({ state, label, value, hint, tone, href }: FigureProps<T>) {
  if (state.error) return <FigureCard label={label} value="—" hint={state.error.message} tone="warn" />;
  if (!state.data) return <FigureCard label={label} value="…" hint="loading" />;
  const t = tone?.(state.data);
  return (
    <FigureCard label={label} value={value(state.data)} hint={hint(state.data)} {...(t ? { tone: t } : {})} {...(href ? { href } : {})} />
  );
}
