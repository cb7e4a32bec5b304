import type { PostgresDatabase, SqliteDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT, type Query } from '../../db/sql-dialect.ts';
import { num, numOrNull, sqliteValue, type SqlRow, type SqlRunner } from '../../db/sql-runner.ts';
import { SqlWhere } from '../../db/sql-where.ts';
import type { LinkOutcome, RelationshipKind, StoredRelationship, StoredTask, TaskScope, TaskStore } from './task.ts';

/** One statement of a transaction written once for both dialects: `all` answers rows, `run` the rows changed. */
export type Step = { all: Query } | { run: Query };
/** A transaction as a generator of its statements, each answered before the next is asked for. */
export type Steps<T> = Generator<Step, T, SqlRow[] | number>;

/** Runs the steps in a transaction that no other such transaction overlaps (the link check and insert). */
export type Serialised = <T>(steps: () => Steps<T>) => Promise<T>;

/**
 * SQLite: the steps run synchronously inside BEGIN IMMEDIATE, which takes the write lock,
 * so no other connection writes in between and nothing else of this process runs either.
 */
export function sqliteSerialised(db: SqliteDatabase): Serialised {
  const drive = <T>(steps: () => Steps<T>): T => {
    const gen = steps();
    let answer: SqlRow[] | number | undefined;
    for (;;) {
      const next = answer === undefined ? gen.next() : gen.next(answer);
      if (next.done) return next.value;
      const step = next.value;
      answer =
        'all' in step
          ? (db.sqlite.prepare(step.all.text).all(...step.all.values.map(sqliteValue)) as SqlRow[])
          : db.sqlite.prepare(step.run.text).run(...step.run.values.map(sqliteValue)).changes;
    }
  };
  return async <T>(steps: () => Steps<T>): Promise<T> => db.sqlite.transaction(() => drive(steps)).immediate();
}

/** PostgreSQL: one advisory lock per schema, held around the transaction. */
export function postgresSerialised(db: PostgresDatabase): Serialised {
  const key = advisoryKey(`hookd.task-links.${db.schema}`);
  const numbered = POSTGRES_DIALECT.placeholders;
  return <T>(steps: () => Steps<T>): Promise<T> =>
    withPostgresTransaction(
      db.pool,
      async (client) => {
        const gen = steps();
        let answer: SqlRow[] | number | undefined;
        for (;;) {
          const next = answer === undefined ? gen.next() : gen.next(answer);
          if (next.done) return next.value;
          const step = next.value;
          answer =
            'all' in step
              ? (await client.query<SqlRow>(numbered(step.all.text), step.all.values)).rows
              : ((await client.query(numbered(step.run.text), step.run.values)).rowCount ?? 0);
        }
      },
      { advisoryLock: { key } },
    );
}

const json = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string') return (text as T) ?? fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const taskFromRow = (r: SqlRow): StoredTask => ({
  taskId: r.task_id as string,
  teamId: (r.team_id as string | null) ?? null,
  title: r.title as string,
  description: (r.description as string | null) ?? null,
  status: r.status as StoredTask['status'],
  conclusion: (r.conclusion as StoredTask['conclusion']) ?? null,
  priority: num(r.priority),
  requirements: json(r.requirements, []),
  acceptanceCriteria: json(r.acceptance_criteria, []),
  assignee: (r.assignee as string | null) ?? null,
  agent: (r.agent as string | null) ?? null,
  parentTaskId: (r.parent_task_id as string | null) ?? null,
  metadata: json(r.metadata, {}),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
  startedAt: numOrNull(r.started_at),
  completedAt: numOrNull(r.completed_at),
});

const edgeFromRow = (r: SqlRow): StoredRelationship => ({
  fromTaskId: r.from_task_id as string,
  toTaskId: r.to_task_id as string,
  kind: r.kind as RelationshipKind,
  strength: Number(r.strength),
  createdAt: num(r.created_at),
});

const scoped = (where: SqlWhere, scope: TaskScope, column = 'team_id') =>
  scope.teamId === null ? where : where.add(`${column} = ?`, scope.teamId);

/** LIKE's wildcards taken literally (ESCAPE '\'). */
const likeText = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The edges that continue a path in the sense of a new edge of `kind`: `a blocks b` and
 * `b depends_on a` both say a comes before b; parent_of is a hierarchy of its own.
 */
function forwardEdges(kind: RelationshipKind): { kind: RelationshipKind; reversed: boolean }[] {
  if (kind === 'blocks')
    return [
      { kind: 'blocks', reversed: false },
      { kind: 'depends_on', reversed: true },
    ];
  if (kind === 'depends_on')
    return [
      { kind: 'depends_on', reversed: false },
      { kind: 'blocks', reversed: true },
    ];
  return [{ kind, reversed: false }];
}

