// One session: which agent ran it, its figures and score, how its latest turn ended, the
// tree of its subagents, and a timeline of its prompts and tool calls in order, each call
// with a bar for its duration and its outcome (a call the auto mode denied marked apart);
// a call's input and output (as stored, so redacted by the capture policy) open on demand;
// calls made inside a subagent are nested under it. Choosing an agent in the tree narrows
// the timeline to it, in the URL like every filter. A session with token usage shows its
// cost and tokens, and what each prompt cost.
import { useMemo, useState } from 'preact/hooks';
import { query } from '../api.ts';
import type { ApiEvent, SessionDetail, SessionStats, ToolUse } from '../api-types.ts';
import { agentsUnder, agentTree, findAgent } from '../agent-tree.ts';
import { callOutcome } from '../call-outcome.ts';
import { type Entry, timelineOf } from '../timeline.ts';
import { AgentBadge } from '../components/agent-badge.tsx';
import { AgentTreeView } from '../components/agent-tree-view.tsx';
import { Failure, Loading } from '../components/loading.tsx';
import { PromptUsageTable } from '../components/prompt-usage-table.tsx';
import { SessionNotifications } from '../components/session-notifications.tsx';
import { TimeText } from '../components/time-text.tsx';
import { TurnError } from '../components/turn-error.tsx';
import { tokensOf } from '../cost-query.ts';
import { moneyText } from '../money.ts';
import { UI, useQueryState } from '../router.ts';
import { countText, durationText, percentText, tokenText } from '../time.ts';
import { useApi } from '../use-api.ts';

