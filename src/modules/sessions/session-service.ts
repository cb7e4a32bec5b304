import { NotFoundError } from '../../errors/app-error.ts';
import type { CanonicalEvent } from '../events/event.ts';
import type { EventQueryService, ReadScope } from '../events/event-query-service.ts';
import type { Session, SessionStore, ToolUse, ToolUseFilter } from './session.ts';

export interface SessionDetail extends Session {
  tool_uses: ToolUse[];
  /** The newest events of the session, newest first. */
  recent_events: CanonicalEvent[];
}

const DETAIL_TOOL_USES = 1000;
const DETAIL_EVENTS = 50;

export class SessionService {
  private readonly store: SessionStore;
  private readonly events: EventQueryService;

  constructor(store: SessionStore, events: EventQueryService) {
    this.store = store;
    this.events = events;
  }

  async get(sessionId: string, scope: ReadScope): Promise<SessionDetail> {
    const session = await this.store.get(sessionId, scope);
    // The same 404 whether the session is missing or belongs to someone else.
    if (!session) throw new NotFoundError(`session ${sessionId} not found`);
    const [toolUses, recent] = await Promise.all([
      this.store.toolUses({ sessionId, limit: DETAIL_TOOL_USES }, scope),
      this.events.list({ session_id: sessionId, limit: DETAIL_EVENTS }, scope),
    ]);
    return { ...session, tool_uses: toolUses, recent_events: recent.items };
  }

  toolUses(filter: ToolUseFilter, scope: ReadScope): Promise<ToolUse[]> {
    return this.store.toolUses(filter, scope);
  }
}
