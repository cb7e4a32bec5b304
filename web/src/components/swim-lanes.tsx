import { useEffect, useState } from 'preact/hooks';
import { agentLabel } from '../agent-label.ts';
import type { ApiEvent, Session } from '../api-types.ts';
import { laneOf, summaryOf, toneOf } from '../event-kind.ts';
import { UI } from '../router.ts';
import { utcText } from '../time.ts';

export interface SwimLanesProps {
  events: readonly ApiEvent[];
  sessions: ReadonlyMap<string, Session | null>;
  /** How far back the lanes reach (ms). */
  spanMs?: number;
  maxLanes?: number;
}

interface Lane {
  key: string;
  sessionId: string;
  agentType: string | null;
  last: number;
  events: ApiEvent[];
}

/**
 * One lane per session and per subagent inside it, most recently active first: each event
 * a tick at its time over the last few minutes, coloured by kind. A lane's label links to
 * its session and names its agent (Claude Code, Codex, ...), branch and model.
 */
export function SwimLanes({ events, sessions, spanMs = 5 * 60_000, maxLanes = 12 }: SwimLanesProps) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const from = now - spanMs;
  const lanes = new Map<string, Lane>();
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    if (at < from) continue;
    const { key, agentType } = laneOf(event);
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { key, sessionId: event.session_id, agentType, last: at, events: [] }));
    lane.last = Math.max(lane.last, at);
    lane.events.push(event);
  }
  const ordered = [...lanes.values()].sort((a, b) => b.last - a.last);
  const shown = ordered.slice(0, maxLanes);
  if (!shown.length) return <p class="muted">No activity in the last {Math.round(spanMs / 60_000)} minutes.</p>;
  return (
    <ul class="lanes" aria-label={`Sessions active in the last ${Math.round(spanMs / 60_000)} minutes`}>
      {shown.map((lane) => {
        const s = sessions.get(lane.sessionId);
        const name = lane.agentType ? `↳ ${lane.agentType}` : (s?.project ?? lane.sessionId.slice(0, 8));
        return (
          <li class="lane" key={lane.key}>
            <a class="lane-label" href={`${UI}/sessions/${encodeURIComponent(lane.sessionId)}`} title={lane.sessionId}>
              <span>{name}</span>
              <small>
                {lane.agentType
                  ? lane.sessionId.slice(0, 8)
                  : [s && agentLabel(s.source), s?.git_branch, s?.model].filter(Boolean).join(' · ') || lane.sessionId.slice(0, 8)}
              </small>
            </a>
            <div class="lane-track" role="img" aria-label={`${lane.events.length} events`}>
              {lane.events.map((e) => {
                const at = Date.parse(e.timestamp);
                return (
                  <span
                    key={e.event_id}
                    class={`tick tone-${toneOf(e.event_type)}`}
                    style={{ left: `${((at - from) / spanMs) * 100}%` }}
                    title={`${e.event_type} ${summaryOf(e)} · ${utcText(new Date(at))}`}
                  />
                );
              })}
            </div>
          </li>
        );
      })}
      {ordered.length > shown.length && <li class="muted">and {ordered.length - shown.length} more sessions</li>}
    </ul>
  );
}
