import { flag, num, type SqlRow, type SqlRunner } from '../../db/sql-runner.ts';
import type { ConfigEntry, ConfigStore, SecretKeyCheckStore } from './config-entry.ts';

const fromRow = (r: SqlRow): ConfigEntry => ({
  key: r.key as string,
  value: r.value as string,
  secret: flag(r.secret),
  hint: (r.hint as string | null) ?? null,
  updatedAt: num(r.updated_at),
  updatedBy: r.updated_by as string,
});

/** config_entries, one SQL for both dialects. */
export function createConfigStore(runner: SqlRunner): ConfigStore {
  const d = runner.dialect;
  const columns = `key, value, secret, hint, ${d.msColumn('updated_at')}, updated_by`;
  return {
    async get(key) {
      const [row] = await runner.all({ text: `SELECT ${columns} FROM config_entries WHERE key = ?`, values: [key] });
      return row ? fromRow(row) : null;
    },
    async list() {
      return (await runner.all({ text: `SELECT ${columns} FROM config_entries ORDER BY key`, values: [] })).map(fromRow);
    },
    async put(e) {
      await runner.run({
        text: `INSERT INTO config_entries (key, value, secret, hint, updated_at, updated_by) VALUES (?, ?, ?, ?, ${d.timeParam()}, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, secret = excluded.secret, hint = excluded.hint,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        values: [e.key, e.value, e.secret, e.hint, e.updatedAt, e.updatedBy],
      });
    },
    async delete(key) {
      return (await runner.run({ text: 'DELETE FROM config_entries WHERE key = ?', values: [key] })) > 0;
    },
    async replaceSealed(key, oldValue, newValue) {
      const changed = await runner.run({
        text: 'UPDATE config_entries SET value = ? WHERE key = ? AND secret = ? AND value = ?',
        values: [newValue, key, true, oldValue],
      });
      return changed > 0;
    },
  };
}

export function createSecretKeyCheckStore(runner: SqlRunner): SecretKeyCheckStore {
  const d = runner.dialect;
  return {
    async list() {
      const rows = await runner.all({ text: 'SELECT key_id, check_value FROM secret_key_checks ORDER BY key_id', values: [] });
      return rows.map((r) => ({ keyId: r.key_id as string, check: r.check_value as string }));
    },
    async add(check, now) {
      await runner.run({
        text: `INSERT INTO secret_key_checks (key_id, check_value, created_at) VALUES (?, ?, ${d.timeParam()}) ON CONFLICT (key_id) DO NOTHING`,
        values: [check.keyId, check.check, now],
      });
    },
  };
}
