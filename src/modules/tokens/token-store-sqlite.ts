import type { SqliteDatabase } from '../../db/database.ts';
import { TOKENS_ISSUED, tokenFromRow, type TokenRow, type TokenStore } from './token.ts';

export function createSqliteTokenStore(db: SqliteDatabase): TokenStore {
  const sqlite = db.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO api_tokens (id, name, token_hash, scopes, team_id, session_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const flag = sqlite.prepare(
    `INSERT INTO settings (name, value, updated_at) VALUES ('${TOKENS_ISSUED}', 'true', ?) ON CONFLICT (name) DO NOTHING`,
  );
  const issued = sqlite.prepare(`SELECT 1 FROM settings WHERE name = '${TOKENS_ISSUED}'`);
  const all = sqlite.prepare('SELECT * FROM api_tokens ORDER BY created_at, id');
  const ofTeam = sqlite.prepare('SELECT * FROM api_tokens WHERE team_id = ? ORDER BY created_at, id');
  const active = sqlite.prepare('SELECT * FROM api_tokens WHERE revoked_at IS NULL');
  const revoke = sqlite.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND (? IS NULL OR team_id = ?)');
  const insertWithFlag = sqlite.transaction((...row: unknown[]) => {
    insert.run(...row);
    flag.run(Date.now());
  });
  return {
    async insert(t) {
      insertWithFlag.immediate(t.id, t.name, t.tokenHash, t.scopes.join(','), t.teamId, t.sessionId, t.createdAt.getTime());
    },
    async list(teamId) {
      return ((teamId === undefined ? all.all() : ofTeam.all(teamId)) as TokenRow[]).map(tokenFromRow);
    },
    async revoke(id, teamId) {
      return revoke.run(Date.now(), id, teamId ?? null, teamId ?? null).changes > 0;
    },
    async active() {
      return (active.all() as TokenRow[]).map(tokenFromRow);
    },
    async issued() {
      return issued.get() !== undefined;
    },
  };
}
