import type { CanonicalEvent } from '../events/event.ts';
import type { NotificationKind } from '../channels/channel-message.ts';

/**
 * The kind of notification an event makes, which picks the team's default channel and the
 * built-in message. Claude Code reports one permission prompt twice (PermissionRequest, and
 * a Notification of type permission_prompt); both are `permission`, and the outbox merges
 * the second into the first. Kinds go by canonical event type, so every agent's events
 * (Codex, Gemini CLI) make the same kinds as Claude Code's; a turn that ended in an API
 * error (StopFailure) is a failure like a failed tool call.
 */
const PERMISSION_NOTIFICATIONS: ReadonlySet<string> = new Set(['permission_prompt', 'ToolPermission']);

export function notificationKindOf(event: Pick<CanonicalEvent, 'event_type' | 'data'>): NotificationKind {
  switch (event.event_type) {
    case 'permission_requested':
      return 'permission';
    case 'notification':
      // Gemini CLI's permission prompt is a Notification of type ToolPermission.
      return PERMISSION_NOTIFICATIONS.has(event.data?.notification_type as string) ? 'permission' : 'input';
    case 'agent_stopped':
    case 'agent_turn_completed':
      return 'stop';
    case 'session_ended':
      return 'session_end';
    case 'tool_execution_failed':
    case 'agent_stop_failed':
      return 'failure';
    default:
      return 'rule';
  }
}
