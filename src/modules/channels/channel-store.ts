import { flag, num, numOrNull, type SqlRow, type SqlRunner } from '../../db/sql-runner.ts';
import type { SqlDialect } from '../../db/sql-dialect.ts';
import { SqlWhere } from '../../db/sql-where.ts';
import type { ChannelKind } from './channel-kind.ts';
import { SEALED_CHANNEL_FIELDS, type ChannelScope, type ChannelStore, type StoredChannel } from './channel.ts';

export const channelFromRow = (r: SqlRow): StoredChannel => ({
  channelId: r.channel_id as string,
  teamId: (r.team_id as string | null) ?? null,
  kind: r.kind as ChannelKind,
  name: (r.name as string | null) ?? null,
  urlSealed: r.url_sealed as string,
  urlHint: r.url_hint as string,
  secretSealed: (r.secret_sealed as string | null) ?? null,
  paused: flag(r.paused),
  pausedReason: (r.paused_reason as string | null) ?? null,
  pausedAt: numOrNull(r.paused_at),
  failureStreak: num(r.failure_streak),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

/** Reads see the team's channels and the installation's; changes only the team's own. */
const readable = (where: SqlWhere, scope: ChannelScope) =>
  scope.teamId === null ? where : where.add('(team_id = ? OR team_id IS NULL)', scope.teamId);
const writable = (where: SqlWhere, scope: ChannelScope) => (scope.teamId === null ? where : where.add('team_id = ?', scope.teamId));

/** The columns channelFromRow reads, for the outbox's claims too. */
export const channelColumns = (
  d: SqlDialect,
) => `channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, paused_reason,
    ${d.msColumn('paused_at')}, failure_streak, ${d.msColumn('created_at')}, ${d.msColumn('updated_at')}`;

/** channels (migration 0015), one SQL for both dialects. */
export function createChannelStore(runner: SqlRunner): ChannelStore {
  const d = runner.dialect;
  const columns = channelColumns(d);
  return {
    async create(c) {
      const changed = await runner.run({
        text: `INSERT INTO channels (channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${d.timeParam()}, ${d.timeParam()}) ON CONFLICT (channel_id) DO NOTHING`,
        values: [c.channelId, c.teamId, c.kind, c.name, c.urlSealed, c.urlHint, c.secretSealed, c.paused, c.createdAt, c.updatedAt],
      });
      return changed > 0;
    },
    async get(channelId, scope) {
      const where = readable(new SqlWhere().add('channel_id = ?', channelId), scope);
      const [row] = await runner.all({ text: `SELECT ${columns} FROM channels ${where}`, values: where.values });
      return row ? channelFromRow(row) : null;
    },
    async list(scope) {
      const where = readable(new SqlWhere(), scope);
      return (await runner.all({ text: `SELECT ${columns} FROM channels ${where} ORDER BY channel_id`, values: where.values })).map(
        channelFromRow,
      );
    },
    async update(channelId, scope, change) {
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (change.name !== undefined) set('name', change.name);
      if (change.urlSealed !== undefined) set('url_sealed', change.urlSealed);
      if (change.urlHint !== undefined) set('url_hint', change.urlHint);
      if (change.secretSealed !== undefined) set('secret_sealed', change.secretSealed);
      sets.push(`updated_at = ${d.timeParam()}`);
      values.push(change.now);
      const where = writable(new SqlWhere().add('channel_id = ?', channelId), scope);
      return (await runner.run({ text: `UPDATE channels SET ${sets.join(', ')} ${where}`, values: [...values, ...where.values] })) > 0;
    },
    async setPaused(channelId, scope, paused) {
      const where = writable(new SqlWhere().add('channel_id = ?', channelId), scope);
      const text = paused
        ? `UPDATE channels SET paused = ?, paused_reason = ?, paused_at = ${d.timeParam()}, updated_at = ${d.timeParam()} ${where}`
        : `UPDATE channels SET paused = ?, paused_reason = NULL, paused_at = NULL, failure_streak = 0 ${where}`;
      const values = paused ? [true, paused.reason, paused.now, paused.now] : [false];
      return (await runner.run({ text, values: [...values, ...where.values] })) > 0;
    },
    async delete(channelId, scope) {
      const where = writable(new SqlWhere().add('channel_id = ?', channelId), scope);
      return (await runner.run({ text: `DELETE FROM channels ${where}`, values: where.values })) > 0;
    },
    async listSealed() {
      const rows = await runner.all({ text: 'SELECT channel_id, url_sealed, secret_sealed FROM channels ORDER BY channel_id', values: [] });
      return rows.map((r) => ({
        channelId: r.channel_id as string,
        urlSealed: r.url_sealed as string,
        secretSealed: (r.secret_sealed as string | null) ?? null,
      }));
    },
    async replaceSealed(channelId, field, oldSealed, newSealed) {
      // The column is one of two names, never the caller's text.
      if (!SEALED_CHANNEL_FIELDS.includes(field)) throw new Error(`channels hold no sealed column "${field}"`);
      const changed = await runner.run({
        text: `UPDATE channels SET ${field} = ? WHERE channel_id = ? AND ${field} = ?`,
        values: [newSealed, channelId, oldSealed],
      });
      return changed > 0;
    },
  };
}
