import { wellFormedValue } from '../../core/json-guard.ts';
import { AppError, ConflictError, ForbiddenError, ValidationError, type FieldProblem } from '../../core/app-error.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { isObject, pointer, type ValidationProblem } from '../rules/problem-list.ts';
import type { StoredTeam, TeamStore } from './team.ts';
import { defaultTeamConfiguration, validateTeamConfiguration, type TeamConfiguration } from './team-configuration.ts';

/** GET /teams/{team_id}/configuration: the saved configuration, or the default one (revision 0). */
export interface TeamView {
  team_id: string;
  enabled: boolean;
  revision: number;
  is_default: boolean;
  configuration: TeamConfiguration;
  created_at: string | null;
  updated_at: string | null;
  /** What a save let through but may not work as meant (a channel that does not exist yet); empty on reads. */
  warnings: FieldProblem[];
}

/** The ids of the channels a team's rules may send to: its own and the installation's. */
export type KnownChannels = (teamId: string) => Promise<ReadonlySet<string>>;

export interface TeamSummary {
  team_id: string;
  team_name: string | null;
  enabled: boolean;
  revision: number;
  rules: number;
  enabled_rules: number;
  updated_at: string;
}

export interface TeamSaveInput {
  configuration: unknown;
  /** Save only if the stored revision is still this one (0: only if none is saved yet). */
  revision?: number;
  enabled?: boolean;
}

/** Largest configuration kept, as JSON: a team's rules, not a data store. */
export const MAX_CONFIGURATION_BYTES = 1024 * 1024;

/**
 * Team configurations (seed 000): channels, notification preferences, claims and rules.
 * Every save is validated whole (each problem with its JSON path) and counted in
 * `revision`; a token bound to a team reads and writes that team only.
 */
export class TeamService {
  private readonly store: TeamStore;
  private readonly knownChannels: KnownChannels;
  private readonly now: () => number;

  constructor(store: TeamStore, knownChannels: KnownChannels, now: () => number = Date.now) {
    this.store = store;
    this.knownChannels = knownChannels;
    this.now = now;
  }

  async get(teamId: string, scope: ReadScope = {}): Promise<TeamView> {
    ownTeam(teamId, scope);
    const team = await this.store.get(teamId);
    if (team) return view(team);
    return {
      team_id: teamId,
      enabled: true,
      revision: 0,
      is_default: true,
      configuration: defaultTeamConfiguration(),
      created_at: null,
      updated_at: null,
      warnings: [],
    };
  }

  async list(scope: ReadScope = {}): Promise<{ items: TeamSummary[] }> {
    const teams = await this.store.list();
    return { items: teams.filter((t) => !scope.teamId || t.teamId === scope.teamId).map(summary) };
  }

  async save(teamId: string, input: TeamSaveInput, scope: ReadScope = {}): Promise<TeamView> {
    ownTeam(teamId, scope);
    const text = JSON.stringify(input.configuration) ?? '';
    if (Buffer.byteLength(text) > MAX_CONFIGURATION_BYTES) {
      throw new ValidationError([{ field: 'configuration', message: `is larger than ${MAX_CONFIGURATION_BYTES} bytes as JSON` }], 413);
    }
    // PostgreSQL's jsonb cannot hold NUL; both dialects refuse it alike.
    if (text.includes('\\u0000')) throw new ValidationError([{ field: 'configuration', message: 'must not contain NUL characters' }]);
    // Lone surrogates become U+FFFD, as in event data: PostgreSQL's jsonb refuses them.
    const document = wellFormedValue(input.configuration);
    const checked = validateTeamConfiguration(document);
    if (!checked.ok) throw configurationProblems(checked.problems);
    const current = await this.store.get(teamId);
    const enabled = input.enabled ?? current?.enabled ?? true;
    if (enabled) await this.checkClaims(teamId, checked.value);
    const saved = await this.write(teamId, checked.value, enabled, input.revision, current);
    return { ...saved, warnings: await this.channelWarnings(teamId, document) };
  }

  /** Enables or disables a team's rules; a team without a configuration gets the default one. */
  async setEnabled(teamId: string, enabled: boolean, revision: number | undefined, scope: ReadScope = {}): Promise<TeamView> {
    ownTeam(teamId, scope);
    const current = await this.store.get(teamId);
    const configuration = current?.configuration ?? defaultTeamConfiguration();
    if (enabled) await this.checkClaims(teamId, configuration);
    return this.write(teamId, configuration, enabled, revision ?? current?.revision ?? 0, current);
  }