/** The path from `from` back to `from` that the new edge from -> to would close, or null. */
function* cycleOf(edge: StoredRelationship): Steps<string[] | null> {
  const { fromTaskId: start, toTaskId: next } = edge;
  if (start === next) return [start, start];
  const cameFrom = new Map<string, string | null>([[next, null]]);
  let frontier = [next];
  const senses = forwardEdges(edge.kind);
  while (frontier.length > 0) {
    const marks = frontier.map(() => '?').join(', ');
    const parts = senses.map((s) =>
      s.reversed
        ? `SELECT to_task_id AS here, from_task_id AS there FROM task_relationships WHERE kind = '${s.kind}' AND to_task_id IN (${marks})`
        : `SELECT from_task_id AS here, to_task_id AS there FROM task_relationships WHERE kind = '${s.kind}' AND from_task_id IN (${marks})`,
    );
    const rows = (yield { all: { text: parts.join(' UNION ALL '), values: senses.flatMap(() => frontier) } }) as SqlRow[];
    const reached: string[] = [];
    for (const row of rows) {
      const here = row.here as string;
      const there = row.there as string;
      if (cameFrom.has(there)) continue;
      cameFrom.set(there, here);
      if (there === start) {
        const back: string[] = [];
        for (let at: string | null = there; at !== null; at = cameFrom.get(at) ?? null) back.push(at);
        return [start, ...back.reverse()];
      }
      reached.push(there);
    }
    frontier = reached;
  }
  return null;
}

