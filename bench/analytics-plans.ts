// PostgreSQL's plans behind the slowest analytics endpoints: the same routes and service,
// run in this process against the benchmark's database with a runner that records each
// statement, then EXPLAIN (ANALYZE, BUFFERS) of every recorded statement. A reader of the
// figures can see which index or scan each endpoint costs, not only how long it took.
import { loadConfig } from '../src/core/config.ts';
import type { PostgresDatabase } from '../src/db/database.ts';
import { AnalyticsService } from '../src/modules/analytics/analytics-service.ts';
import { createAnalyticsStore, postgresAnalyticsRunner } from '../src/modules/analytics/analytics-store.ts';
import type { Query } from '../src/db/sql-dialect.ts';
import { buildApp } from '../src/http/app.ts';
import { openRuntime } from '../src/runtime/runtime.ts';
import type { EndpointTiming } from './analytics-queries.ts';

export interface EndpointPlans {
  path: string;
  p95: number;
  /** One per statement the endpoint ran: the SQL, then its plan. */
  statements: { sql: string; plan: string }[];
}

/** The `count` analytics endpoints with the highest p95, slowest first. */
export function slowestEndpoints(timings: readonly EndpointTiming[], count: number): EndpointTiming[] {
  return timings
    .filter((t) => !t.reference && t.result)
    .sort((a, b) => b.result!.p95 - a.result!.p95)
    .slice(0, count);
}

export async function explainEndpoints(env: Record<string, string>, endpoints: readonly EndpointTiming[]): Promise<EndpointPlans[]> {
  const runtime = await openRuntime(loadConfig(env), { migrate: false, serverThreads: false, applicationName: 'hookd-bench-explain' });
  try {
    if (runtime.db?.kind !== 'postgres') throw new Error('plans are PostgreSQL only');
    const runner = postgresAnalyticsRunner(runtime.db as PostgresDatabase);
    const recorded: Query[] = [];
    const recording = { ...runner, all: (q: Query) => (recorded.push(q), runner.all(q)) };
    const deriver = runtime.services.stores.deriver;
    const app = await buildApp({ ...runtime.services, analytics: new AnalyticsService(createAnalyticsStore(recording), deriver) });
    try {
      const out: EndpointPlans[] = [];
      for (const endpoint of endpoints) {
        recorded.length = 0;
        const reply = await app.inject({ method: 'GET', url: endpoint.path });
        if (reply.statusCode !== 200) throw new Error(`GET ${endpoint.path} answered ${reply.statusCode} in process`);
        const statements = [];
        for (const q of [...recorded])
          statements.push({
            sql: `${q.text.trim()}\n-- parameters, in order: ${JSON.stringify(q.values)}`,
            plan: await runner.explain!(q),
          });
        out.push({ path: endpoint.path, p95: endpoint.result!.p95, statements });
      }
      return out;
    } finally {
      await app.close();
    }
  } finally {
    await runtime.services.close();
  }
}

export function plansMarkdown(plans: readonly EndpointPlans[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(`#### Plans of \`GET ${p.path}\` (p95 ${p.p95.toFixed(1)} ms over HTTP)`, '');
    p.statements.forEach((s, i) =>
      lines.push(`Statement ${i + 1} of ${p.statements.length}:`, '', '```sql', s.sql, '```', '', '```', s.plan, '```', ''),
    );
  }
  return lines.join('\n');
}
