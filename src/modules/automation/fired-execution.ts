import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '../events/event.ts';
import type { Execution } from '../executions/execution.ts';
import type { Session } from '../sessions/session.ts';
import type { FiredRule } from '../rules/rule.ts';

/** hook_type of the executions hookd's own rules record. */
export const RULE_HOOK_TYPE = 'rule';

/**
 * The execution a rule that fired is recorded as. Its id comes from the team, rule and event,
 * so a replay (a batch evaluated again after a crash between evaluation and commit, or a
 * rebuild) finds it stored and inserts nothing. It is SUCCESS at once: the rule ran and
 * decided; delivering a notification is the outbox's work, recorded on the execution then.
 */
export function firedExecution(
  fired: FiredRule,
  team: { teamId: string; revision: number },
  event: CanonicalEvent,
  session: Session | null,
  now: number,
  evaluationMs: number,
): Execution {
  // A rule that fires once per session has one execution per session: a later firing makes
  // the same id, which the stores insert nothing for, nor for its notifications.
  const once = fired.rule.once_per_session === true;
  const key = JSON.stringify(
    once ? [team.teamId, fired.ruleId, event.session_id] : [team.teamId, fired.ruleId, event.session_id, event.event_id],
  );
  // Led by the time the event was stored, the order passes take events in, so a pass's
  // inserts land together at the end of the primary key (SQLite keeps whole rows in it)
  // instead of at random pages: with a bare hash, a pass's commit dirtied about a page per
  // execution, and writing those pages was nearly all of its time. The event's own time is
  // no better when many events share it (an import, a fixed clock): the hash then orders
  // them again.
  const at = once ? 'once' : Date.parse(event.received_at).toString(16).padStart(12, '0');
  return {
    executionId: `rule-${at}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`,
    hookId: fired.ruleId,
    hookType: RULE_HOOK_TYPE,
    teamId: team.teamId,
    eventType: event.event_type,
    eventId: event.event_id,
    ticketKey: null,
    projectKey: session?.project ?? null,
    status: 'SUCCESS',
    startedAt: now,
    completedAt: now,
    executionTimeMs: evaluationMs,
    notificationSent: false,
    notificationResult: null,
    errors: [],
    metadata: {
      rule_name: fired.name,
      session_id: event.session_id,
      source: event.source,
      event_timestamp: event.timestamp,
      configuration_revision: team.revision,
    },
    createdAt: now,
    updatedAt: now,
  };
}
