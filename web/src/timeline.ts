// A session's timeline: its prompts and tool calls in time order, the calls made inside
// each subagent gathered under it.
import type { ApiEvent, ToolUse } from './api-types.ts';

export type Entry =
  | { kind: 'prompt'; at: number; event: ApiEvent }
  | { kind: 'call'; at: number; call: ToolUse }
  | { kind: 'agent'; at: number; agentId: string; agentType: string | null; calls: ToolUse[] };

/** Prompts and calls by time; the calls of each subagent gathered at its first call. */
export function timelineOf(prompts: readonly ApiEvent[], calls: readonly ToolUse[]): Entry[] {
  const entries: Entry[] = prompts.map((event) => ({ kind: 'prompt', at: Date.parse(event.timestamp), event }));
  const agents = new Map<string, Entry & { kind: 'agent' }>();
  for (const call of calls) {
    const at = Date.parse(call.started_at ?? call.ended_at ?? '') || 0;
    if (call.agent_id) {
      let agent = agents.get(call.agent_id);
      if (!agent) {
        agent = { kind: 'agent', at, agentId: call.agent_id, agentType: call.agent_type, calls: [] };
        agents.set(call.agent_id, agent);
        entries.push(agent);
      }
      agent.at = Math.min(agent.at, at);
      agent.calls.push(call);
    } else {
      entries.push({ kind: 'call', at, call });
    }
  }
  return entries.sort((a, b) => a.at - b.at);
}
