import { costOf, priceOf } from '../cost/model-prices.ts';
import { currentModelPrices } from '../cost/price-overrides.ts';
import type { AgentRunOut, SessionAgentRow, ToolUse } from './session.ts';

/** One subagent of a session as the API returns it; `parent_agent_id` null = the main agent. */
export interface Subagent {
  agent_id: string;
  agent_type: string | null;
  status: 'running' | 'finished';
  started_at: string;
  ended_at: string | null;
  /** The Agent/Task call that started it, when one could be told. */
  tool_use_id: string | null;
  parent_agent_id: string | null;
  tool_calls: number;
  failures: number;
  total_tokens: number | null;
  model: string | null;
  /** Its tokens priced at its model's price (hookd's table); null when unknown. */
  cost_usd: number | null;
}

// Hooks may be captured a little out of order (asynchronous hooks take their time stamp
// as they start), so a subagent may appear to start just before the call that started it.
const START_SLACK_MS = 2000;

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * Places each subagent under the Agent/Task call that started it, and so under that call's
 * own agent (null: the main agent). Claude Code's hooks do not name the call in
 * SubagentStart, so a call is matched by the id in its result when there is one, else
 * by type and time: the earliest call not yet matched, of the subagent's type, started
 * no later than the subagent.
 */
export function subagentTree(agents: readonly SessionAgentRow[], toolUses: readonly ToolUse[]): Subagent[] {
  const calls = toolUses
    .filter((t) => t.subagent_type !== null || t.agent_run !== null)
    .sort((a, b) => (ms(a.started_at) ?? ms(a.ended_at) ?? 0) - (ms(b.started_at) ?? ms(b.ended_at) ?? 0));
  const matched = new Set<ToolUse>();
  const ordered = [...agents].sort((a, b) => (a.startedAt ?? a.firstSeenAt) - (b.startedAt ?? b.firstSeenAt));
  return ordered.map((agent) => {
    const start = agent.startedAt ?? agent.firstSeenAt;
    const byId = calls.find((c) => c.agent_run?.agent_id === agent.agentId);
    const byType = (early: boolean) =>
      calls.find(
        (c) =>
          !matched.has(c) &&
          c.agent_run?.agent_id == null &&
          c.subagent_type === agent.agentType &&
          (!early || (ms(c.started_at) ?? ms(c.ended_at) ?? start) <= start + START_SLACK_MS),
      );
    const call = byId ?? byType(true) ?? byType(false);
    if (call) matched.add(call);
    const own = toolUses.filter((t) => t.agent_id === agent.agentId);
    return {
      agent_id: agent.agentId,
      agent_type: agent.agentType,
      status: agent.endedAt !== null ? 'finished' : 'running',
      started_at: new Date(start).toISOString(),
      ended_at: agent.endedAt === null ? null : new Date(agent.endedAt).toISOString(),
      tool_use_id: call?.tool_use_id ?? null,
      parent_agent_id: call?.agent_id ?? null,
      tool_calls: own.length,
      failures: own.filter((t) => t.status === 'failed').length,
      total_tokens: call?.agent_run?.total_tokens ?? null,
      model: call?.agent_run?.model ?? null,
      cost_usd: call?.agent_run ? agentRunCost(call.agent_run) : null,
    };
  });
}

/**
 * What a subagent's tokens cost: its own requests are inside the session's figures already
 * (telemetry reports them too), so this is a share of the session's cost, not an addition.
 */
function agentRunCost(run: AgentRunOut): number | null {
  const price = priceOf(run.model, currentModelPrices());
  if (!price || run.input_tokens === null) return null;
  return costOf(
    {
      inputTokens: run.input_tokens ?? 0,
      outputTokens: run.output_tokens ?? 0,
      cacheReadTokens: run.cache_read_tokens ?? 0,
      cacheCreationTokens: run.cache_creation_tokens ?? 0,
    },
    price,
  );
}

export function sessionAgentFromRow(row: Record<string, unknown>): SessionAgentRow {
  const time = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : Number(v));
  return {
    agentId: row.agent_id as string,
    agentType: (row.agent_type as string | null) ?? null,
    startedAt: time(row.started_at),
    endedAt: time(row.ended_at),
    firstSeenAt: time(row.first_seen_at)!,
    lastSeenAt: time(row.last_seen_at)!,
  };
}
