// A session's agents as a tree: the main agent at the root, each subagent under the
// Agent/Task call that started it, and so under the agent that made that call. The server
// names each subagent's call and parent (GET /sessions/{id} `agents`); this only nests them.
import type { Subagent, ToolUse } from './api-types.ts';
import { isDenied } from './call-outcome.ts';

export interface AgentNode {
  kind: 'agent';
  /** null: the main agent. */
  agent: Subagent | null;
  /** The subagent's own calls (for the main agent: the calls made outside any subagent). */
  calls: number;
  /** Calls that ran and failed; calls the auto mode denied are counted apart. */
  failures: number;
  denied: number;
  /** Calls that started subagents, and subagents whose call is not known, by time. */
  children: (CallNode | AgentNode)[];
}

export interface CallNode {
  kind: 'call';
  toolUseId: string;
  /** null when the call is not among the session's listed calls (only the first 1,000 are). */
  call: ToolUse | null;
  agents: AgentNode[];
}

const at = (iso: string | null | undefined): number => (iso ? Date.parse(iso) || 0 : 0);
const nodeTime = (n: CallNode | AgentNode): number =>
  n.kind === 'agent' ? at(n.agent?.started_at) : n.call ? at(n.call.started_at ?? n.call.ended_at) : at(n.agents[0]?.agent?.started_at);

/**
 * The root (the main agent) with every subagent below it. A subagent whose parent is not
 * among the session's agents, or whose parents lead back to itself, hangs from the root,
 * so none is lost.
 */
export function agentTree(agents: readonly Subagent[], toolUses: readonly ToolUse[]): AgentNode {
  const byId = new Map(agents.map((a) => [a.agent_id, a]));
  const calls = new Map(toolUses.map((c) => [c.tool_use_id, c]));
  const denied = new Map<string | null, number>();
  for (const c of toolUses) if (isDenied(c)) denied.set(c.agent_id, (denied.get(c.agent_id) ?? 0) + 1);
  const mainCalls = toolUses.filter((c) => c.agent_id === null);
  const root: AgentNode = {
    kind: 'agent',
    agent: null,
    calls: mainCalls.length,
    failures: mainCalls.filter((c) => c.status === 'failed').length - (denied.get(null) ?? 0),
    denied: denied.get(null) ?? 0,
    children: [],
  };
  // The server's counts of a subagent's calls take in the denied ones as failed.
  const nodes = new Map<string, AgentNode>(
    agents.map((a) => {
      const own = denied.get(a.agent_id) ?? 0;
      return [
        a.agent_id,
        { kind: 'agent', agent: a, calls: a.tool_calls, failures: Math.max(0, a.failures - own), denied: own, children: [] },
      ];
    }),
  );
  const callNodes = new Map<string, CallNode>();

  const parentOf = (agent: Subagent): AgentNode => {
    const seen = new Set([agent.agent_id]);
    let up = agent.parent_agent_id;
    while (up !== null && byId.has(up)) {
      if (up === agent.agent_id) return root;
      if (seen.has(up)) break;
      seen.add(up);
      up = byId.get(up)!.parent_agent_id;
    }
    return (agent.parent_agent_id !== null && nodes.get(agent.parent_agent_id)) || root;
  };

  for (const agent of agents) {
    const node = nodes.get(agent.agent_id)!;
    const parent = parentOf(agent);
    if (agent.tool_use_id === null) {
      parent.children.push(node);
      continue;
    }
    let via = callNodes.get(agent.tool_use_id);
    if (!via) {
      via = { kind: 'call', toolUseId: agent.tool_use_id, call: calls.get(agent.tool_use_id) ?? null, agents: [] };
      callNodes.set(agent.tool_use_id, via);
      parent.children.push(via);
    }
    via.agents.push(node);
  }

  const order = (node: AgentNode): void => {
    node.children.sort((a, b) => nodeTime(a) - nodeTime(b));
    for (const child of node.children) {
      if (child.kind === 'agent') order(child);
      else {
        child.agents.sort((a, b) => nodeTime(a) - nodeTime(b));
        for (const agent of child.agents) order(agent);
      }
    }
  };
  order(root);
  return root;
}

/** The ids of the agent and of every subagent below it: whose calls it stands for. */
export function agentsUnder(node: AgentNode): Set<string> {
  const ids = new Set<string>();
  const walk = (n: AgentNode) => {
    if (n.agent) ids.add(n.agent.agent_id);
    for (const child of n.children) {
      if (child.kind === 'agent') walk(child);
      else for (const agent of child.agents) walk(agent);
    }
  };
  walk(node);
  return ids;
}

/** The node of `agentId` in the tree, if it is there. */
export function findAgent(node: AgentNode, agentId: string): AgentNode | null {
  if (node.agent?.agent_id === agentId) return node;
  for (const child of node.children) {
    for (const agent of child.kind === 'agent' ? [child] : child.agents) {
      const found = findAgent(agent, agentId);
      if (found) return found;
    }
  }
  return null;
}
