import type { CanonicalEvent } from '../events/event.ts';
import type { NotificationKind } from '../channels/channel-message.ts';

/**
 * The kind of notification an event makes, which picks the team's default channel and the
 * built-in message. Claude Code reports one permission prompt twice (PermissionRequest, and
 * a Notification of type permission_prompt); both are `permission`, and the outbox merges
 * the second into the first.
 */
export function notificationKindOf(event: Pick<CanonicalEvent, 'event_type' | 'data'>): NotificationKind {
  switch (event.event_type) {
    case 'permission_requested':
      return 'permission';
    case 'notification':
      return event.data?.notification_type === 'permission_prompt' ? 'permission' : 'input';
    case 'agent_stopped':
      return 'stop';
    case 'session_ended':
      return 'session_end';
    case 'tool_execution_failed':
      return 'failure';
    default:
      return 'rule';
  }
}
