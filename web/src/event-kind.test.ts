import { expect, it } from 'vitest';
import type { ApiEvent } from './api-types.ts';
import { laneOf, summaryOf, toneOf } from './event-kind.ts';

const event = (event_type: string, data: Record<string, unknown>) =>
  ({ event_id: 'e', session_id: 's1', event_type, data }) as unknown as ApiEvent;

it('names an event by its tool and what it worked on, its prompt or its message', () => {
  expect(summaryOf(event('tool_execution_started', { tool_name: 'Bash', tool_input: { command: 'npm test' } }))).toBe('Bash npm test');
  expect(summaryOf(event('tool_execution_failed', { tool_name: 'Read', tool_input: { file_path: '/a' }, error: 'ENOENT' }))).toBe(
    'Read /a — ENOENT',
  );
  expect(summaryOf(event('prompt_submitted', { prompt: 'fix it' }))).toBe('fix it');
  expect(summaryOf(event('notification', { message: 'needs you' }))).toBe('needs you');
  expect(summaryOf(event('other', {}))).toBe('');
  expect([toneOf('tool_execution_failed'), toneOf('prompt_submitted'), toneOf('something_new')]).toEqual(['fail', 'prompt', 'other']);
});

it('puts a subagent event in a lane of its own inside its session', () => {
  expect(laneOf(event('x', {}))).toEqual({ key: 's1', agentId: null, agentType: null });
  const sub = laneOf(event('x', { agent_id: 'a1', agent_type: 'Explore' }));
  expect(sub).toMatchObject({ agentId: 'a1', agentType: 'Explore' });
  expect(sub.key).not.toBe('s1');
});
