import type { CanonicalEvent } from '../events/event.ts';
import type { Session } from '../sessions/session.ts';
import type { StoredTeam, TeamStore } from '../teams/team.ts';
import { compileRules, type CompiledRuleSet } from '../rules/rule-compiler.ts';
import { NO_BATCHING, policyFromPreferences, type BatchPolicy, type PolicyOf } from '../notifications/batching.ts';
import { DEFAULT_TEAM_CONFIGURATION } from '../teams/team-configuration.ts';

/**
 * The installation's team: its rules apply to every event, of any team or none, as well as
 * the event's own team's (`hookd notify setup` writes one person's preset there), and its
 * notification preferences to what they send.
 */
export const INSTALLATION_TEAM = 'installation';

/** A team's rules as a pass uses them: compiled once per configuration revision. */
export interface CompiledTeam {
  teamId: string;
  revision: number;
  enabled: boolean;
  rules: CompiledRuleSet;
  ruleCount: number;
  projects: readonly string[];
  sources: readonly string[];
  /** Event kind -> channel id, for a firing rule that names no channel. */
  defaultChannels: Readonly<Record<string, string>>;
  /** Digests and quiet hours, from its notification_preferences. */
  batchPolicy: BatchPolicy;
}

/**
 * Every team's compiled rules, refreshed from the store's revisions before each pass: a save
 * in any process (or the CLI) reaches the next pass, and an unchanged team is not compiled
 * again. Also answers which team an event belongs to.
 */
export class TeamRules {
  private readonly store: TeamStore;
  private teams = new Map<string, CompiledTeam>();
  private byProject = new Map<string, CompiledTeam>();
  private bySource = new Map<string, CompiledTeam>();

  constructor(store: TeamStore) {
    this.store = store;
  }

  /** True when some enabled team has an enabled rule: otherwise no event needs reading. */
  get anyRules(): boolean {
    for (const team of this.teams.values()) if (team.enabled && team.ruleCount > 0) return true;
    return false;
  }

  async refresh(): Promise<void> {
    const revisions = await this.store.revisions();
    const stale = revisions.length !== this.teams.size || revisions.some((r) => this.teams.get(r.teamId)?.revision !== r.revision);
    if (!stale) return;
    const next = new Map<string, CompiledTeam>();
    for (const team of await this.store.list()) {
      const known = this.teams.get(team.teamId);
      next.set(team.teamId, known && known.revision === team.revision ? known : compileTeam(team));
    }
    this.teams = next;
    // Saves refuse two enabled teams claiming one project or source; should two still meet
    // (saved concurrently), the first team id wins, the same in every process.
    this.byProject = new Map();
    this.bySource = new Map();
    for (const team of [...next.values()].sort((a, b) => (a.teamId < b.teamId ? -1 : 1))) {
      if (!team.enabled) continue;
      for (const p of team.projects) if (!this.byProject.has(p)) this.byProject.set(p, team);
      for (const s of team.sources) if (!this.bySource.has(s)) this.bySource.set(s, team);
    }
  }

  /** The installation's team when it has enabled rules to run on every event. */
  installation(): CompiledTeam | undefined {
    const team = this.teams.get(INSTALLATION_TEAM);
    return team?.enabled && team.ruleCount > 0 ? team : undefined;
  }

  /** The saved team by id (enabled or not), or undefined. */
  team(teamId: string): CompiledTeam | undefined {
    return this.teams.get(teamId);
  }

  /**
   * The event's team: its own team_id, else its session's, else the team claiming the
   * session's project, else the one claiming its source. Null when none applies.
   */
  teamIdOf(event: CanonicalEvent, session: Session | null): string | null {
    const own = event.team_id ?? session?.team_id ?? null;
    if (own !== null) return own;
    const project = session?.project;
    return (project ? this.byProject.get(project) : undefined)?.teamId ?? this.bySource.get(event.source)?.teamId ?? null;
  }
}

export function compileTeam(team: Pick<StoredTeam, 'teamId' | 'revision' | 'enabled' | 'configuration'>): CompiledTeam {
  const rules = team.configuration.rules ?? [];
  return {
    teamId: team.teamId,
    revision: team.revision,
    enabled: team.enabled,
    rules: compileRules(rules),
    ruleCount: rules.filter((r) => r.enabled !== false).length,
    projects: team.configuration.claims?.projects ?? [],
    sources: team.configuration.claims?.sources ?? [],
    defaultChannels: team.configuration.default_channels ?? {},
    batchPolicy: policyFromPreferences(team.configuration.notification_preferences ?? DEFAULT_TEAM_CONFIGURATION.notification_preferences),
  };
}

/**
 * Each team's digest and quiet-hours policy for the notification worker, refreshed from the
 * teams' revisions before each round (one small read), so a save applies to the next
 * notification batched. Notifications of no team are not held.
 */
export function batchPolicies(teams: TeamRules): () => Promise<PolicyOf> {
  const policyOf: PolicyOf = (teamId) => (teamId === null ? undefined : teams.team(teamId))?.batchPolicy ?? NO_BATCHING;
  return async () => {
    await teams.refresh();
    return policyOf;
  };
}