  private async write(
    teamId: string,
    configuration: TeamConfiguration,
    enabled: boolean,
    expected: number | undefined,
    current: StoredTeam | null,
  ): Promise<TeamView> {
    const now = this.now();
    const save = { teamId, configuration, enabled, now, ...(expected === undefined ? {} : { expectedRevision: expected }) };
    const revision = await this.store.save(save);
    if (revision === null) {
      const stored = await this.store.get(teamId);
      throw new ConflictError(
        'revision_conflict',
        `team "${teamId}" is at revision ${stored?.revision ?? 0}, not ${expected}: read it again and apply your change to that`,
      );
    }
    return view({ teamId, configuration, enabled, revision, createdAt: current?.createdAt ?? now, updatedAt: now });
  }

  /**
   * The channel ids the configuration names (rules' `channels`, `default_channels` values)
   * that are not channels of the team or the installation: saved all the same (the channel
   * may be added next), but their notifications would wait for it and then die. Paths are
   * those of the document as sent.
   */
  private async channelWarnings(teamId: string, document: unknown): Promise<FieldProblem[]> {
    if (!isObject(document)) return [];
    const named: { path: string; channel: string }[] = [];
    if (Array.isArray(document.rules)) {
      for (const [i, rule] of document.rules.entries()) {
        if (!isObject(rule) || !Array.isArray(rule.channels)) continue;
        const seen = new Set<string>();
        for (const [j, channel] of rule.channels.entries()) {
          if (typeof channel !== 'string' || seen.has(channel)) continue;
          seen.add(channel);
          named.push({ path: pointer(pointer(pointer('/rules', i), 'channels'), j), channel });
        }
      }
    }
    if (isObject(document.default_channels)) {
      for (const [kind, channel] of Object.entries(document.default_channels)) {
        if (typeof channel === 'string') named.push({ path: pointer('/default_channels', kind), channel });
      }
    }
    if (named.length === 0) return [];
    const known = await this.knownChannels(teamId);
    return named
      .filter((n) => !known.has(n.channel))
      .map((n) => ({ field: fieldOf(n.path), message: `no channel "${n.channel}" exists (yet): its notifications would wait, then die` }));
  }

  /** Two enabled teams claiming one project or source would make an event's team a coin toss. */
  private async checkClaims(teamId: string, configuration: TeamConfiguration): Promise<void> {
    const projects = new Set(configuration.claims?.projects ?? []);
    const sources = new Set(configuration.claims?.sources ?? []);
    if (projects.size === 0 && sources.size === 0) return;
    for (const other of await this.store.list()) {
      if (other.teamId === teamId || !other.enabled) continue;
      const project = other.configuration.claims?.projects?.find((p) => projects.has(p));
      const source = other.configuration.claims?.sources?.find((s) => sources.has(s));
      if (project !== undefined || source !== undefined) {
        const what = project !== undefined ? `project "${project}"` : `source "${source}"`;
        throw new AppError('claim_conflict', `team "${other.teamId}" already claims ${what}; an event belongs to one team`, 409, {
          team_id: other.teamId,
        });
      }
    }
  }
}

/** The validator's JSON Pointers (`/rules/2/name`) as the API's field paths (`configuration.rules[2].name`). */
export function configurationProblems(problems: readonly ValidationProblem[]): ValidationError {
  return new ValidationError(problems.map((p) => ({ field: fieldOf(p.path), message: p.message })));
}

const fieldOf = (path: string) => `configuration${path.replaceAll('/', '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]')}`;

function ownTeam(teamId: string, scope: ReadScope): void {
  if (scope.teamId && scope.teamId !== teamId)
    throw new ForbiddenError('team_mismatch', `this token works with team "${scope.teamId}" only`);
}

const iso = (ms: number) => new Date(ms).toISOString();

function view(t: StoredTeam): TeamView {
  return {
    team_id: t.teamId,
    enabled: t.enabled,
    revision: t.revision,
    is_default: false,
    configuration: t.configuration,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
    warnings: [],
  };
}

function summary(t: StoredTeam): TeamSummary {
  const rules = t.configuration.rules ?? [];
  return {
    team_id: t.teamId,
    team_name: t.configuration.team_name ?? null,
    enabled: t.enabled,
    revision: t.revision,
    rules: rules.length,
    enabled_rules: rules.filter((r) => r.enabled !== false).length,
    updated_at: iso(t.updatedAt),
  };
}
