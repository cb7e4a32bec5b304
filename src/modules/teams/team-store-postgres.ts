import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import type { StoredTeam, TeamStore } from './team.ts';
import type { TeamConfiguration } from './team-configuration.ts';

type Row = {
  team_id: string;
  configuration: TeamConfiguration;
  enabled: boolean;
  revision: string;
  created_at: string;
  updated_at: string;
};

const fromRow = (r: Row): StoredTeam => ({
  teamId: r.team_id,
  configuration: r.configuration,
  enabled: r.enabled,
  revision: Number(r.revision),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const { timeParam, msColumn } = POSTGRES_DIALECT;
const COLUMNS = `team_id, configuration, enabled, revision, ${msColumn('created_at')}, ${msColumn('updated_at')}`;

export function createPostgresTeamStore(db: PostgresDatabase): TeamStore {
  const pool = db.pool;
  const first = async (text: string, values: unknown[]): Promise<number | null> => {
    const { rows } = await pool.query<{ revision: string }>(text, values);
    return rows[0] ? Number(rows[0].revision) : null;
  };
  return {
    async get(teamId) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM team_configurations WHERE team_id = $1`, [teamId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async list() {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM team_configurations ORDER BY team_id`);
      return rows.map(fromRow);
    },
    // Each form is one statement, so two saves racing on one revision cannot both pass.
    async save(s) {
      const json = JSON.stringify(s.configuration);
      if (s.expectedRevision === undefined) {
        return first(
          `INSERT INTO team_configurations (team_id, configuration, enabled, revision, created_at, updated_at)
           VALUES ($1, $2::jsonb, $3, 1, ${timeParam('$4')}, ${timeParam('$4')})
           ON CONFLICT (team_id) DO UPDATE SET configuration = excluded.configuration, enabled = excluded.enabled,
             revision = team_configurations.revision + 1, updated_at = excluded.updated_at
           RETURNING revision`,
          [s.teamId, json, s.enabled, s.now],
        );
      }
      if (s.expectedRevision === 0) {
        return first(
          `INSERT INTO team_configurations (team_id, configuration, enabled, revision, created_at, updated_at)
           VALUES ($1, $2::jsonb, $3, 1, ${timeParam('$4')}, ${timeParam('$4')}) ON CONFLICT (team_id) DO NOTHING RETURNING revision`,
          [s.teamId, json, s.enabled, s.now],
        );
      }
      return first(
        `UPDATE team_configurations SET configuration = $2::jsonb, enabled = $3, revision = revision + 1, updated_at = ${timeParam('$4')}
          WHERE team_id = $1 AND revision = $5 RETURNING revision`,
        [s.teamId, json, s.enabled, s.now, s.expectedRevision],
      );
    },
    async revisions() {
      const { rows } = await pool.query<{ team_id: string; revision: string }>('SELECT team_id, revision FROM team_configurations');
      return rows.map((r) => ({ teamId: r.team_id, revision: Number(r.revision) }));
    },
  };
}
