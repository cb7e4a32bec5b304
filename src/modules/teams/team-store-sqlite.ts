import type { SqliteDatabase } from '../../db/database.ts';
import type { StoredTeam, TeamRevision, TeamStore } from './team.ts';
import type { TeamConfiguration } from './team-configuration.ts';

type Row = { team_id: string; configuration: string; enabled: number; revision: number; created_at: number; updated_at: number };

const fromRow = (r: Row): StoredTeam => ({
  teamId: r.team_id,
  configuration: JSON.parse(r.configuration) as TeamConfiguration,
  enabled: r.enabled === 1,
  revision: r.revision,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS = 'team_id, configuration, enabled, revision, created_at, updated_at';

export function createSqliteTeamStore(db: SqliteDatabase): TeamStore {
  const sqlite = db.sqlite;
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM team_configurations WHERE team_id = ?`);
  const all = sqlite.prepare(`SELECT ${COLUMNS} FROM team_configurations ORDER BY team_id`);
  const revisions = sqlite.prepare('SELECT team_id AS teamId, revision FROM team_configurations');
  // Each form is one statement, so two saves racing on one revision cannot both pass.
  const upsert = sqlite
    .prepare(
      `INSERT INTO team_configurations (${COLUMNS}) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (team_id) DO UPDATE SET configuration = excluded.configuration, enabled = excluded.enabled,
         revision = team_configurations.revision + 1, updated_at = excluded.updated_at
       RETURNING revision`,
    )
    .pluck();
  const create = sqlite
    .prepare(`INSERT INTO team_configurations (${COLUMNS}) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (team_id) DO NOTHING RETURNING revision`)
    .pluck();
  const replace = sqlite
    .prepare(
      `UPDATE team_configurations SET configuration = ?, enabled = ?, revision = revision + 1, updated_at = ?
        WHERE team_id = ? AND revision = ? RETURNING revision`,
    )
    .pluck();

  return {
    async get(teamId) {
      const row = byId.get(teamId) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    async list() {
      return (all.all() as Row[]).map(fromRow);
    },
    async save(s) {
      const json = JSON.stringify(s.configuration);
      const enabled = s.enabled ? 1 : 0;
      let revision: unknown;
      if (s.expectedRevision === undefined) revision = upsert.get(s.teamId, json, enabled, s.now, s.now);
      else if (s.expectedRevision === 0) revision = create.get(s.teamId, json, enabled, s.now, s.now);
      else revision = replace.get(json, enabled, s.now, s.teamId, s.expectedRevision);
      return revision === undefined ? null : (revision as number);
    },
    async revisions() {
      return revisions.all() as TeamRevision[];
    },
  };
}
