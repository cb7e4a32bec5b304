import type { Limits } from '../../core/config.ts';
import type { GroupCommitWriter } from './group-commit-writer.ts';
import { ForbiddenError, NotFoundError, PayloadTooLargeError, ValidationError, type FieldProblem } from '../../core/app-error.ts';
import type { NormalizedEvent } from './event.ts';
import { normalizeEvent } from './event-normalizer.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { isForeign, type GroupOutcome } from './session-owners.ts';

/**
 * Whose events these are: a token bound to a session writes that session only; one bound
 * to a team writes its team's sessions and new ones, which become its team's. Unbound
 * writers may write any session; a session's team is the one its first event named.
 */
export type WriteScope = ReadScope;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export interface IngestObserver {
  received(count: number): void;
  stored(count: number, duplicates: number): void;
  /** The storage could not store them (unreachable, or refusing the data). */
  failed(count: number): void;
  /** Turned away before the storage was asked: `overloaded`, `shutting_down`, `session_not_found`. */
  rejected(count: number, reason: string): void;
}

// Answers that say nothing about the storage: a storage alert must not fire on them.
const REJECTIONS = new Set(['overloaded', 'shutting_down']);

/**
 * The one write path: HTTP, import and emit all come through here, so validation and
 * idempotency are never written twice.
 */
export class IngestService {
  private readonly writer: GroupCommitWriter;
  private readonly limits: Limits;
  private readonly observer: IngestObserver | undefined;

  constructor(writer: GroupCommitWriter, limits: Limits, observer?: IngestObserver) {
    this.writer = writer;
    this.limits = limits;
    this.observer = observer;
  }

  /** Validates one event; throws ValidationError (400) or PayloadTooLargeError (413). */
  validateOne(raw: unknown, receivedAt = Date.now()): NormalizedEvent {
    const result = normalizeEvent(raw, { receivedAt, limits: this.limits, path: '' });
    if (result.ok) return result.event;
    if (result.tooLarge) throw new PayloadTooLargeError(result.problems[0]!.message, { problems: result.problems });
    throw new ValidationError(result.problems);
  }

  /** Validates a whole batch, reporting every invalid index; a batch is stored whole or not at all. */
  validateBatch(raw: unknown, receivedAt = Date.now()): NormalizedEvent[] {
    if (!Array.isArray(raw)) throw new ValidationError([{ field: '(body)', message: 'must be a JSON array of events' }]);
    if (raw.length > this.limits.maxBatchEvents) {
      throw new PayloadTooLargeError(
        `a batch may hold at most ${this.limits.maxBatchEvents} events (got ${raw.length}); HOOKD_MAX_BATCH_EVENTS`,
        { problems: [{ field: '(body)', message: `too many events: ${raw.length}` }] },
      );
    }
    const events: NormalizedEvent[] = new Array(raw.length);
    const problems: FieldProblem[] = [];
    let tooLarge = false;
    for (let i = 0; i < raw.length; i++) {
      const result = normalizeEvent(raw[i], { receivedAt, limits: this.limits, path: `[${i}]`, index: i });
      if (result.ok) events[i] = result.event;
      else {
        problems.push(...result.problems);
        tooLarge ||= result.tooLarge === true;
      }
    }
    if (problems.length > 0) {
      if (tooLarge && problems.length === 1) throw new PayloadTooLargeError(problems[0]!.message, { problems });
      throw new ValidationError(problems);
    }
    return events;
  }

  /**
   * Stores validated events; resolves only after they are committed. `batch`: name fields
   * by index in errors, as validateBatch does.
   */
  async store(events: NormalizedEvent[], scope: WriteScope = {}, batch = false): Promise<IngestResult> {
    const teamBound = bindToScope(events, scope, batch);
    this.observer?.received(events.length);
    let outcome: GroupOutcome;
    try {
      outcome = await this.writer.submit(events, teamBound);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && REJECTIONS.has(code)) this.observer?.rejected(events.length, code);
      else this.observer?.failed(events.length);
      throw error;
    }
    if (isForeign(outcome)) {
      this.observer?.rejected(events.length, 'session_not_found');
      throw sessionNotFound(events, outcome.foreignAt, batch);
    }
    this.observer?.stored(events.length, outcome);
    return { accepted: events.length, duplicates: outcome };
  }

  ingestOne(raw: unknown, scope: WriteScope = {}): Promise<IngestResult> {
    return this.store([this.validateOne(raw)], scope);
  }

  /** An empty batch stores nothing and is no error: clients flush empty buffers. */
  async ingestBatch(raw: unknown, scope: WriteScope = {}): Promise<IngestResult> {
    const events = this.validateBatch(raw);
    if (events.length === 0) return { accepted: 0, duplicates: 0 };
    return this.store(events, scope, true);
  }
}

/**
 * Applies a bound token's limits before anything is queued; true when the store must
 * also refuse sessions another team owns (only it knows the owners, in the commit).
 */
function bindToScope(events: NormalizedEvent[], scope: WriteScope, batch: boolean): boolean {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (scope.sessionId && e.sessionId !== scope.sessionId) throw sessionNotFound(events, i, batch);
    if (scope.teamId) {
      if (e.teamId !== null && e.teamId !== scope.teamId) {
        throw new ForbiddenError(
          'team_mismatch',
          `${fieldOf('team_id', i, batch)}: this token writes events of team "${scope.teamId}" only`,
        );
      }
      e.teamId = scope.teamId;
    }
  }
  return !!scope.teamId;
}

const fieldOf = (name: string, index: number, batch: boolean) => (batch ? `[${index}].${name}` : name);

/** The answer the session routes give for a session the token may not see. */
function sessionNotFound(events: NormalizedEvent[], index: number, batch: boolean): NotFoundError {
  const field = fieldOf('session_id', index, batch);
  return new NotFoundError(`${field}: session ${events[index]!.sessionId} not found`, 'session_not_found', {
    problems: [{ field, message: 'no session with this id is visible to this token', ...(batch ? { index } : {}) }],
  });
}
