// The API's shapes as the server's route schemas declare them: type-only imports, so no
// server code reaches the bundle, and a changed schema fails the dashboard's typecheck.
import type { Static } from 'typebox';
import type { SessionStatsOut } from '../../src/modules/analytics/analytics-schemas.ts';
import type { EventOut } from '../../src/modules/events/event-schemas.ts';
import type { SessionDetailOut, SessionList, SessionOut, ToolUseOut } from '../../src/modules/sessions/session-schemas.ts';

// The schema leaves data open (additionalProperties); its fields are read one by one.
export type ApiEvent = Omit<Static<typeof EventOut>, 'data'> & { data: Record<string, unknown> };
export type Session = Static<typeof SessionOut>;
export type SessionPage = Static<typeof SessionList>;
export type SessionDetail = Static<typeof SessionDetailOut>;
export type ToolUse = Static<typeof ToolUseOut>;
export type SessionStats = Static<typeof SessionStatsOut>;
