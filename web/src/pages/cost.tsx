// What the agents' model requests cost over the last 24 hours, 7 or 30 days: the totals,
// the cost per UTC day, and a table by model, project, team or agent; narrowed to an agent
// or a project. Every choice is in the URL, as on the sessions page.
import { useMemo } from 'preact/hooks';
import { agentLabel, KNOWN_AGENTS } from '../agent-label.ts';
import { query } from '../api.ts';
import type { CostReport } from '../api-types.ts';
import { CostTable } from '../components/cost-table.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { FigureCard } from '../components/figure-card.tsx';
import { FilterInput } from '../components/filter-input.tsx';
import { LineChart } from '../components/line-chart.tsx';
import { Failure, Loading } from '../components/loading.tsx';
import { MoneyText } from '../components/money-text.tsx';
import { ScrollBox } from '../components/scroll-box.tsx';
import { TokenText } from '../components/token-text.tsx';
import {
  COST_FILTERS,
  COST_GROUPINGS,
  COST_PERIODS,
  type CostFilters,
  type CostGrouping,
  type CostPeriod,
  costDays,
  costGrouping,
  costPath,
  costPeriod,
  DEFAULT_GROUPING,
  DEFAULT_PERIOD,
  tokensOf,
} from '../cost-query.ts';
import { axisMoneyText, moneyText } from '../money.ts';
import { UI, useQueryState } from '../router.ts';
import { countText, tokenText } from '../time.ts';
import { useApi } from '../use-api.ts';

const REFRESH_MS = 60_000;

const last = (period: CostPeriod) => `last ${COST_PERIODS[period]}`;

