// Hook executions generated for the performance tests, and the hourly rows the counting
// rules give for them, computed here independently of the SQL under test.
import type { Execution, ExecutionStatus } from '../../src/modules/executions/execution.ts';
import type { PerformanceRowView } from '../../src/modules/performance/performance-views.ts';
// The benchmarks' seeded generator: the same executions on every run and both dialects.
import { seeded } from '../../bench/seeded-random.ts';

export const HOUR = 3_600_000;

let counter = 0;

export function execution(over: Partial<Execution> & { startedAt: number }): Execution {
  const id = `x-${(++counter).toString().padStart(8, '0')}`;
  return {
    executionId: id,
    hookId: 'h1',
    hookType: 'StatusChangeHook',
    teamId: 'engineering',
    eventType: 'jira:issue_updated',
    eventId: null,
    ticketKey: null,
    projectKey: null,
    status: 'SUCCESS',
    completedAt: null,
    executionTimeMs: null,
    notificationSent: false,
    notificationResult: null,
    errors: [],
    metadata: {},
    createdAt: over.startedAt,
    updatedAt: over.startedAt,
    ...over,
  };
}

const STATUSES: ExecutionStatus[] = ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED', 'RUNNING'];

/** `count` executions over `hours` hours from `start`: 3 hooks, 2 teams, every status, some without a time, repeated times. */
export function generateExecutions(count: number, start: number, hours: number, seed = 7): Execution[] {
  const r = seeded(seed);
  const hooks = [
    ['h1', 'StatusChangeHook'],
    ['h2', 'AssignmentHook'],
    ['h3', 'CommentHook'],
  ] as const;
  return Array.from({ length: count }, () => {
    const [hookId, hookType] = hooks[Math.floor(r() * hooks.length)]!;
    const status = STATUSES[Math.floor(r() * STATUSES.length)]!;
    const startedAt = start + Math.floor(r() * hours * HOUR);
    // Repeated values (whole tens) make the nearest rank matter; a few outcomes come without a time.
    const time = status === 'RUNNING' || r() < 0.1 ? null : Math.floor(r() * 50) * 10 + (r() < 0.2 ? 0.5 : 0);
    return execution({ hookId, hookType, teamId: r() < 0.5 ? 'engineering' : 'support', status, startedAt, executionTimeMs: time });
  });
}

/** An hourly row as the API answers it, less the bookkeeping times. */
export type ExpectedRow = Omit<PerformanceRowView, 'created_at' | 'updated_at'>;

/** The figures of a set of executions: the rules of docs/data-model.md, written out plainly. */
export function expectedFigures(list: readonly Execution[]) {
  const counted = list.filter((e) => e.status !== 'RUNNING');
  const successful = counted.filter((e) => e.status === 'SUCCESS').length;
  const failed = counted.filter((e) => e.status === 'FAILED' || e.status === 'TIMEOUT').length;
  const times = counted
    .filter((e) => e.status !== 'CANCELLED' && e.executionTimeMs !== null)
    .map((e) => e.executionTimeMs!)
    .sort((a, b) => a - b);
  const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
  return {
    total: counted.length,
    successful,
    failed,
    cancelled: counted.filter((e) => e.status === 'CANCELLED').length,
    running: list.length - counted.length,
    avg: mean,
    // Nearest rank: the smallest value with at least 95% of the values at or below it.
    p95: times.length ? times[Math.ceil((times.length * 95) / 100) - 1]! : null,
  };
}

export function expectedRows(list: readonly Execution[]): ExpectedRow[] {
  const groups = new Map<string, Execution[]>();
  for (const e of list) {
    if (e.status === 'RUNNING') continue;
    const key = JSON.stringify([e.hookId, e.hookType, e.teamId, Math.floor(e.startedAt / HOUR) * HOUR]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([key, members]) => {
    const [hookId, hookType, teamId, bucket] = JSON.parse(key) as [string, string, string, number];
    const f = expectedFigures(members);
    return {
      hook_id: hookId,
      hook_type: hookType,
      team_id: teamId,
      time_bucket: new Date(bucket).toISOString(),
      total_executions: f.total,
      successful_executions: f.successful,
      failed_executions: f.failed,
      avg_execution_time_ms: f.avg,
      p95_execution_time_ms: f.p95,
      success_rate: f.successful / f.total,
      throughput_per_hour: f.total,
    };
  });
}

/** Rows in one order for comparison: newest hour first, then key descending, as the API lists them. */
export function byListOrder<T extends { time_bucket: string; hook_id: string; hook_type: string; team_id: string }>(rows: T[]): T[] {
  const key = (r: T) => [r.time_bucket, r.hook_id, r.hook_type, r.team_id].join('\u0000');
  return [...rows].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}
