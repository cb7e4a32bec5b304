import type { PostgresDatabase } from '../../db/database.ts';
import { tokenFromRow, type TokenRow, type TokenStore } from './token.ts';

export function createPostgresTokenStore(db: PostgresDatabase): TokenStore {
  const pool = db.pool;

  return {
    async insert(t) {
      await pool.query(
        `INSERT INTO api_tokens (id, name, token_hash, scopes, team_id, session_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.id, t.name, t.tokenHash, t.scopes.join(','), t.teamId, t.sessionId, t.createdAt],
      );
    },
    async list() {
      return (await pool.query<TokenRow>('SELECT * FROM api_tokens ORDER BY created_at, id')).rows.map(tokenFromRow);
    },
    async revoke(id) {
      const { rowCount } = await pool.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      return (rowCount ?? 0) > 0;
    },
    async active() {
      return (await pool.query<TokenRow>('SELECT * FROM api_tokens WHERE revoked_at IS NULL')).rows.map(tokenFromRow);
    },
  };
}