export function Cost() {
  const [filters, setFilters] = useQueryState(COST_FILTERS);
  const period = costPeriod(filters);
  const grouping = costGrouping(filters);
  const days = useApi<CostReport>(costPath(filters, 'day'), REFRESH_MS);
  const groups = useApi<CostReport>(costPath(filters, grouping), REFRESH_MS);
  const perDay = useMemo(() => (days.data ? costDays(days.data.items, period) : []), [days.data, period]);
  const series = useMemo(() => ({ xs: perDay.map((d) => d.at), ys: perDay.map((d) => d.cost_usd) }), [perDay]);
  const filtered = Boolean(filters.agent || filters.project);
  const report = days.data;
  const empty = report !== null && report.totals.requests === 0;

  return (
    <section aria-labelledby="cost-title" aria-busy={days.loading || groups.loading}>
      <div class="page-head">
        <h1 id="cost-title">Cost</h1>
        <fieldset class="segmented">
          <legend class="visually-hidden">Period</legend>
          {(Object.keys(COST_PERIODS) as CostPeriod[]).map((key) => (
            <label key={key}>
              <input
                type="radio"
                name="range"
                value={key}
                checked={key === period}
                onChange={() => setFilters({ range: key === DEFAULT_PERIOD ? '' : key })}
              />
              <span title={last(key)}>{key}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label class="filter">
          <span>Agent</span>
          <select name="agent" value={filters.agent} onChange={(e) => setFilters({ agent: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            {/* A source from a shared link that the dashboard has no name for is still offered. */}
            {[...KNOWN_AGENTS, ...(filters.agent && !KNOWN_AGENTS.includes(filters.agent) ? [filters.agent] : [])].map((source) => (
              <option key={source} value={source}>
                {agentLabel(source)}
              </option>
            ))}
          </select>
        </label>
        <FilterInput name="project" label="Project" value={filters.project} set={(project) => setFilters({ project })} />
      </form>

      {days.error ? (
        <Failure error={days.error} retry={days.reload} />
      ) : !report ? (
        <Loading label="Adding up the cost" />
      ) : empty ? (
        filtered ? (
          <p class="muted">No token usage matches these filters in the {last(period)}.</p>
        ) : (
          <NoUsage period={period} />
        )
      ) : (
        <>
          <Totals report={report} period={period} />
          <article class="panel" aria-labelledby="per-day-title">
            <h2 id="per-day-title">Cost per day</h2>
            <p class="muted panel-note">Per UTC day; the first one counts from {COST_PERIODS[period]} ago on.</p>
            <LineChart
              label={`Cost per UTC day over the ${last(period)}: ${moneyText(report.totals.cost_usd)} in all`}
              xs={series.xs}
              ys={series.ys}
              yText={axisMoneyText}
              yFloor={0.01}
              days
            />
            <details class="per-day">
              <summary>Figures per day</summary>
              <ScrollBox label="Cost per day">
                <table>
                  <caption class="visually-hidden">Cost per UTC day, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day (UTC)</th>
                      <th scope="col" class="num">
                        Cost
                      </th>
                      <th scope="col" class="num">
                        Tokens
                      </th>
                      <th scope="col" class="num">
                        Requests
                      </th>
                      <th scope="col" class="num">
                        Sessions
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {perDay.map((d) => (
                      <tr key={d.day}>
                        <th scope="row">{d.day}</th>
                        <td class="num">
                          <MoneyText usd={d.cost_usd} />
                        </td>
                        <td class="num">
                          <TokenText n={d.tokens} />
                        </td>
                        <td class="num">{countText(d.requests)}</td>
                        <td class="num">{countText(d.sessions)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            </details>
          </article>
          <article class="panel" aria-labelledby="groups-title" aria-busy={groups.loading}>
            <div class="panel-head">
              <h2 id="groups-title">Cost by {COST_GROUPINGS[grouping].toLowerCase()}</h2>
              <fieldset class="segmented">
                <legend class="visually-hidden">Group by</legend>
                {(Object.keys(COST_GROUPINGS) as CostGrouping[]).map((key) => (
                  <label key={key}>
                    <input
                      type="radio"
                      name="by"
                      value={key}
                      checked={key === grouping}
                      onChange={() => setFilters({ by: key === DEFAULT_GROUPING ? '' : key })}
                    />
                    <span>{COST_GROUPINGS[key]}</span>
                  </label>
                ))}
              </fieldset>
            </div>
            {groups.error ? (
              <Failure error={groups.error} retry={groups.reload} />
            ) : !groups.data || groups.data.group_by !== grouping ? (
              <Loading label={`Adding up the cost by ${COST_GROUPINGS[grouping].toLowerCase()}`} />
            ) : (
              <>
                <CostTable
                  report={groups.data}
                  keyHeader={COST_GROUPINGS[grouping]}
                  caption={`Cost by ${COST_GROUPINGS[grouping].toLowerCase()} over the ${last(period)}, biggest first`}
                  keyCell={(key) => <GroupKey grouping={grouping} value={key} filters={filters} />}
                />
                {groups.data.truncated && (
                  <p class="muted">The {countText(groups.data.items.length)} biggest are listed; the totals above cover them all.</p>
                )}
              </>
            )}
          </article>
        </>
      )}
    </section>
  );
}

function Totals({ report, period }: { report: CostReport; period: CostPeriod }) {
  const t = report.totals;
  const tokens = (n: number, what: string) => ({ value: tokenText(n), hint: `${countText(n)} ${what}` });
  return (
    <>
      <ul class="figures compact" aria-label={`Totals over the ${last(period)}`}>
        <FigureCard label="Cost" value={moneyText(t.cost_usd)} hint={`over the ${last(period)}, as reported or priced`} />
        <FigureCard label="Input tokens" {...tokens(t.input_tokens, 'tokens sent to the models')} />
        <FigureCard label="Output tokens" {...tokens(t.output_tokens, 'tokens the models wrote')} />
        <FigureCard label="Cache read tokens" {...tokens(t.cache_read_tokens, 'tokens read from the prompt cache')} />
        <FigureCard label="Cache write tokens" {...tokens(t.cache_creation_tokens, 'tokens written to the prompt cache')} />
        <FigureCard label="Requests" value={countText(t.requests)} hint={`model requests, ${tokenText(tokensOf(t))} tokens in all`} />
        <FigureCard label="Sessions" value={countText(t.sessions)} hint="sessions that made them" />
        <FigureCard
          label="Unpriced tokens"
          value={tokenText(t.unpriced_tokens)}
          hint={
            t.unpriced_tokens
              ? `${countText(t.unpriced_tokens)} tokens of models without a price: not in the cost`
              : 'every model had a price'
          }
          {...(t.unpriced_tokens ? { tone: 'warn' as const } : {})}
        />
      </ul>
      <p class="muted prices">
        Prices as of {report.prices_as_of}: a cost the agent reported (Claude Code) is taken as is; the others are priced from the tokens at
        hookd's prices of that date, or <code>HOOKD_MODEL_PRICES</code>.
      </p>
    </>
  );
}

function GroupKey({ grouping, value, filters }: { grouping: CostGrouping; value: string | null; filters: CostFilters }) {
  if (value === null) return <span class="muted">{grouping === 'model' ? '(no model named)' : `(no ${grouping})`}</span>;
  // A project or an agent narrows the whole page to it, keeping the period.
  if (grouping === 'project' || grouping === 'source') {
    const narrowed = { ...filters, by: '', [grouping === 'source' ? 'agent' : 'project']: value };
    return (
      <a href={`${UI}/cost${query(narrowed)}`} title={`Only ${grouping === 'source' ? 'this agent' : 'this project'}`}>
        {grouping === 'source' ? agentLabel(value) : value}
      </a>
    );
  }
  return <>{value}</>;
}

/** Nothing in the period and no filter: how to get figures at all. */
function NoUsage({ period }: { period: CostPeriod }) {
  return (
    <EmptyState title={`No token usage in the ${last(period)}`}>
      <p>
        The figures come from the agents themselves. Claude Code reports each model request's tokens and cost over OpenTelemetry once its
        hooks are installed with telemetry:
      </p>
      <pre>
        <code>hookd install claude-code --url URL --telemetry</code>
      </pre>
      <p>
        Without telemetry, hookd's hooks read the tokens from Claude Code's transcript after each turn, and hookd prices them (
        <code>docs/agent-integration.md</code>, "Tokens from the transcript"). Codex sends its usage over OpenTelemetry too (
        <code>docs/telemetry.md</code>).
      </p>
    </EmptyState>
  );
}
