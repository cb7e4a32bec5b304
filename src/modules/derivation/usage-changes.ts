import type { DerivableEvent } from '../events/derivable-event.ts';

/**
 * One token_usage row: a model request's tokens (keyed by its request id, the same in the
 * agents' telemetry and their transcripts) or a window of an agent's usage metrics.
 */
export interface UsageChange {
  sessionId: string;
  /** The request id, else `event:<event id>`. */
  usageKey: string;
  origin: string;
  promptId: string | null;
  model: string | null;
  ts: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** As the agent reported it; null: priced from the tokens when written. */
  costUsd: number | null;
}

/** Telemetry's figures replace a transcript's for the same request, never the other way round. */
export const USAGE_ORIGIN_RANK: Readonly<Record<string, number>> = { transcript: 0, telemetry: 1 };

export function usageChangesOf(ordered: readonly DerivableEvent[]): UsageChange[] {
  const byKey = new Map<string, UsageChange>();
  for (const event of ordered) {
    const u = event.facts.usage;
    if (!u) continue;
    const change: UsageChange = {
      sessionId: event.sessionId,
      usageKey: u.requestId ?? `event:${event.eventId}`,
      origin: u.origin,
      promptId: event.facts.promptId,
      model: u.model,
      ts: event.ts,
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      cacheReadTokens: u.cacheReadTokens,
      cacheCreationTokens: u.cacheCreationTokens,
      costUsd: u.costUsd,
    };
    const seen = byKey.get(change.usageKey);
    if (seen && (USAGE_ORIGIN_RANK[seen.origin] ?? 1) > (USAGE_ORIGIN_RANK[change.origin] ?? 1)) continue;
    byKey.set(change.usageKey, change);
  }
  return [...byKey.values()];
}