export function SessionView({ id }: { id: string }) {
  const path = encodeURIComponent(id);
  const detail = useApi<SessionDetail>(`/sessions/${path}`);
  const stats = useApi<SessionStats>(`/analytics/sessions/${path}`);
  const prompts = useApi<{ items: ApiEvent[] }>(`/events${query({ session_id: id, event_type: 'prompt_submitted', limit: 1000 })}`);
  const [params, setParams] = useQueryState(['agent'] as const);

  const tree = useMemo(() => (detail.data ? agentTree(detail.data.agents, detail.data.tool_uses) : null), [detail.data]);
  // An agent no longer in the tree (or never) still narrows to its own calls.
  const chosen = useMemo(() => {
    if (!params.agent || !tree) return null;
    const node = findAgent(tree, params.agent);
    return { agentId: params.agent, name: node?.agent?.agent_type ?? 'subagent', ids: node ? agentsUnder(node) : new Set([params.agent]) };
  }, [params.agent, tree]);
  const timeline = useMemo(() => {
    if (!detail.data || !prompts.data) return null;
    if (!chosen) return timelineOf(prompts.data.items, detail.data.tool_uses);
    return timelineOf(
      [],
      detail.data.tool_uses.filter((c) => c.agent_id !== null && chosen.ids.has(c.agent_id)),
    );
  }, [detail.data, prompts.data, chosen]);
  const longest = useMemo(() => Math.max(1, ...(detail.data?.tool_uses ?? []).map((c) => c.duration_ms ?? 0)), [detail.data]);

  if (detail.error) {
    return (
      <section>
        <h1>Session {id}</h1>
        <Failure error={detail.error} retry={detail.reload} />
        <p>
          <a href={`${UI}/sessions`}>All sessions</a>
        </p>
      </section>
    );
  }
  const s = detail.data;
  const usage = s !== null && (s.usage.length > 0 || s.cost_usd > 0 || tokensOf(s) > 0);
  return (
    <section aria-labelledby="session-title" aria-busy={detail.loading}>
      <p class="crumbs">
        <a href={`${UI}/sessions`}>Sessions</a> / <span title={id}>{id}</span>
      </p>
      <div class="page-head">
        <h1 id="session-title">{s?.project ?? 'Session'}</h1>
        {s && (
          <span class="head-badges">
            <AgentBadge source={s.source} />
            <span class={`status ${s.status}`}>{s.status}</span>
          </span>
        )}
      </div>
      {!s ? (
        <Loading label="Loading the session" />
      ) : (
        <>
          {s.error_kind && <TurnError kind={s.error_kind} message={s.error_message} />}
          <dl class="facts">
            <Fact term="Session" value={<code>{s.session_id}</code>} />
            <Fact term="Branch" value={s.git_branch ?? '—'} />
            <Fact term="Model" value={s.model ?? '—'} />
            <Fact term="Started" value={<TimeText at={s.started_at} />} />
            <Fact term={s.ended_at ? 'Ended' : 'Last activity'} value={<TimeText at={s.ended_at ?? s.last_activity_at} />} />
            <Fact term="Duration" value={durationText(Date.parse(s.ended_at ?? s.last_activity_at) - Date.parse(s.started_at))} />
            {s.end_reason && <Fact term="End reason" value={s.end_reason} />}
          </dl>
          <ul class="figures" aria-label="Figures">
            <Small label="Score" value={stats.data ? `${stats.data.success_score}/100` : '…'} hint={stats.data?.workflow_pattern ?? ''} />
            <Small label="Prompts" value={countText(s.prompts)} />
            <Small
              label="Tool calls"
              value={countText(s.tool_calls)}
              hint={`${countText(s.failures)} failed${s.permission_denials ? `, ${countText(s.permission_denials)} denied` : ''}`}
            />
            <Small
              label="Success rate"
              value={
                stats.data?.success_rate_pct === null || stats.data?.success_rate_pct === undefined
                  ? '—'
                  : percentText(stats.data.success_rate_pct / 100)
              }
            />
            {/* A subagent seen only on its calls, never starting, is still one. */}
            <Small label="Subagents" value={countText(Math.max(s.subagents, s.agents.length))} />
            <Small
              label="Permission denials"
              value={countText(s.permission_denials)}
              hint="calls the auto mode refused"
              {...(s.permission_denials ? { tone: 'warn' as const } : {})}
            />
            <Small
              label="Stop failures"
              value={countText(s.stop_failures)}
              hint="turns ended by an API error"
              {...(s.stop_failures ? { tone: 'bad' as const } : {})}
            />
            <Small label="Events" value={countText(s.events)} />
            {usage && (
              <>
                <Small
                  label="Cost"
                  value={moneyText(s.cost_usd)}
                  hint={
                    s.unpriced_tokens
                      ? `${tokenText(s.unpriced_tokens)} tokens of models without a price are not in it`
                      : 'as the agent reported, or priced'
                  }
                  {...(s.unpriced_tokens ? { tone: 'warn' as const } : {})}
                />
                <Small label="Tokens in" value={tokenText(s.input_tokens)} hint={`${countText(s.input_tokens)} input tokens`} />
                <Small label="Tokens out" value={tokenText(s.output_tokens)} hint={`${countText(s.output_tokens)} output tokens`} />
                <Small
                  label="Cache tokens"
                  value={tokenText(s.cache_read_tokens)}
                  hint={`read; ${tokenText(s.cache_creation_tokens)} written to the cache`}
                />
              </>
            )}
          </ul>
        </>
      )}

      {s && tree && s.agents.length > 0 && (
        <article class="panel" aria-labelledby="agents-title">
          <h2 id="agents-title">Agents</h2>
          <p class="muted panel-note">Choose an agent (Enter) to see only its calls and its subagents'.</p>
          <AgentTreeView root={tree} source={s.source} model={s.model} selected={params.agent} select={(agent) => setParams({ agent })} />
        </article>
      )}

      {s && usage && s.usage.length > 0 && (
        <article class="panel" aria-labelledby="prompt-cost-title">
          <h2 id="prompt-cost-title">Cost by {promptTerm(s.source).toLowerCase()}</h2>
          <PromptUsageTable session={s} promptTerm={promptTerm(s.source)} />
        </article>
      )}

      <article class="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {chosen && (
          <p class="narrowed">
            <span>
              Calls of {chosen.name} <code>{chosen.agentId}</code>
              {chosen.ids.size > 1 ? ' and its subagents' : ''} only.
            </span>{' '}
            <button type="button" class="quiet" onClick={() => setParams({ agent: '' })}>
              Show every call
            </button>
          </p>
        )}
        {prompts.error && <Failure error={prompts.error} retry={prompts.reload} />}
        {!timeline ? (
          <Loading label="Loading prompts and tool calls" />
        ) : timeline.length === 0 ? (
          <p class="muted">{chosen ? 'No tool calls recorded for this agent.' : 'No prompts or tool calls recorded for this session.'}</p>
        ) : (
          <ol class="timeline">
            {timeline.map((entry) => (
              <TimelineEntry key={entryKey(entry)} entry={entry} sessionId={id} longest={longest} promptTerm={promptTerm(s?.source)} />
            ))}
          </ol>
        )}
        {s && s.tool_uses.length >= 1000 && <p class="muted">The first 1,000 tool calls are shown.</p>}
      </article>

      <SessionNotifications sessionId={id} />
    </section>
  );
}

const entryKey = (e: Entry) =>
  e.kind === 'prompt' ? `p:${e.event.event_id}` : e.kind === 'call' ? `c:${e.call.tool_use_id}` : `a:${e.agentId}`;

