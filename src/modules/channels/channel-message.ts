/**
 * What a notification says, before any service's format: rendered once when the
 * notification is created (stored with it, so every attempt sends the same bytes) and
 * turned into a Slack, Discord, webhook, email or ntfy body at delivery (slack-payload.ts,
 * discord-payload.ts, webhook-payload.ts, email-message.ts, ntfy-payload.ts).
 */
export const NOTIFICATION_KINDS = ['permission', 'input', 'stop', 'session_end', 'failure', 'rule'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const PRIORITIES = ['normal', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface MessageField {
  /** Short label: "Tool", "Project", "Branch". */
  name: string;
  /** Plain text, never markup; cut by the formatters to each service's limit. */
  value: string;
}

export interface ChannelMessage {
  kind: NotificationKind;
  priority: Priority;
  /** One line: "Permission requested: Bash". */
  title: string;
  /** Plain text, may hold several lines. */
  text: string;
  fields: MessageField[];
  /** Where the reader goes to see more (the dashboard's session page), when hookd knows its own address. */
  url?: string;
  /** The event and rule the message is about, sent as data by webhooks. */
  context: {
    session_id: string | null;
    event_id: string | null;
    event_type: string | null;
    team_id: string | null;
    rule_id: string | null;
    project: string | null;
    /** Event time, ISO 8601. */
    timestamp: string;
  };
  /** A digest: held notifications sent as this one message (their ids; each stays in the outbox, marked as in it). */
  digest?: { count: number; notification_ids: string[] };
}
