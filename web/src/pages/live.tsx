// Live: every event as it is stored (the SSE tail), filtered by source, project, session,
// event type and text, with one swim lane per session and subagent. Pausing freezes the
// view; resuming continues after the last event received, so none is missed.
import { useMemo } from 'preact/hooks';
import type { ApiEvent } from '../api-types.ts';
import { EmptyState } from '../components/empty-state.tsx';
import { FilterInput } from '../components/filter-input.tsx';
import { SwimLanes } from '../components/swim-lanes.tsx';
import { TimeText } from '../components/time-text.tsx';
import { WindowedList } from '../components/windowed-list.tsx';
import { summaryOf, toneOf } from '../event-kind.ts';
import { UI, useQueryState } from '../router.ts';
import { useSessionInfo } from '../session-info.ts';
import { countText } from '../time.ts';
import { MAX_EVENTS, type StreamStatus, useEventStream } from '../use-event-stream.ts';

const FILTERS = ['source', 'project', 'session', 'type', 'q'] as const;
const ROW_HEIGHT = 34;

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting… (no event will be missed)',
  paused: 'Paused',
  failed: 'Disconnected',
};

export function Live() {
  const [filters, setFilters] = useQueryState(FILTERS);
  const stream = useEventStream({
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.type ? { event_type: filters.type } : {}),
    ...(filters.session ? { session_id: filters.session } : {}),
  });
  const sessionIds = useMemo(() => [...new Set(stream.events.slice(-500).map((e) => e.session_id))], [stream.events.length, stream.events]);
  const sessions = useSessionInfo(sessionIds);

  const shown = useMemo(() => {
    const text = filters.q.toLowerCase();
    const kept: ApiEvent[] = [];
    // Newest first.
    for (let i = stream.events.length - 1; i >= 0; i--) {
      const e = stream.events[i]!;
      if (filters.project && sessions.get(e.session_id)?.project !== filters.project) continue;
      if (text && !`${e.event_type} ${e.session_id} ${summaryOf(e)}`.toLowerCase().includes(text)) continue;
      kept.push(e);
    }
    return kept;
  }, [stream.events, stream.received, filters.project, filters.q, sessions]);

  const input = (name: (typeof FILTERS)[number], label: string, placeholder: string) => (
    <FilterInput name={name} label={label} value={filters[name]} placeholder={placeholder} set={(value) => setFilters({ [name]: value })} />
  );

  return (
    <section aria-labelledby="live-title">
      <div class="page-head">
        <h1 id="live-title">Live</h1>
        <div class="live-controls">
          <span class={`stream-status ${stream.status}`} role="status">
            {STATUS_TEXT[stream.status]}
          </span>
          <span class="muted">{countText(stream.received)} received</span>
          <button type="button" onClick={() => stream.setPaused(!stream.paused)} aria-pressed={stream.paused}>
            {stream.paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        {input('source', 'Source', 'claude-code')}
        {input('project', 'Project', 'any project')}
        {input('session', 'Session', 'session id')}
        {input('type', 'Event type', 'tool_execution_failed')}
        {input('q', 'Text', 'search the shown events')}
      </form>

      <article class="panel" aria-labelledby="lanes-title">
        <h2 id="lanes-title">Sessions, last 5 minutes</h2>
        <SwimLanes events={shown} sessions={sessions} />
      </article>

      <article class="panel" aria-labelledby="events-title">
        <h2 id="events-title">
          Events{' '}
          <span class="muted">
            ({countText(shown.length)} shown, newest first; the last {countText(MAX_EVENTS)} are kept here)
          </span>
        </h2>
        {shown.length === 0 ? (
          stream.status === 'live' && !Object.values(filters).some(Boolean) ? (
            <EmptyState title="Waiting for events" />
          ) : (
            <p class="muted">No event matches yet.</p>
          )
        ) : (
          <WindowedList
            items={shown}
            rowHeight={ROW_HEIGHT}
            height={Math.min(560, shown.length * ROW_HEIGHT + 2)}
            label="Events"
            keyOf={(e) => `${e.session_id}/${e.event_id}`}
            render={(e) => (
              <>
                <span class="cell time">
                  <TimeText at={e.timestamp} />
                </span>
                <span class={`chip tone-${toneOf(e.event_type)}`}>{e.event_type}</span>
                <a class="cell session" href={`${UI}/sessions/${encodeURIComponent(e.session_id)}`} title={e.session_id}>
                  {sessions.get(e.session_id)?.project ?? e.session_id.slice(0, 8)}
                </a>
                <span class="cell summary" title={summaryOf(e)}>
                  {summaryOf(e)}
                </span>
              </>
            )}
          />
        )}
      </article>
    </section>
  );
}
