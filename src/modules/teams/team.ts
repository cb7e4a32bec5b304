import type { TeamConfiguration } from './team-configuration.ts';

/** A team's saved configuration (seed 000's team_hook_configurations), times in epoch ms. */
export interface StoredTeam {
  teamId: string;
  configuration: TeamConfiguration;
  enabled: boolean;
  /** Counts saves and enable/disable; 1 after the first save. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** What a rules pass compares with its cache to know which teams to compile again. */
export interface TeamRevision {
  teamId: string;
  revision: number;
}

export interface TeamSave {
  teamId: string;
  configuration: TeamConfiguration;
  enabled: boolean;
  /**
   * Saves only if the stored revision is this one (0: only if the team has none yet);
   * undefined saves whatever is stored.
   */
  expectedRevision?: number;
  now: number;
}

export interface TeamStore {
  get(teamId: string): Promise<StoredTeam | null>;
  /** Every saved team, by team id. */
  list(): Promise<StoredTeam[]>;
  /** The new revision, or null when `expectedRevision` did not match what is stored. */
  save(save: TeamSave): Promise<number | null>;
  revisions(): Promise<TeamRevision[]>;
}
