import { NotFoundError, ValidationError } from '../../core/app-error.ts';
import { parseTime } from '../../core/parse-time.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../core/time-cursor.ts';
import type { CanonicalEvent } from '../events/event.ts';
import type { EventQueryService } from '../events/event-query-service.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import { subagentTree, type Subagent } from './subagent-tree.ts';
import type { PromptUsage, Session, SessionFilter, SessionTask, SessionStatus, SessionStore, ToolUse, ToolUseFilter } from './session.ts';

export interface SessionQuery {
  status?: SessionStatus;
  project?: string;
  source?: string;
  git_branch?: string;
  model?: string;
  /** Start time, ISO-8601 or epoch ms: `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
  /** Only sessions with (true) or without (false) a failed tool call. */
  has_failures?: boolean;
  limit?: number;
  cursor?: string;
}

export interface SessionList {
  items: Session[];
  next_cursor: string | null;
}

export interface SessionDetail extends Session {
  tool_uses: ToolUse[];
  /** The session's subagents, each under the call (and agent) that started it. */
  agents: Subagent[];
  /** Its counted token usage per prompt and model. */
  usage: PromptUsage[];
  /** The tasks its events named. */
  tasks: SessionTask[];
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
    if (query.git_branch !== undefined) filter.gitBranch = query.git_branch;
    if (query.model !== undefined) filter.model = query.model;
    if (query.from !== undefined) filter.from = parseTime(query.from, 'from');
    if (query.to !== undefined) filter.to = parseTime(query.to, 'to');
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw new ValidationError([{ field: 'from', message: 'must not be after `to`' }]);
    }
    if (query.has_failures !== undefined) filter.hasFailures = query.has_failures;
    if (query.cursor !== undefined) {
      const { at, id } = decodeTimeCursor(query.cursor);
      filter.after = { lastActivityAt: at, sessionId: id };
    }
    await this.deriver.catchUp();
    const rows = await this.store.list(filter, scope);
    const more = rows.length > filter.limit;
    const items = more ? rows.slice(0, filter.limit) : rows;
    const last = items[items.length - 1];
    return {
      items,
      next_cursor: more && last ? encodeTimeCursor({ at: Date.parse(last.last_activity_at), id: last.session_id }) : null,
    };
  }

  async get(sessionId: string, scope: ReadScope): Promise<SessionDetail> {
    await this.deriver.catchUp();
    const session = await this.store.get(sessionId, scope);
    // The same 404 whether the session is missing or belongs to someone else.
    if (!session) throw new NotFoundError(`session ${sessionId} not found`);
    const [toolUses, agents, usage, tasks, recent] = await Promise.all([
      this.store.toolUses({ sessionId, limit: DETAIL_TOOL_USES }, scope),
      this.store.agents(sessionId, scope),
      this.store.usage(sessionId, scope),
      this.store.tasks(sessionId, scope),
      this.events.list({ session_id: sessionId, limit: DETAIL_EVENTS }, scope),
    ]);
    return { ...session, tool_uses: toolUses, agents: subagentTree(agents, toolUses), usage, tasks, recent_events: recent.items };
  }

  async toolUses(filter: ToolUseFilter, scope: ReadScope): Promise<ToolUse[]> {
    await this.deriver.catchUp();
    return this.store.toolUses(filter, scope);
  }
}
