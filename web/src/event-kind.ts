// How the dashboard names and colours an event: by its canonical event_type.
import type { ApiEvent } from './api-types.ts';

export type EventTone = 'prompt' | 'tool' | 'ok' | 'fail' | 'session' | 'notice' | 'other';

const TONES: Record<string, EventTone> = {
  prompt_submitted: 'prompt',
  tool_execution_started: 'tool',
  tool_execution_completed: 'ok',
  tool_execution_failed: 'fail',
  permission_requested: 'notice',
  notification: 'notice',
  session_started: 'session',
  session_ended: 'session',
  agent_stopped: 'session',
  subagent_started: 'session',
  subagent_stopped: 'session',
};

export const toneOf = (eventType: string): EventTone => TONES[eventType] ?? 'other';

const SUMMARY_FIELDS = ['command', 'file_path', 'notebook_path', 'pattern', 'url', 'query', 'description', 'path'];

/** One line about the event: the tool and what it worked on, the prompt, the message. */
export function summaryOf(event: ApiEvent): string {
  const d = event.data;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const tool = text(d.tool_name);
  if (tool) {
    const input = (d.tool_input ?? {}) as Record<string, unknown>;
    const field = SUMMARY_FIELDS.find((f) => typeof input[f] === 'string');
    const what = field ? text(input[field]) : '';
    const error = event.event_type === 'tool_execution_failed' ? text(d.error) : '';
    return [tool, what, error && `— ${error}`].filter(Boolean).join(' ');
  }
  return text(d.prompt) || text(d.message) || text(d.reason) || text(d.agent_type) || '';
}

/** The lane an event belongs to: its session, or a subagent inside it. */
export function laneOf(event: ApiEvent): { key: string; agentId: string | null; agentType: string | null } {
  const agentId = typeof event.data.agent_id === 'string' ? event.data.agent_id : null;
  const agentType = typeof event.data.agent_type === 'string' ? event.data.agent_type : null;
  return { key: agentId ? `${event.session_id}\u0000${agentId}` : event.session_id, agentId, agentType };
}
