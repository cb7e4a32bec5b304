import { ConflictError, NotFoundError, ValidationError } from '../../core/app-error.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import type { NormalizedEvent } from '../events/event.ts';
import type { IngestService } from '../events/ingest-service.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import type { SessionMaintenanceStore } from './session-maintenance.ts';
import { visible, type Session, type SessionStore } from './session.ts';

/** What a client may say about a session (the names of the sessions API). */
export interface SessionFields {
  source?: string;
  project?: string;
  cwd?: string;
  git_branch?: string;
  terminal?: string;
  user?: string;
  host?: string;
  team_id?: string;
  model?: string;
  permission_mode?: string;
}

export interface NewSession extends SessionFields {
  session_id: string;
  /** ISO-8601; the time of the session_started event, else now. */
  started_at?: string;
}

/** Whose writes these are: a team- or session-bound token narrows them as it narrows reads. */
export type WriteScope = ReadScope;

/** Event types of the explicit operations; the first and last are the hooks' own names. */
export const SESSION_EVENT_TYPES = {
  create: 'session_started',
  update: 'session_updated',
  activity: 'session_activity',
  idle: 'session_idle',
  end: 'session_ended',
} as const;

export const API_SOURCE = 'api';
export const DEFAULT_END_REASON = 'api';
// A fixed id makes two racing creates of one session the same event: exactly one is new.
const CREATE_EVENT_ID = 'hookd:session-create';

/**
 * Explicit session operations (seed 003's create, upsert, touch, idle, end). Each is
 * recorded as an event through the one ingest path, so the derived row changes by the same
 * rules as for hooks and a rebuild from the events reproduces it; the reply reads the row
 * back once the event is committed.
 */
export class SessionOperationService {
  private readonly ingest: IngestService;
  private readonly sessions: SessionStore;
  private readonly maintenance: SessionMaintenanceStore;
  private readonly deriver: SessionDeriver;

  constructor(ingest: IngestService, sessions: SessionStore, maintenance: SessionMaintenanceStore, deriver: SessionDeriver) {
    this.ingest = ingest;
    this.sessions = sessions;
    this.maintenance = maintenance;
    this.deriver = deriver;
  }

  /** The session row with every event committed so far derived into it. */
  private async current(id: string, scope: WriteScope): Promise<Session | null> {
    await this.deriver.catchUp();
    return this.sessions.get(id, scope);
  }

  /** Creates a session; 409 when it exists already (PUT updates one). */
  async create(input: NewSession, scope: WriteScope): Promise<Session> {
    const id = input.session_id;
    const event = this.event(id, SESSION_EVENT_TYPES.create, input, scope, { eventId: CREATE_EVENT_ID, timestamp: input.started_at });
    if (scope.sessionId && scope.sessionId !== id) throw notFound(id);
    const exists = () => new ConflictError('session_exists', `session ${id} already exists; PUT /sessions/{id} updates it`);
    const existing = await this.current(id, {});
    // Another team's session is reported as missing, as the ingest path would.
    if (existing && !visible(existing as unknown as Record<string, unknown>, scope)) throw notFound(id);
    if (existing) throw exists();
    const result = await this.ingest.store([event], scope);
    if (result.duplicates > 0) throw exists();
    return this.readBack(id);
  }

  /** Creates the session or updates the fields given; fields left out keep their value. */
  async upsert(id: string, fields: SessionFields, scope: WriteScope): Promise<{ session: Session; created: boolean }> {
    let event = this.event(id, SESSION_EVENT_TYPES.update, fields, scope);
    if (scope.sessionId && scope.sessionId !== id) throw notFound(id);
    const existing = await this.current(id, {});
    // Another team's session is reported as missing, and not taken over.
    if (existing && !visible(existing as unknown as Record<string, unknown>, scope)) throw notFound(id);
    // The first write fixed the team (session-owners.ts): saying another is a mistake to report, not to ignore.
    if (existing && fields.team_id !== undefined && fields.team_id !== existing.team_id) {
      throw new ConflictError(
        'session_team_fixed',
        `session ${id} belongs to ${existing.team_id === null ? 'no team' : `team "${existing.team_id}"`}; a session's team never changes`,
      );
    }
    // The derivation takes a project from a cwd that comes without one; a project left out keeps its value.
    if (existing?.project && fields.cwd !== undefined && fields.project === undefined) {
      event = this.event(id, SESSION_EVENT_TYPES.update, { ...fields, project: existing.project }, scope);
    }
    await this.ingest.store([event], scope);
    return { session: await this.readBack(id), created: existing === null };
  }

