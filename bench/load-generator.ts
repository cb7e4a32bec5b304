// The child process behind runLoad(): drives autocannon and keeps its own ledger of
// which request carried which events, so the parent can check the store against it.
import autocannon from 'autocannon';
import { averageEventBytes, bodyOf, bodyTemplates, type BodyTemplate } from './event-bodies.ts';
import type { LatencySummary, LoadResult, LoadSpec, RequestRef } from './load.ts';

const MAX_REFUSED_KEPT = 10_000;

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const templates = bodyTemplates({ eventsPerRequest: spec.eventsPerRequest, variants: spec.variants });
  const refOf = (template: BodyTemplate, tag: string): RequestRef => ({
    sessionId: template.firstSessionId,
    eventId: `${tag}${template.firstIdSuffix}`,
    events: template.events,
  });

  let seq = 0;
  const outstanding = new Map<string, BodyTemplate>();
  const statusCounts: Record<string, number> = {};
  const refused: RequestRef[] = [];
  let refusedTotal = 0;
  let acked = 0;
  let ackedEvents = 0;
  let latencies = new Float64Array(1 << 16);
  let latencyCount = 0;

  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const instance = autocannon({
    url: spec.baseUrl,
    connections: spec.connections,
    duration: spec.durationS,
    ...(spec.requestsPerSecond === undefined ? {} : { overallRate: spec.requestsPerSecond }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: spec.eventsPerRequest === 1 ? '/events' : '/events/batch',
        headers: { 'content-type': 'application/json' },
        setupRequest(request, context) {
          const n = seq++;
          const template = templates[n % templates.length]!;
          const tag = `${spec.tagPrefix}-${n.toString(36)}`;
          outstanding.set(tag, template);
          context.tag = tag;
          request.body = bodyOf(template, tag);
          return request;
        },
        // autocannon calls this with the context of the request just answered (pipelining 1).
        onResponse(status, _body, context) {
          const tag = context.tag as string;
          const template = outstanding.get(tag);
          if (!template) return;
          outstanding.delete(tag);
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            acked++;
            ackedEvents += template.events;
          } else {
            refusedTotal++;
            if (refused.length < MAX_REFUSED_KEPT) refused.push(refOf(template, tag));
          }
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
    if (status < 200 || status >= 300) return;
    if (latencyCount === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[latencyCount++] = responseTimeMs;
  });
  const result = await instance;
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;

  const unanswered = [...outstanding].map(([tag, template]) => refOf(template, tag));
  return {
    acked,
    ackedEvents,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    requestsPerSec: acked / result.duration,
    eventsPerSec: ackedEvents / result.duration,
    latencyMs: summarise(latencies.subarray(0, latencyCount)),
    unanswered,
    unansweredUnidentifiedEvents: 0,
    refused,
    refusedTotal,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    processCpuSeconds: processCpuSeconds(),
    bodyBytes: averageEventBytes(templates) * spec.eventsPerRequest,
  };
}

function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function summarise(values: Float64Array): LatencySummary {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]!, mean: sum / sorted.length };
}

if (process.argv.includes('--load-generator') && process.send) {
  process.once('message', (spec: LoadSpec) => {
    generateLoad(spec).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
    );
  });
}
