import type { PostgresDatabase } from '../../db/database.ts';
import { TOKENS_ISSUED, tokenFromRow, type TokenRow, type TokenStore } from './token.ts';

export function createPostgresTokenStore(db: PostgresDatabase): TokenStore {
  const pool = db.pool;

  return {
    async insert(t) {
      // One statement, so one transaction: the token and the flag are stored together.
      await pool.query(
        `WITH token AS (
           INSERT INTO api_tokens (id, name, token_hash, scopes, team_id, session_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
         )
         INSERT INTO settings (name, value) VALUES ('${TOKENS_ISSUED}', 'true') ON CONFLICT (name) DO NOTHING`,
        [t.id, t.name, t.tokenHash, t.scopes.join(','), t.teamId, t.sessionId, t.createdAt],
      );
    },
    async list(teamId) {
      const { rows } = await pool.query<TokenRow>(
        'SELECT * FROM api_tokens WHERE $1::text IS NULL OR team_id = $1 ORDER BY created_at, id',
        [teamId ?? null],
      );
      return rows.map(tokenFromRow);
    },
    async revoke(id, teamId) {
      const { rowCount } = await pool.query(
        'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR team_id = $2)',
        [id, teamId ?? null],
      );
      return (rowCount ?? 0) > 0;
    },
    async active() {
      return (await pool.query<TokenRow>('SELECT * FROM api_tokens WHERE revoked_at IS NULL')).rows.map(tokenFromRow);
    },
    async issued() {
      return (await pool.query(`SELECT 1 FROM settings WHERE name = '${TOKENS_ISSUED}'`)).rowCount! > 0;
    },
  };
}
