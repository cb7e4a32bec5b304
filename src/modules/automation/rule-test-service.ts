import type { Limits } from '../../core/config.ts';
import { ValidationError } from '../../core/app-error.ts';
import { normalizeEvent } from '../events/event-normalizer.ts';
import { canonicalFromRow, type CanonicalEvent } from '../events/event.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { canonicalFromHook } from '../hooks/hook-adapter.ts';
import type { Session, SessionStore } from '../sessions/session.ts';
import { configurationProblems, type TeamService } from '../teams/team-service.ts';
import { validateTeamConfiguration } from '../teams/team-configuration.ts';
import { compileTeam, type TeamRules } from './team-rules.ts';
import type { GroupExplanation, RuleExplanation } from '../rules/rule-explanation.ts';
import type { ValidationProblem } from '../rules/problem-list.ts';

export interface RuleTestInput {
  /** The team whose rules to try; default: the event's team as a pass would find it. */
  team_id?: string;
  /** Try this configuration instead of the saved one (nothing is saved). */
  configuration?: unknown;
  /** A canonical event (event_type, session_id, data, ...) or an agent's raw hook payload. */
  event: unknown;
  /** The session the rules see; default: the stored session of the event's session_id. */
  session?: Record<string, unknown>;
}

export interface RuleTestResult {
  team_id: string | null;
  /** The configuration tried: its revision, 0 for the default one, null for one sent with the request. */
  revision: number | null;
  enabled: boolean;
  event: CanonicalEvent;
  fired: string[];
  rules: RuleVerdict[];
}

/** One rule's verdict, in the API's names. */
export interface RuleVerdict {
  rule_id: string;
  name: string;
  enabled: boolean;
  /** Whether the event is one of the rule's hook_types (always true without any). */
  hook_type_matched: boolean;
  fired: boolean;
  conditions: GroupExplanation | null;
  problems?: ValidationProblem[];
  error?: string;
}

function verdict(e: RuleExplanation): RuleVerdict {
  const out: RuleVerdict = {
    rule_id: e.ruleId,
    name: e.name,
    enabled: e.enabled,
    hook_type_matched: e.hookTypeMatched,
    fired: e.fired,
    conditions: e.conditions,
  };
  if (e.problems) out.problems = e.problems;
  if (e.error !== undefined) out.error = e.error;
  return out;
}

/**
 * `POST /rules/test` and `hookd rules test`: which rules an event fires and why each
 * condition did or did not match, with the same compiler, team resolution and event
 * normalization as the passes. Nothing is stored.
 */
export class RuleTestService {
  private readonly teams: TeamService;
  private readonly teamRules: TeamRules;
  private readonly sessions: SessionStore;
  private readonly limits: Limits;

  constructor(teams: TeamService, teamRules: TeamRules, sessions: SessionStore, limits: Limits) {
    this.teams = teams;
    this.teamRules = teamRules;
    this.sessions = sessions;
    this.limits = limits;
  }

  async test(input: RuleTestInput, scope: ReadScope = {}): Promise<RuleTestResult> {
    const event = canonicalOf(input.event, this.limits);
    const session = (input.session as Session | undefined) ?? (await this.sessions.get(event.session_id, scope));
    await this.teamRules.refresh();
    const teamId = input.team_id ?? scope.teamId ?? this.teamRules.teamIdOf(event, session);
    let team: ReturnType<typeof compileTeam>;
    let revision: number | null;
    let enabled = true;
    if (input.configuration !== undefined) {
      const checked = validateTeamConfiguration(input.configuration);
      if (!checked.ok) throw configurationProblems(checked.problems);
      team = compileTeam({ teamId: teamId ?? '', revision: 0, enabled: true, configuration: checked.value });
      revision = null;
    } else if (teamId !== null) {
      const saved = await this.teams.get(teamId, scope);
      team = compileTeam({ teamId, revision: saved.revision, enabled: saved.enabled, configuration: saved.configuration });
      revision = saved.revision;
      enabled = saved.enabled;
    } else {
      return { team_id: null, revision: null, enabled: false, event, fired: [], rules: [] };
    }
    const rules = team.rules.explain({ event, session }).map(verdict);
    return { team_id: teamId, revision, enabled, event, fired: enabled ? rules.filter((r) => r.fired).map((r) => r.rule_id) : [], rules };
  }
}

/** The event as a pass would see it once stored: normalized (capture policy applied) and read back. */
export function canonicalOf(raw: unknown, limits: Limits): CanonicalEvent {
  const body = raw as Record<string, unknown> | null;
  const isHook = typeof body === 'object' && body !== null && body.event_type === undefined && body.hook_event_name !== undefined;
  const wire = isHook ? canonicalFromHook(body, { source: typeof body.source === 'string' ? body.source : 'claude-code' }) : raw;
  const result = normalizeEvent(wire, { receivedAt: Date.now(), limits, path: 'event' });
  if (!result.ok) throw new ValidationError(result.problems);
  const e = result.event;
  const row = {
    event_id: e.eventId,
    session_id: e.sessionId,
    event_type: e.eventType,
    source: e.source,
    workflow_id: e.workflowId,
    phase_id: e.phaseId,
    milestone_id: e.milestoneId,
    team_id: e.teamId,
    task_id: e.taskId,
    user: e.user,
    host: e.host,
  };
  return canonicalFromRow(row, e.ts, e.receivedAt, JSON.parse(e.dataJson) as Record<string, unknown>);
}
