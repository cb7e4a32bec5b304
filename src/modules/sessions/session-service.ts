import { NotFoundError, ValidationError } from '../../core/app-error.ts';
import type { CanonicalEvent } from '../events/event.ts';
import type { EventQueryService } from '../events/event-query-service.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import type { Session, SessionFilter, SessionStatus, SessionStore, ToolUse, ToolUseFilter } from './session.ts';

export interface SessionQuery {
  status?: SessionStatus;
  project?: string;
  source?: string;
  limit?: number;
  cursor?: string;
}

export interface SessionList {
  items: Session[];
  next_cursor: string | null;
}

export interface SessionDetail extends Session {
  tool_uses: ToolUse[];
  /** The newest events of the session, newest first. */
  recent_events: CanonicalEvent[];
}

const DETAIL_TOOL_USES = 1000;
export const MAX_SESSIONS = 500;
const DETAIL_EVENTS = 50;

/** Reads of the derived session rows; each waits for the events committed before it to be derived. */
export class SessionService {
  private readonly store: SessionStore;
  private readonly events: EventQueryService;
  private readonly deriver: SessionDeriver;

  constructor(store: SessionStore, events: EventQueryService, deriver: SessionDeriver) {
    this.store = store;
    this.events = events;
    this.deriver = deriver;
  }

  async list(query: SessionQuery, scope: ReadScope): Promise<SessionList> {
    const filter: SessionFilter = { limit: Math.min(query.limit ?? 50, MAX_SESSIONS) };
    if (query.status !== undefined) filter.status = query.status;
    if (query.project !== undefined) filter.project = query.project;
    if (query.source !== undefined) filter.source = query.source;
    if (query.cursor !== undefined) filter.after = decodeSessionCursor(query.cursor);
    await this.deriver.catchUp();
    const rows = await this.store.list(filter, scope);
    const more = rows.length > filter.limit;
    const items = more ? rows.slice(0, filter.limit) : rows;
    const last = items[items.length - 1];
    return {
      items,
      next_cursor: more && last ? encodeSessionCursor(Date.parse(last.last_activity_at), last.session_id) : null,
    };
  }

  async get(sessionId: string, scope: ReadScope): Promise<SessionDetail> {
    await this.deriver.catchUp();
    const session = await this.store.get(sessionId, scope);
    // The same 404 whether the session is missing or belongs to someone else.
    if (!session) throw new NotFoundError(`session ${sessionId} not found`);
    const [toolUses, recent] = await Promise.all([
      this.store.toolUses({ sessionId, limit: DETAIL_TOOL_USES }, scope),
      this.events.list({ session_id: sessionId, limit: DETAIL_EVENTS }, scope),
    ]);
    return { ...session, tool_uses: toolUses, recent_events: recent.items };
  }

  async toolUses(filter: ToolUseFilter, scope: ReadScope): Promise<ToolUse[]> {
    await this.deriver.catchUp();
    return this.store.toolUses(filter, scope);
  }
}

function encodeSessionCursor(lastActivityAt: number, sessionId: string): string {
  return Buffer.from(JSON.stringify([lastActivityAt, sessionId])).toString('base64url');
}

function decodeSessionCursor(cursor: string): { lastActivityAt: number; sessionId: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && Number.isInteger(value[0]) && typeof value[1] === 'string') {
      return { lastActivityAt: value[0] as number, sessionId: value[1] };
    }
  } catch {
    // Reported below, the same as a well-formed cursor of the wrong shape.
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor hookd issued' }]);
}
