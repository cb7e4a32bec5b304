// One session: its figures and score, and a timeline of its prompts and tool calls in
// order, each call with a bar for its duration and its outcome; a call's input and output
// (as stored, so redacted by the capture policy) open on demand; calls made inside a
// subagent are nested under it.
import { useMemo, useState } from 'preact/hooks';
import { query } from '../api.ts';
import type { ApiEvent, SessionDetail, SessionStats, ToolUse } from '../api-types.ts';
import { type Entry, timelineOf } from '../timeline.ts';
import { Failure, Loading } from '../components/loading.tsx';
import { SessionNotifications } from '../components/session-notifications.tsx';
import { TimeText } from '../components/time-text.tsx';
import { UI } from '../router.ts';
import { countText, durationText, percentText } from '../time.ts';
import { useApi } from '../use-api.ts';

export function SessionView({ id }: { id: string }) {
  const path = encodeURIComponent(id);
  const detail = useApi<SessionDetail>(`/sessions/${path}`);
  const stats = useApi<SessionStats>(`/analytics/sessions/${path}`);
  const prompts = useApi<{ items: ApiEvent[] }>(`/events${query({ session_id: id, event_type: 'prompt_submitted', limit: 1000 })}`);

  const timeline = useMemo(
    () => (detail.data && prompts.data ? timelineOf(prompts.data.items, detail.data.tool_uses) : null),
    [detail.data, prompts.data],
  );
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
  return (
    <section aria-labelledby="session-title" aria-busy={detail.loading}>
      <p class="crumbs">
        <a href={`${UI}/sessions`}>Sessions</a> / <span title={id}>{id}</span>
      </p>
      <div class="page-head">
        <h1 id="session-title">{s?.project ?? 'Session'}</h1>
        {s && <span class={`status ${s.status}`}>{s.status}</span>}
      </div>
      {!s ? (
        <Loading label="Loading the session" />
      ) : (
        <>
          <dl class="facts">
            <Fact term="Session" value={<code>{s.session_id}</code>} />
            <Fact term="Source" value={s.source} />
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
            <Small label="Tool calls" value={countText(s.tool_calls)} hint={`${countText(s.failures)} failed`} />
            <Small
              label="Success rate"
              value={
                stats.data?.success_rate_pct === null || stats.data?.success_rate_pct === undefined
                  ? '—'
                  : percentText(stats.data.success_rate_pct / 100)
              }
            />
            <Small label="Subagents" value={countText(s.subagents)} />
            <Small label="Events" value={countText(s.events)} />
          </ul>
        </>
      )}

      <article class="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {prompts.error && <Failure error={prompts.error} retry={prompts.reload} />}
        {!timeline ? (
          <Loading label="Loading prompts and tool calls" />
        ) : timeline.length === 0 ? (
          <p class="muted">No prompts or tool calls recorded for this session.</p>
        ) : (
          <ol class="timeline">
            {timeline.map((entry) => (
              <TimelineEntry key={entryKey(entry)} entry={entry} sessionId={id} longest={longest} />
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

function Small({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <li class="figure small">
      <div>
        <span class="figure-label">{label}</span>
        <span class="figure-value">{value}</span>
        {hint && <span class="figure-hint">{hint}</span>}
      </div>
    </li>
  );
}

function TimelineEntry({ entry, sessionId, longest }: { entry: Entry; sessionId: string; longest: number }) {
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
              <CallEntry key={call.tool_use_id} call={call} sessionId={sessionId} longest={longest} />
            ))}
          </ol>
        </div>
      </li>
    );
  }
  return <CallEntry call={entry.call} sessionId={sessionId} longest={longest} />;
}

function CallEntry({ call, sessionId, longest }: { call: ToolUse; sessionId: string; longest: number }) {
  const [open, setOpen] = useState(false);
  const width = call.duration_ms ? Math.max(0.5, (call.duration_ms / longest) * 100) : 0;
  const tone = call.status === 'failed' ? 'fail' : call.status === 'succeeded' ? 'ok' : 'tool';
  return (
    <li class={`entry call ${call.status}`}>
      <span class="entry-time">
        <TimeText at={call.started_at ?? call.ended_at} />
      </span>
      <div class="entry-body">
        <button type="button" class="call-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class={`chip tone-${tone}`}>{call.status}</span> <strong>{call.tool_name}</strong>{' '}
          <span class="summary">{call.input_summary ?? ''}</span>
        </button>
        <div class="duration" title={call.duration_ms === null ? 'no duration: the call has not ended' : durationText(call.duration_ms)}>
          <span class={`bar tone-${tone}`} style={{ width: `${width}%` }} />
          <span class="duration-text">
            {call.duration_ms === null ? (call.status === 'running' ? 'running' : '—') : durationText(call.duration_ms)}
          </span>
        </div>
        {call.error && <p class="call-error">{call.error}</p>}
        {open && <CallDetail call={call} sessionId={sessionId} />}
      </div>
    </li>
  );
}

/** The call's own events, as stored: tool_input from its start, tool_response or error from its end. */
function CallDetail({ call, sessionId }: { call: ToolUse; sessionId: string }) {
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
  return (
    <div class="call-detail">
      <h3>Input</h3>
      <pre>{input === undefined ? 'not recorded' : JSON.stringify(input, null, 2)}</pre>
      <h3>Output</h3>
      <pre>{output === undefined ? (call.error ?? 'not recorded') : JSON.stringify(output, null, 2)}</pre>
      <p class="muted">As stored: the capture policy redacts secrets before anything is kept.</p>
    </div>
  );
}
