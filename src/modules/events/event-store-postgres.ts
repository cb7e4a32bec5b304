import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { derivableJson } from './derivable-event.ts';
import { monthOf, type PartitionManager } from '../partitions/partition-manager.ts';
import type { NormalizedEvent } from './event.ts';
import { COLUMNS, toEvent, type EventRow } from './event-row-postgres.ts';
import { keyOf, type EventPage, type EventStore } from './event-store.ts';
import { SessionOwnerCache, settleOwners, type GroupOutcome } from './session-owners.ts';

const { timeFromMs, timeParam } = POSTGRES_DIALECT;

// One statement stores a whole group commit: the owners of the sessions it is the first
// to write (session-owners.ts; all of them or, when another commit claimed one meanwhile,
// nothing at all, and the caller decides again), the idempotency keys (their primary
// key decides what is new), then exactly the new events, then one derivation_queue row
// with what the derivation reads of them: the sessions and tool uses they derive are written by a later pass
// (session-deriver-postgres.ts), so ingest never waits on a sessions row lock.
// The live tail relies on that order (id-watermark.ts): the event_keys insert gives the
// transaction its xid before events.id's nextval() runs, so a snapshot lists every
// transaction that holds an unread id.
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
    WITH ORDINALITY AS t(event_id, session_id, event_type, ts_ms, received_ms, source, workflow_id, phase_id,
                         milestone_id, team_id, task_id, usr, host, data, derivable, ord)
), claimed AS (
  INSERT INTO session_owners (session_id, team_id)
  SELECT * FROM unnest($16::text[], $17::text[])
  ON CONFLICT DO NOTHING
  RETURNING 1
), won AS (
  SELECT count(*) = cardinality($16::text[]) AS all_claimed FROM claimed
), new_keys AS (
  INSERT INTO event_keys (session_id, event_id, ts)
  SELECT session_id, event_id, ${timeFromMs('ts_ms')} FROM input WHERE (SELECT all_claimed FROM won)
  ON CONFLICT DO NOTHING
  RETURNING session_id, event_id
), fresh AS (
  SELECT i.* FROM input i JOIN new_keys k USING (session_id, event_id)
), stored AS (
  INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, workflow_id, phase_id,
                      milestone_id, team_id, task_id, "user", host, data)
  SELECT event_id, session_id, event_type, ${timeFromMs('ts_ms')}, ${timeFromMs('received_ms')}, source, workflow_id, phase_id,
         milestone_id, team_id, task_id, usr, host, data::jsonb
    FROM fresh
  RETURNING 1
), queued AS (
  INSERT INTO derivation_queue (events, event_count)
  SELECT '[' || string_agg(derivable, ',' ORDER BY ord) || ']', count(*) FROM fresh HAVING count(*) > 0
  RETURNING id
)
SELECT (SELECT all_claimed FROM won) AS all_claimed, ARRAY(SELECT ord FROM fresh) AS ords, (SELECT id FROM queued)::text AS queued`;

const OWN_COMMITS_KEPT = 100_000;
const OWNERS_SQL = 'SELECT session_id, team_id FROM session_owners WHERE session_id = ANY($1::text[])';
// Another commit claiming one of our new sessions between our look and our statement takes
// a tight race between two writers of one new session id; three in a row would be a bug.
const CLAIM_ATTEMPTS = 3;

const NO_PARTITION = '23514';

/**
 * `ownCommits`: the derivation queue rows this process wrote, so its derivation can tell
 * the events of other processes (session-deriver-postgres.ts).
 */
export function createPostgresEventStore(db: PostgresDatabase, partitions: PartitionManager, ownCommits?: Set<string>): EventStore {
  const pool = db.pool;
  const owners = new SessionOwnerCache();

  /** The owners of the sessions not in the cache, read now (committed: they can be cached). */
  async function readOwners(groups: readonly (readonly NormalizedEvent[])[]): Promise<Map<string, string | null>> {
    const unknown = new Set<string>();
    for (const group of groups) for (const e of group) if (owners.get(e.sessionId) === undefined) unknown.add(e.sessionId);
    const read = new Map<string, string | null>();
    if (unknown.size === 0) return read;
    const { rows } = await pool.query<{ session_id: string; team_id: string | null }>({
      name: 'hookd_session_owners',
      text: OWNERS_SQL,
      values: [[...unknown]],
    });
    for (const r of rows) {
      read.set(r.session_id, r.team_id);
      owners.remember(r.session_id, r.team_id);
    }
    return read;
  }

  /**
   * The events, the owners they claim and their queue row; returns the indexes of the new
   * events, or null when another commit claimed one of the sessions first (nothing stored).
   * One statement is its own transaction, so no BEGIN/COMMIT round trips around it.
   */
  async function store(rows: NormalizedEvent[], claims: Map<string, string | null>): Promise<Set<number> | null> {
    const cols: unknown[][] = Array.from({ length: 17 }, () => new Array(rows.length));
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i]!;
      cols[0]![i] = e.eventId;
      cols[1]![i] = e.sessionId;
      cols[2]![i] = e.eventType;
      cols[3]![i] = e.ts;
      cols[4]![i] = e.receivedAt;
      cols[5]![i] = e.source;
      cols[6]![i] = e.workflowId;
      cols[7]![i] = e.phaseId;
      cols[8]![i] = e.milestoneId;
      cols[9]![i] = e.teamId;
      cols[10]![i] = e.taskId;
      cols[11]![i] = e.user;
      cols[12]![i] = e.host;
      cols[13]![i] = e.dataJson;
      cols[14]![i] = derivableJson(e);
    }
    cols[15] = [...claims.keys()];
    cols[16] = [...claims.values()];
    const result = await pool.query<{ all_claimed: boolean; ords: number[]; queued: string | null }>({
      name: 'hookd_insert_events',
      text: INSERT_SQL,
      values: cols,
    });
    const { all_claimed, ords, queued } = result.rows[0]!;
    if (queued !== null && ownCommits) {
      ownCommits.add(queued);
      // Rows another process derived never leave the set: the oldest go past a bound.
      if (ownCommits.size > OWN_COMMITS_KEPT) ownCommits.delete(ownCommits.values().next().value!);
    }
    return all_claimed ? new Set(ords.map((ord) => Number(ord) - 1)) : null;
  }

  /** One attempt at the commit; null when a claim was lost and the owners must be read again. */
  async function attempt(
    groups: readonly (readonly NormalizedEvent[])[],
    teamBound: readonly boolean[] | undefined,
  ): Promise<GroupOutcome[] | null> {
    const read = await readOwners(groups);
    const { refused, claims } = settleOwners(groups, teamBound, (s) => (read.has(s) ? read.get(s) : owners.get(s)));
    // The first occurrence of a key wins, across every group merged into this commit.
    const unique: NormalizedEvent[] = [];
    const owner: number[] = [];
    const duplicates: GroupOutcome[] = groups.map((_, g) => refused[g] ?? 0);
    const seen = new Set<string>();
    const months = new Set<number>();
    groups.forEach((group, g) => {
      if (refused[g]) return;
      for (const event of group) {
        const key = keyOf(event);
        if (seen.has(key)) {
          (duplicates[g] as number)++;
          continue;
        }
        seen.add(key);
        unique.push(event);
        owner.push(g);
        months.add(monthOf(event.ts));
      }
    });
    if (unique.length === 0) return duplicates;
    await partitions.ensureMonths(months);
    let fresh: Set<number> | null;
    try {
      fresh = await store(unique, claims);
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      // A partition was dropped behind our back: learn the truth and try once more.
      await partitions.refresh();
      await partitions.ensureMonths(months);
      fresh = await store(unique, claims);
    }
    if (!fresh) return null;
    for (const [sessionId, teamId] of claims) owners.remember(sessionId, teamId);
    for (let i = 0; i < unique.length; i++) if (!fresh.has(i)) (duplicates[owner[i]!] as number)++;
    return duplicates;
  }

  return {
    async writeGroups(groups, teamBound) {
      for (let i = 1; ; i++) {
        const outcomes = await attempt(groups, teamBound);
        if (outcomes) return outcomes;
        if (i === CLAIM_ATTEMPTS) throw new Error(`lost the claim of a new session ${CLAIM_ATTEMPTS} times in a row`);
      }
    },

    async query(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: (p: string) => string, value: unknown) => {
        params.push(value);
        where.push(sql(`$${params.length}`));
      };
      if (filter.sessionId !== undefined) add((p) => `session_id = ${p}`, filter.sessionId);
      if (filter.eventType !== undefined) add((p) => `event_type = ${p}`, filter.eventType);
      if (filter.source !== undefined) add((p) => `source = ${p}`, filter.source);
      if (filter.workflowId !== undefined) add((p) => `workflow_id = ${p}`, filter.workflowId);
      if (filter.teamId !== undefined) add((p) => `team_id = ${p}`, filter.teamId);
      if (filter.from !== undefined) add((p) => `ts >= ${timeParam(p)}`, filter.from);
      if (filter.to !== undefined) add((p) => `ts < ${timeParam(p)}`, filter.to);
      const [cmp, dir] = filter.order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
      if (filter.after) {
        params.push(filter.after.ts, filter.after.id);
        const t = timeParam(`$${params.length - 1}`);
        where.push(`(ts ${cmp} ${t} OR (ts = ${t} AND id ${cmp} $${params.length}::int8))`);
      }
      params.push(filter.limit + 1);
      const { rows } = await pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY ts ${dir}, id ${dir} LIMIT $${params.length}`,
        params,
      );
      return page(rows, filter.limit);
    },

    async findByEventId(eventId, sessionId) {
      // The key row gives session and time, so the lookup touches one partition only.
      const { rows } = await pool.query<EventRow>(
        `SELECT ${COLUMNS.split(', ')
          .map((c) => `e.${c}`)
          .join(', ')}
           FROM event_keys k
           JOIN events e ON e.session_id = k.session_id AND e.ts = k.ts AND e.event_id = k.event_id
          WHERE k.event_id = $1 AND ($2::text IS NULL OR k.session_id = $2)
          ORDER BY e.id LIMIT 1`,
        [eventId, sessionId ?? null],
      );
      return rows[0] ? toEvent(rows[0]) : null;
    },

    async count() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int8 AS n FROM events');
      return rows[0]!.n;
    },

    async ping() {
      await pool.query('SELECT 1');
    },
  };
}

function page(rows: EventRow[], limit: number): EventPage {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(toEvent), next: more && last ? { ts: last.ts.getTime(), id: last.id } : null };
}
