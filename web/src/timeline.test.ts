import { expect, it } from 'vitest';
import type { ApiEvent, ToolUse } from './api-types.ts';
import { timelineOf } from './timeline.ts';

const prompt = (id: string, at: string) =>
  ({ event_id: id, session_id: 's', event_type: 'prompt_submitted', timestamp: at, data: {} }) as unknown as ApiEvent;
const call = (id: string, at: string | null, agent: string | null = null) =>
  ({
    tool_use_id: id,
    tool_name: 'Bash',
    started_at: at,
    ended_at: at,
    agent_id: agent,
    agent_type: agent ? 'Explore' : null,
  }) as unknown as ToolUse;

it('orders prompts and calls by time and gathers each subagent at its first call', () => {
  const entries = timelineOf(
    [prompt('p2', '2026-01-01T00:00:05Z'), prompt('p1', '2026-01-01T00:00:00Z')],
    [
      call('c1', '2026-01-01T00:00:01Z'),
      call('a2', '2026-01-01T00:00:04Z', 'agent-1'),
      call('a1', '2026-01-01T00:00:02Z', 'agent-1'),
      call('c2', '2026-01-01T00:00:06Z'),
    ],
  );
  expect(
    entries.map((e) => (e.kind === 'prompt' ? e.event.event_id : e.kind === 'call' ? e.call.tool_use_id : `agent:${e.agentId}`)),
  ).toEqual(['p1', 'c1', 'agent:agent-1', 'p2', 'c2']);
  const agent = entries[2]!;
  expect(agent.kind === 'agent' && agent.calls.map((c) => c.tool_use_id)).toEqual(['a2', 'a1']);
  expect(agent.at).toBe(Date.parse('2026-01-01T00:00:02Z'));
});

it('puts a call without times first instead of dropping it', () => {
  const entries = timelineOf([prompt('p', '2026-01-01T00:00:00Z')], [call('lost', null)]);
  expect(entries.map((e) => e.kind)).toEqual(['call', 'prompt']);
});