  /** Records activity now: last activity moves, idleness ends (and a stale end reopens). */
  async touch(id: string, scope: WriteScope): Promise<Session> {
    return this.record(this.event(id, SESSION_EVENT_TYPES.activity, {}, scope), scope);
  }

  async setIdle(id: string, idle: boolean, scope: WriteScope): Promise<Session> {
    return this.record(this.event(id, SESSION_EVENT_TYPES.idle, {}, scope, { data: { idle } }), scope);
  }

  async end(id: string, reason: string, scope: WriteScope): Promise<Session> {
    return this.record(this.event(id, SESSION_EVENT_TYPES.end, {}, scope, { data: { reason } }), scope);
  }

  /** Removes the session with its tool uses and events; 404 when there is nothing to remove. */
  async delete(id: string, scope: WriteScope): Promise<void> {
    // A bound token acts only on what it can see; an unbound one may also clear events
    // whose session row is gone.
    this.checkId(id);
    if (scope.teamId || scope.sessionId) await this.existing(id, scope);
    if (!(await this.maintenance.delete(id))) throw notFound(id);
  }

  /** Refuses an id no event could carry (NUL, too long) before it reaches a query. */
  private checkId(id: string): void {
    this.event(id, SESSION_EVENT_TYPES.activity, {}, {});
  }

  /** Stores an operation's event on an existing session and returns the session after it. */
  private async record(event: NormalizedEvent, scope: WriteScope): Promise<Session> {
    await this.existing(event.sessionId, scope);
    await this.ingest.store([event], scope);
    return this.readBack(event.sessionId);
  }

  private async existing(id: string, scope: WriteScope): Promise<Session> {
    const session = scope.sessionId && scope.sessionId !== id ? null : await this.current(id, scope);
    if (!session) throw notFound(id);
    return session;
  }

  private async readBack(id: string): Promise<Session> {
    const session = await this.current(id, {});
    // Only a delete racing this request gets here.
    if (!session) throw notFound(id);
    return session;
  }

  /**
   * The operation's event, validated by the one event validator before anything is read,
   * so a bad id or value is a 400 naming the field rather than a query the storage refuses.
   */
  private event(
    id: string,
    eventType: string,
    fields: SessionFields,
    scope: WriteScope,
    extra: { eventId?: string; timestamp?: string | undefined; data?: Record<string, unknown> } = {},
  ): NormalizedEvent {
    const data: Record<string, unknown> = { ...extra.data };
    for (const key of ['cwd', 'model', 'permission_mode'] as const) if (fields[key] !== undefined) data[key] = fields[key];
    // Project, branch and terminal go where `hookd emit` puts them, which the derivation
    // (and every capture mode) already reads.
    const context: Record<string, string> = {};
    for (const key of ['project', 'git_branch', 'terminal'] as const) if (fields[key] !== undefined) context[key] = fields[key];
    if (Object.keys(context).length > 0) data._hookd = context;
    const raw: Record<string, unknown> = {
      event_type: eventType,
      session_id: id,
      source: fields.source ?? API_SOURCE,
      // A team-bound token decides the team, as on the hook routes.
      team_id: scope.teamId ?? fields.team_id,
      user: fields.user,
      host: fields.host,
      timestamp: extra.timestamp,
      event_id: extra.eventId,
      data,
    };
    try {
      return this.ingest.validateOne(raw);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(error.problems.map((p) => ({ ...p, field: apiField(p.field) })));
    }
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`session ${id} not found`, 'session_not_found');
}

/** The normalizer names fields of the event it was given; the client sent the session's. */
function apiField(field: string): string {
  if (field === 'timestamp') return 'started_at';
  return field.replace(/^data\._hookd\./, '').replace(/^data\./, '');
}
