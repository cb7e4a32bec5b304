import { Gauge, type Registry } from 'prom-client';
import type { ModelUsage } from '../cost-figures/cost-figures.ts';

const TOKEN_TYPES = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_read', 'cacheReadTokens'],
  ['cache_creation', 'cacheCreationTokens'],
] as const;

/**
 * The counted tokens and cost of every session, per model, read from the database at
 * scrape time in one grouped query. Gauges, not counters: every process sharing the
 * database (and `hookd emit` writing beside them) adds usage no one process sees, and the
 * figures may go down (a deleted session, telemetry replacing a transcript's figures), so
 * no process could keep a counter exact. A failed read (the database down) leaves the
 * gauges as they were: /metrics keeps answering.
 */
export function usageMetrics(registry: Registry, read: () => Promise<ModelUsage[]>): void {
  const registers = [registry];
  let current: Promise<ModelUsage[] | null> | null = null;
  // The two gauges of one scrape share one read.
  const usage = () => {
    current ??= read()
      .catch(() => null)
      .finally(() => setTimeout(() => (current = null), 0));
    return current;
  };
  // A request without a model name counts under model="".
  const modelOf = (u: ModelUsage) => u.model ?? '';
  new Gauge({
    name: 'hookd_tokens',
    help: "Tokens of the sessions' model requests by model and type (input, output, cache_read, cache_creation), every process's, read from the database at scrape time (a gauge: it can go down)",
    labelNames: ['model', 'type'],
    registers,
    async collect() {
      const rows = await usage();
      if (!rows) return;
      this.reset();
      for (const u of rows) for (const [type, field] of TOKEN_TYPES) this.set({ model: modelOf(u), type }, u[field]);
    },
  });
  new Gauge({
    name: 'hookd_cost_usd',
    help: "Cost of the sessions' model requests by model in US dollars (reported by the agent, else priced), every process's, read from the database at scrape time (a gauge: it can go down)",
    labelNames: ['model'],
    registers,
    async collect() {
      const rows = await usage();
      if (!rows) return;
      this.reset();
      for (const u of rows) this.set({ model: modelOf(u) }, u.costUsd);
    },
  });
}
