import type { SqliteDatabase } from '../../db/database.ts';
import type { Scope, TokenRecord, TokenStore } from './token.ts';

interface Row {
  id: string;
  name: string | null;
  token_hash: string;
  scopes: string;
  team_id: string | null;
  session_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

export function createSqliteTokenStore(db: SqliteDatabase): TokenStore {
  const sqlite = db.sqlite;
  const toRecord = (r: Row): TokenRecord => ({
    id: r.id,
    name: r.name,
    tokenHash: r.token_hash,
    scopes: r.scopes.split(',') as Scope[],
    teamId: r.team_id,
    sessionId: r.session_id,
    createdAt: new Date(r.created_at),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  });
  const insert = sqlite.prepare(
    `INSERT INTO api_tokens (id, name, token_hash, scopes, team_id, session_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const all = sqlite.prepare('SELECT * FROM api_tokens ORDER BY created_at, id');
  const active = sqlite.prepare('SELECT * FROM api_tokens WHERE revoked_at IS NULL');
  const revoke = sqlite.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  return {
    async insert(t) {
      insert.run(t.id, t.name, t.tokenHash, t.scopes.join(','), t.teamId, t.sessionId, t.createdAt.getTime());
    },
    async list() {
      return (all.all() as Row[]).map(toRecord);
    },
    async revoke(id) {
      return revoke.run(Date.now(), id).changes > 0;
    },
    async active() {
      return (active.all() as Row[]).map(toRecord);
    },
  };
}
