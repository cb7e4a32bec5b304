import { describe, expect, it } from 'vitest';
import { buildMessage } from './notification-message.ts';
import { notificationKindOf } from './notification-kind.ts';
import type { CanonicalEvent } from '../events/event.ts';

const event = (event_type: string, data: Record<string, unknown>): CanonicalEvent => ({
  event_id: 'e1',
  session_id: 's1',
  event_type,
  timestamp: '2026-12-01T10:00:00.000Z',
  received_at: '2026-12-01T10:00:00.000Z',
  source: 'claude-code',
  workflow_id: null,
  phase_id: null,
  milestone_id: null,
  team_id: null,
  task_id: null,
  user: null,
  host: null,
  data,
});

describe('notification kinds for every agent', () => {
  it('goes by canonical type, so Codex and Gemini CLI events make the kinds Claude Code events do', () => {
    expect(notificationKindOf(event('notification', { notification_type: 'ToolPermission' }))).toBe('permission');
    expect(notificationKindOf(event('notification', { notification_type: 'permission_prompt' }))).toBe('permission');
    expect(notificationKindOf(event('notification', { notification_type: 'idle_prompt' }))).toBe('input');
    expect(notificationKindOf(event('tool_execution_failed', { hook_event_name: 'PostToolUse', tool_response: { exit_code: 1 } }))).toBe(
      'failure',
    );
    expect(notificationKindOf(event('agent_stopped', { hook_event_name: 'AfterAgent' }))).toBe('stop');
    expect(notificationKindOf(event('agent_stop_failed', { error: 'rate_limit' }))).toBe('failure');
    // Codex's legacy notify program.
    expect(notificationKindOf(event('agent_turn_completed', { 'last-assistant-message': 'done' }))).toBe('stop');
    expect(notificationKindOf(event('context_compacted', {}))).toBe('rule');
  });

  it('says which API error ended a turn', () => {
    const message = buildMessage({
      kind: 'failure',
      priority: 'normal',
      event: event('agent_stop_failed', { error: 'rate_limit', error_details: { message: '429 Too Many Requests' }, cwd: '/src/billing' }),
      session: null,
      rule: { rule_id: 'notify-failure', name: 'A tool call or a turn failed' },
    });
    expect(message).toMatchObject({ title: 'Turn ended in an API error: rate_limit', text: '429 Too Many Requests' });
  });
});
