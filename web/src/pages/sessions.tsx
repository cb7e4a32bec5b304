// Sessions: filtered by agent, project, branch, model, status, time range and failures,
// every filter in the URL; pages of 50 by keyset cursor ("Show more"). Each row's cost is
// blank where the session reported no tokens.
import { useEffect, useState } from 'preact/hooks';
import { agentLabel, KNOWN_AGENTS } from '../agent-label.ts';
import { api } from '../api.ts';
import { SESSION_FILTERS as FILTERS, sessionListPath } from '../session-list-query.ts';
import type { Session, SessionPage } from '../api-types.ts';
import { AgentBadge } from '../components/agent-badge.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { FilterInput } from '../components/filter-input.tsx';
import { Failure, Loading } from '../components/loading.tsx';
import { TimeText } from '../components/time-text.tsx';
import { tokensOf } from '../cost-query.ts';
import { UI, useQueryState } from '../router.ts';
import { moneyText } from '../money.ts';
import { agoText, countText, durationText, tokenText } from '../time.ts';

export function Sessions() {
  const [filters, setFilters] = useQueryState(FILTERS);
  const [items, setItems] = useState<Session[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const key = FILTERS.map((f) => filters[f]).join('|');

  const load = (cursor: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    api<SessionPage>(sessionListPath(filters, cursor), signal ? { signal } : {})
      .then((page) => {
        setItems((old) => (cursor ? [...old, ...page.items] : page.items));
        setNext(page.next_cursor);
      })
      .catch((e: unknown) => {
        if (!signal?.aborted) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!signal?.aborted) setLoading(false);
      });
  };
  useEffect(() => {
    const controller = new AbortController();
    setItems([]);
    load(null, controller.signal);
    return () => controller.abort();
    // `key` stands for the filters.
  }, [key]);

  const text = (name: 'project' | 'branch' | 'model', label: string) => (
    <FilterInput name={name} label={label} value={filters[name]} set={(value) => setFilters({ [name]: value })} />
  );
  const choice = (name: 'agent' | 'status' | 'range' | 'failures', label: string, options: [string, string][]) => (
    <label class="filter">
      <span>{label}</span>
      <select name={name} value={filters[name]} onChange={(e) => setFilters({ [name]: (e.target as HTMLSelectElement).value })}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  const filtered = Object.values(filters).some(Boolean);

  return (
    <section aria-labelledby="sessions-title">
      <div class="page-head">
        <h1 id="sessions-title">Sessions</h1>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        {choice('agent', 'Agent', [
          ['', 'any'],
          // A source from a shared link that the dashboard has no name for is still offered.
          ...[...KNOWN_AGENTS, ...(filters.agent && !KNOWN_AGENTS.includes(filters.agent) ? [filters.agent] : [])].map(
            (source): [string, string] => [source, agentLabel(source)],
          ),
        ])}
        {text('project', 'Project')}
        {text('branch', 'Branch')}
        {text('model', 'Model')}
        {choice('status', 'Status', [
          ['', 'any'],
          ['open', 'open (active or idle)'],
          ['active', 'active'],
          ['idle', 'idle'],
          ['ended', 'ended'],
        ])}
        {choice('range', 'Started', [
          ['', 'any time'],
          ['1h', 'last hour'],
          ['24h', 'last 24 hours'],
          ['7d', 'last 7 days'],
          ['30d', 'last 30 days'],
        ])}
        {choice('failures', 'Failures', [
          ['', 'any'],
          ['yes', 'with failed tool calls'],
        ])}
      </form>
      {error && <Failure error={error} retry={() => load(null)} />}
      {!error &&
        items.length === 0 &&
        !loading &&
        (filtered ? <p class="muted">No session matches these filters.</p> : <EmptyState title="No sessions yet" />)}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="sessions">
            <caption class="visually-hidden">Sessions, most recently active first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Session</th>
                <th scope="col">Agent</th>
                <th scope="col">Project</th>
                <th scope="col">Branch</th>
                <th scope="col">Model</th>
                <th scope="col">Started</th>
                <th scope="col">Last activity</th>
                <th scope="col" class="num">
                  Prompts
                </th>
                <th scope="col" class="num">
                  Tool calls
                </th>
                <th scope="col" class="num">
                  Failures
                </th>
                <th scope="col" class="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.session_id}>
                  <td>
                    <span class={`status ${s.status}`}>{s.status}</span>
                  </td>
                  <td>
                    <a href={`${UI}/sessions/${encodeURIComponent(s.session_id)}`} title={s.session_id}>
                      {s.session_id.length > 13 ? `${s.session_id.slice(0, 8)}…` : s.session_id}
                    </a>
                  </td>
                  <td>
                    <AgentBadge source={s.source} />
                  </td>
                  <td>{s.project ?? '—'}</td>
                  <td>{s.git_branch ?? '—'}</td>
                  <td>{s.model ?? '—'}</td>
                  <td>
                    <TimeText at={s.started_at} />
                  </td>
                  <td title={s.ended_at ? `ended after ${durationText(Date.parse(s.ended_at) - Date.parse(s.started_at))}` : undefined}>
                    {agoText(new Date(s.last_activity_at))}
                  </td>
                  <td class="num">{countText(s.prompts)}</td>
                  <td class="num">{countText(s.tool_calls)}</td>
                  <td class={`num${s.failures ? ' bad' : ''}`}>{countText(s.failures)}</td>
                  <CostCell session={s} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && <Loading label="Loading sessions" />}
      {next && !loading && (
        <button type="button" class="quiet more" onClick={() => load(next)}>
          Show more
        </button>
      )}
    </section>
  );
}

/** The session's cost, its tokens on hover; blank without any token usage. */
function CostCell({ session: s }: { session: Session }) {
  const tokens = tokensOf(s);
  if (!s.cost_usd && !tokens) return <td class="num" />;
  const title = [
    `${tokenText(s.input_tokens)} tokens in, ${tokenText(s.output_tokens)} out, ${tokenText(s.cache_read_tokens)} cache read, ${tokenText(s.cache_creation_tokens)} cache write`,
    s.unpriced_tokens ? `${tokenText(s.unpriced_tokens)} tokens of models without a price are not in the cost` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <td class={`num${s.unpriced_tokens ? ' warn' : ''}`} title={title}>
      {moneyText(s.cost_usd)}
      {s.unpriced_tokens > 0 && (
        <>
          <span aria-hidden="true">*</span>
          <span class="visually-hidden">, not counting tokens of models without a price</span>
        </>
      )}
    </td>
  );
}
