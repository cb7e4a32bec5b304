import type { Limits } from '../../config/config.ts';
import type { GroupCommitWriter } from '../../db/group-commit-writer.ts';
import { PayloadTooLargeError, ValidationError, type FieldProblem } from '../../errors/app-error.ts';
import type { NormalizedEvent } from './event.ts';
import { normalizeEvent } from './event-normalizer.ts';

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

export interface IngestObserver {
  received(count: number): void;
  stored(count: number, duplicates: number): void;
  failed(count: number): void;
}

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
    if (raw.length === 0) throw new ValidationError([{ field: '(body)', message: 'must hold at least one event' }]);
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

  /** Stores validated events; resolves only after they are committed. */
  async store(events: NormalizedEvent[]): Promise<IngestResult> {
    this.observer?.received(events.length);
    try {
      const duplicates = await this.writer.submit(events);
      this.observer?.stored(events.length, duplicates);
      return { accepted: events.length, duplicates };
    } catch (error) {
      this.observer?.failed(events.length);
      throw error;
    }
  }

  ingestOne(raw: unknown): Promise<IngestResult> {
    return this.store([this.validateOne(raw)]);
  }

  ingestBatch(raw: unknown): Promise<IngestResult> {
    return this.store(this.validateBatch(raw));
  }
}