/** tasks and task_relationships (migration 0020), one SQL for both dialects. */
export function createTaskStore(runner: SqlRunner, serialised: Serialised): TaskStore {
  const d = runner.dialect;
  const columns = `task_id, team_id, title, description, status, conclusion, priority, requirements, acceptance_criteria,
    assignee, agent, parent_task_id, metadata, ${d.msColumn('created_at')}, ${d.msColumn('updated_at')},
    ${d.msColumn('started_at')}, ${d.msColumn('completed_at')}`;
  const edgeColumns = `from_task_id, to_task_id, kind, strength, ${d.msColumn('created_at')}`;
  const rowValues = (t: StoredTask) => [
    t.title,
    t.description,
    t.status,
    t.conclusion,
    t.priority,
    JSON.stringify(t.requirements),
    JSON.stringify(t.acceptanceCriteria),
    t.assignee,
    t.agent,
    t.parentTaskId,
    JSON.stringify(t.metadata),
    t.updatedAt,
    t.startedAt,
    t.completedAt,
  ];
  const get = async (taskId: string, scope: TaskScope) => {
    const where = scoped(new SqlWhere().add('task_id = ?', taskId), scope);
    const [row] = await runner.all({ text: `SELECT ${columns} FROM tasks ${where}`, values: where.values });
    return row ? taskFromRow(row) : null;
  };
  return {
    async create(t) {
      const changed = await runner.run({
        text: `INSERT INTO tasks (task_id, team_id, title, description, status, conclusion, priority, requirements, acceptance_criteria,
                 assignee, agent, parent_task_id, metadata, updated_at, started_at, completed_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${d.timeParam()}, ${d.timeParam()}, ${d.timeParam()}, ${d.timeParam()})
               ON CONFLICT (task_id) DO NOTHING`,
        values: [t.taskId, t.teamId, ...rowValues(t), t.createdAt],
      });
      return changed > 0;
    },
    get,
    async list(f, scope) {
      const where = scoped(new SqlWhere(), scope);
      if (f.statuses?.length) where.add(`status IN (${f.statuses.map(() => '?').join(', ')})`, ...f.statuses);
      if (f.minPriority !== undefined) where.add('priority >= ?', f.minPriority);
      where.eq('assignee', f.assignee).eq('parent_task_id', f.parent);
      if (f.q !== undefined) {
        const like = likeText(f.q);
        where.add(`(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE ? ESCAPE '\\')`, like, like);
      }
      if (f.from !== undefined) where.add(`created_at >= ${d.timeParam()}`, f.from);
      if (f.to !== undefined) where.add(`created_at < ${d.timeParam()}`, f.to);
      if (f.after)
        where.add(`(created_at < ${d.timeParam()} OR (created_at = ${d.timeParam()} AND task_id < ?))`, f.after.at, f.after.at, f.after.id);
      const rows = await runner.all({
        text: `SELECT ${columns} FROM tasks ${where} ORDER BY created_at DESC, task_id DESC LIMIT ?`,
        values: [...where.values, f.limit],
      });
      return rows.map(taskFromRow);
    },
    async replace(t, expectedUpdatedAt, scope) {
      const where = scoped(new SqlWhere().add('task_id = ?', t.taskId).add(`updated_at = ${d.timeParam()}`, expectedUpdatedAt), scope);
      const changed = await runner.run({
        text: `UPDATE tasks SET title = ?, description = ?, status = ?, conclusion = ?, priority = ?, requirements = ?,
                 acceptance_criteria = ?, assignee = ?, agent = ?, parent_task_id = ?, metadata = ?, updated_at = ${d.timeParam()},
                 started_at = ${d.timeParam()}, completed_at = ${d.timeParam()} ${where}`,
        values: [...rowValues(t), ...where.values],
      });
      return changed > 0;
    },
    link(edge) {
      return serialised(function* (): Steps<LinkOutcome> {
        if (edge.kind === 'blocks' || edge.kind === 'depends_on' || edge.kind === 'parent_of') {
          const cycle = yield* cycleOf(edge);
          if (cycle) return { added: false, cycle };
        }
        const changed = yield {
          run: {
            text: `INSERT INTO task_relationships (from_task_id, to_task_id, kind, strength, created_at)
                   VALUES (?, ?, ?, ?, ${d.timeParam()}) ON CONFLICT (from_task_id, to_task_id, kind) DO NOTHING`,
            values: [edge.fromTaskId, edge.toTaskId, edge.kind, edge.strength, edge.createdAt],
          },
        };
        return (changed as number) > 0 ? { added: true } : { added: false, exists: true };
      });
    },
    async relationships(taskId, scope) {
      // Both ends visible to the scope.
      const team = scope.teamId === null ? '' : ' AND a.team_id = ? AND b.team_id = ?';
      const rows = await runner.all({
        text: `SELECT r.from_task_id, r.to_task_id, r.kind, r.strength, ${d.msColumn('r.created_at')}
                 FROM task_relationships r JOIN tasks a ON a.task_id = r.from_task_id JOIN tasks b ON b.task_id = r.to_task_id
                WHERE (r.from_task_id = ? OR r.to_task_id = ?)${team}
                ORDER BY r.created_at, r.from_task_id, r.to_task_id, r.kind`,
        values: [taskId, taskId, ...(scope.teamId === null ? [] : [scope.teamId, scope.teamId])],
      });
      return rows.map(edgeFromRow);
    },
    async unlink(fromTaskId, toTaskId, kind) {
      return (
        (await runner.run({
          text: 'DELETE FROM task_relationships WHERE from_task_id = ? AND to_task_id = ? AND kind = ?',
          values: [fromTaskId, toTaskId, kind],
        })) > 0
      );
    },
    async graph(taskId, depth, scope) {
      const team = scope.teamId === null ? '' : ' AND t.team_id = ?';
      // A bound token's walk goes only through its team's tasks.
      const through =
        scope.teamId === null
          ? ''
          : `\n                   JOIN tasks n ON n.task_id = CASE WHEN r.from_task_id = w.task_id THEN r.to_task_id ELSE r.from_task_id END
                    AND n.team_id = ?`;
      const rows = await runner.all({
        text: `WITH RECURSIVE walk(task_id, depth) AS (
                 SELECT CAST(? AS TEXT), 0
                 UNION
                 SELECT CASE WHEN r.from_task_id = w.task_id THEN r.to_task_id ELSE r.from_task_id END, w.depth + 1
                   FROM walk w JOIN task_relationships r ON r.from_task_id = w.task_id OR r.to_task_id = w.task_id${through}
                  WHERE r.kind IN ('blocks', 'depends_on') AND w.depth < CAST(? AS INTEGER)
               ), reached AS (SELECT task_id, MIN(depth) AS depth FROM walk GROUP BY task_id)
               SELECT ${columns.replace(/\btask_id\b/, 't.task_id')}, reached.depth AS depth
                 FROM reached JOIN tasks t ON t.task_id = reached.task_id
                WHERE 1 = 1${team}
                ORDER BY reached.depth, t.task_id`,
        values: scope.teamId === null ? [taskId, depth] : [taskId, scope.teamId, depth, scope.teamId],
      });
      const nodes = rows.map((r) => ({ task: taskFromRow(r), depth: num(r.depth) }));
      if (nodes.length === 0) return { nodes, edges: [] };
      const ids = nodes.map((n) => n.task.taskId);
      const marks = ids.map(() => '?').join(', ');
      const edges = await runner.all({
        text: `SELECT ${edgeColumns} FROM task_relationships
                WHERE kind IN ('blocks', 'depends_on') AND from_task_id IN (${marks}) AND to_task_id IN (${marks})
                ORDER BY from_task_id, to_task_id, kind`,
        values: [...ids, ...ids],
      });
      return { nodes, edges: edges.map(edgeFromRow) };
    },
  };
}
