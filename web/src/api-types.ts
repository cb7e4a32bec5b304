// The API's shapes as the server's route schemas declare them: type-only imports, so no
// server code reaches the bundle, and a changed schema fails the dashboard's typecheck.
import type { Static } from 'typebox';
import type { SessionStatsOut } from '../../src/modules/analytics/analytics-schemas.ts';
import type { ChannelMessage } from '../../src/modules/channels/channel-message.ts';
import type { ChannelList, ChannelOut, ChannelTestOut } from '../../src/modules/channels/channel-schemas.ts';
import type { CostOut } from '../../src/modules/cost-figures/cost-schemas.ts';
import type { EventOut } from '../../src/modules/events/event-schemas.ts';
import type {
  NotificationDetail as NotificationDetailOut,
  NotificationList,
  NotificationOut,
  NotificationReplayOut,
} from '../../src/modules/notifications/notification-schemas.ts';
import type { SessionDetailOut, SessionList, SessionOut, ToolUseOut } from '../../src/modules/sessions/session-schemas.ts';
import type { TeamOut } from '../../src/modules/teams/team-schemas.ts';

// The schema leaves data open (additionalProperties); its fields are read one by one.
export type ApiEvent = Omit<Static<typeof EventOut>, 'data'> & { data: Record<string, unknown> };
export type Session = Static<typeof SessionOut>;
export type SessionPage = Static<typeof SessionList>;
export type SessionDetail = Static<typeof SessionDetailOut>;
export type ToolUse = Static<typeof ToolUseOut>;
export type Subagent = SessionDetail['agents'][number];
export type SessionStats = Static<typeof SessionStatsOut>;

export type Notification = Static<typeof NotificationOut>;
export type NotificationPage = Static<typeof NotificationList>;
// The schema leaves the message open; it is what the server stored: a ChannelMessage.
export type NotificationDetail = Omit<Static<typeof NotificationDetailOut>, 'message'> & { message: ChannelMessage };
export type NotificationAttempt = NotificationDetail['attempts'][number];
export type NotificationReplay = Static<typeof NotificationReplayOut>;

export type Channel = Static<typeof ChannelOut>;
export type ChannelPage = Static<typeof ChannelList>;
export type ChannelTest = Static<typeof ChannelTestOut>;

// The schema leaves the configuration open; its notification preferences are read field by field.
export type Team = Static<typeof TeamOut>;

export type CostReport = Static<typeof CostOut>;
export type CostGroup = CostReport['items'][number];
export type PromptUsage = SessionDetail['usage'][number];
