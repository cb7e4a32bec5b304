import type { PostgresDatabase } from '../../db/database.ts';
import type { Scope, TokenRecord, TokenStore } from './token.ts';

interface Row {
  id: string;
  name: string | null;
  token_hash: string;
  scopes: string;
  team_id: string | null;
  session_id: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export function createPostgresTokenStore(db: PostgresDatabase): TokenStore {
  const pool = db.pool;
  const toRecord = (r: Row): TokenRecord => ({
    id: r.id,
    name: r.name,
    tokenHash: r.token_hash,
    scopes: r.scopes.split(',') as Scope[],
    teamId: r.team_id,
    sessionId: r.session_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  });
  return {
    async insert(t) {
      await pool.query(
        `INSERT INTO api_tokens (id, name, token_hash, scopes, team_id, session_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.id, t.name, t.tokenHash, t.scopes.join(','), t.teamId, t.sessionId, t.createdAt],
      );
    },
    async list() {
      return (await pool.query<Row>('SELECT * FROM api_tokens ORDER BY created_at, id')).rows.map(toRecord);
    },
    async revoke(id) {
      const { rowCount } = await pool.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      return (rowCount ?? 0) > 0;
    },
    async active() {
      return (await pool.query<Row>('SELECT * FROM api_tokens WHERE revoked_at IS NULL')).rows.map(toRecord);
    },
  };
}
