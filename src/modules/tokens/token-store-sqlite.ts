import type { SqliteDatabase } from '../../db/database.ts';
import { tokenFromRow, type TokenRow, type TokenStore } from './token.ts';

export function createSqliteTokenStore(db: SqliteDatabase): TokenStore {
  const sqlite = db.sqlite;
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
      return (all.all() as TokenRow[]).map(tokenFromRow);
    },
    async revoke(id) {
      return revoke.run(Date.now(), id).changes > 0;
    },
    async active() {
      return (active.all() as TokenRow[]).map(tokenFromRow);
    },
  };
}