function Fact({ term, value }: { term: string; value: preact.ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

// Codex calls its prompts' ids turns.
const promptTerm = (source: string | undefined) => (source === 'codex' ? 'Turn' : 'Prompt');

function Small({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: 'warn' | 'bad' }) {
  return (
    <li class="figure small">
      <div>
        <span class="figure-label">{label}</span>
        <span class={`figure-value${tone ? ` ${tone}` : ''}`}>{value}</span>
        {hint && <span class="figure-hint">{hint}</span>}
      </div>
    </li>
  );
}

interface EntryProps {
  sessionId: string;
  longest: number;
  promptTerm: string;
}

function TimelineEntry({ entry, ...props }: EntryProps & { entry: Entry }) {
  if (entry.kind === 'prompt') {
    const text = typeof entry.event.data.prompt === 'string' ? entry.event.data.prompt : '(prompt not kept by the capture policy)';
    return (
      <li class="entry prompt">
        <span class="entry-time">
          <TimeText at={entry.event.timestamp} />
        </span>
        <div class="entry-body">
          <span class="chip tone-prompt">prompt</span> <span class="prompt-text">{text}</span>
        </div>
      </li>
    );
  }
  if (entry.kind === 'agent') {
    return (
      <li class="entry agent">
        <span class="entry-time">
          <TimeText at={new Date(entry.at)} />
        </span>
        <div class="entry-body">
          <span class="chip tone-session">subagent</span> {entry.agentType ?? 'agent'} <small class="muted">{entry.agentId}</small>
          <ol class="timeline nested">
            {entry.calls.map((call) => (
              <CallEntry key={call.tool_use_id} call={call} {...props} />
            ))}
          </ol>
        </div>
      </li>
    );
  }
  return <CallEntry call={entry.call} {...props} />;
}

function CallEntry({ call, sessionId, longest, promptTerm }: EntryProps & { call: ToolUse }) {
  const [open, setOpen] = useState(false);
  const width = call.duration_ms ? Math.max(0.5, (call.duration_ms / longest) * 100) : 0;
  const { label, tone } = callOutcome(call);
  return (
    <li class={`entry call ${call.status}${label === 'denied' ? ' denied' : ''}`}>
      <span class="entry-time">
        <TimeText at={call.started_at ?? call.ended_at} />
      </span>
      <div class="entry-body">
        <button type="button" class="call-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class={`chip tone-${tone}`} title={label === 'denied' ? 'denied by the auto mode: the call never ran' : undefined}>
            {label}
          </span>{' '}
          <strong>{call.tool_name}</strong> <span class="summary">{call.input_summary ?? ''}</span>
        </button>
        <div class="duration" title={call.duration_ms === null ? 'no duration: the call has not ended' : durationText(call.duration_ms)}>
          <span class={`bar tone-${tone}`} style={{ width: `${width}%` }} />
          <span class="duration-text">
            {call.duration_ms === null ? (call.status === 'running' ? 'running' : '—') : durationText(call.duration_ms)}
          </span>
        </div>
        {call.error && <p class="call-error">{call.error}</p>}
        {open && <CallDetail call={call} sessionId={sessionId} promptTerm={promptTerm} />}
      </div>
    </li>
  );
}

/** The call's own events, as stored: tool_input from its start, tool_response or error from its end. */
function CallDetail({ call, sessionId, promptTerm }: { call: ToolUse; sessionId: string; promptTerm: string }) {
  // The call's start and end events lie between its start and end times.
  const from = call.started_at ?? call.ended_at;
  const end = Date.parse(call.ended_at ?? call.started_at ?? '');
  const events = useApi<{ items: ApiEvent[] }>(
    from && Number.isFinite(end)
      ? `/events${query({ session_id: sessionId, from, to: new Date(end + 1).toISOString(), limit: 1000 })}`
      : null,
  );
  if (!from) return <p class="muted">This call has no recorded times, so its events cannot be found.</p>;
  if (events.error) return <Failure error={events.error} retry={events.reload} />;
  if (!events.data) return <Loading label="Loading the call's input and output" />;
  const own = events.data.items.filter((e) => e.data.tool_use_id === call.tool_use_id);
  const input = own.find((e) => e.data.tool_input !== undefined)?.data.tool_input;
  const output = own.find((e) => e.data.tool_response !== undefined)?.data.tool_response;
  const run = call.agent_run;
  return (
    <div class="call-detail">
      <dl class="facts call-facts">
        <Fact term="Call" value={<code>{call.tool_use_id}</code>} />
        <Fact term={promptTerm} value={call.prompt_id ? <code>{call.prompt_id}</code> : '—'} />
        {call.agent_id && <Fact term="Agent" value={<code>{call.agent_id}</code>} />}
        {run && (
          <Fact
            term="Subagent used"
            value={[
              run.total_tokens !== null && `${tokenText(run.total_tokens)} tokens`,
              run.input_tokens !== null && `${tokenText(run.input_tokens)} in`,
              run.output_tokens !== null && `${tokenText(run.output_tokens)} out`,
              run.cache_read_tokens !== null && `${tokenText(run.cache_read_tokens)} cache read`,
              run.model,
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        )}
      </dl>
      <h3>Input</h3>
      <pre>{input === undefined ? 'not recorded' : JSON.stringify(input, null, 2)}</pre>
      <h3>Output</h3>
      <pre>{output === undefined ? (call.error ?? 'not recorded') : JSON.stringify(output, null, 2)}</pre>
      <p class="muted">As stored: the capture policy redacts secrets before anything is kept.</p>
    </div>
  );
}
