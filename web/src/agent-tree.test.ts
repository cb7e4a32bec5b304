import { expect, it } from 'vitest';
import type { Subagent, ToolUse } from './api-types.ts';
import { type AgentNode, agentsUnder, agentTree, type CallNode, findAgent } from './agent-tree.ts';

const agent = (id: string, at: string, parent: string | null, call: string | null, extra: Partial<Subagent> = {}): Subagent => ({
  agent_id: id,
  agent_type: 'Explore',
  status: 'finished',
  started_at: at,
  ended_at: null,
  tool_use_id: call,
  parent_agent_id: parent,
  tool_calls: 0,
  failures: 0,
  total_tokens: null,
  model: null,
  cost_usd: null,
  ...extra,
});
const call = (id: string, at: string, agentId: string | null, status: ToolUse['status'] = 'succeeded', error: string | null = null) =>
  ({ tool_use_id: id, tool_name: 'Agent', started_at: at, ended_at: at, agent_id: agentId, status, error }) as unknown as ToolUse;

/** The tree as text, one line per node, indented by depth. */
function outline(node: AgentNode | CallNode, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  if (node.kind === 'call') return [`${pad}call ${node.toolUseId}`, ...node.agents.flatMap((a) => outline(a, depth + 1))];
  const counts = `${node.calls}/${node.failures}/${node.denied}`;
  return [`${pad}${node.agent?.agent_id ?? 'main'} ${counts}`, ...node.children.flatMap((c) => outline(c, depth + 1))];
}

it('hangs each subagent under the call that started it, and that call under its own agent', () => {
  const calls = [
    call('c-main', '2026-01-01T00:00:01Z', null, 'failed'),
    call('c-plan', '2026-01-01T00:00:05Z', null),
    call('c-deep', '2026-01-01T00:00:03Z', 'a1'),
    call('c-a1-own', '2026-01-01T00:00:02Z', 'a1'),
    call('c-denied', '2026-01-01T00:00:02Z', 'a1', 'failed', 'permission denied: auto mode'),
    call('c-main-denied', '2026-01-01T00:00:07Z', null, 'failed', 'permission denied: auto mode'),
  ];
  const tree = agentTree(
    [
      agent('a2', '2026-01-01T00:00:03Z', 'a1', 'c-deep'),
      agent('a1', '2026-01-01T00:00:01Z', null, 'c-main', { tool_calls: 3, failures: 2 }),
      agent('loose', '2026-01-01T00:00:04Z', null, null),
      agent('twin', '2026-01-01T00:00:06Z', null, 'c-plan'),
      agent('twin2', '2026-01-01T00:00:05Z', null, 'c-plan'),
    ],
    calls,
  );
  expect(outline(tree)).toEqual([
    'main 3/1/1',
    '  call c-main',
    '    a1 3/1/1',
    '      call c-deep',
    '        a2 0/0/0',
    '  loose 0/0/0',
    '  call c-plan',
    '    twin2 0/0/0',
    '    twin 0/0/0',
  ]);
  expect((tree.children[0] as CallNode).call?.status).toBe('failed');
  expect([...agentsUnder(findAgent(tree, 'a1')!)].sort()).toEqual(['a1', 'a2']);
  expect(agentsUnder(tree).size).toBe(5);
  expect(findAgent(tree, 'nobody')).toBeNull();
});

it('keeps a subagent whose call is not listed, whose parent is unknown, or whose parents loop', () => {
  const tree = agentTree(
    [
      agent('x', '2026-01-01T00:00:01Z', null, 'not-listed'),
      agent('orphan', '2026-01-01T00:00:02Z', 'gone', null),
      agent('p', '2026-01-01T00:00:03Z', 'q', null),
      agent('q', '2026-01-01T00:00:04Z', 'p', null),
      agent('child', '2026-01-01T00:00:05Z', 'p', null),
    ],
    [],
  );
  expect(outline(tree)).toEqual([
    'main 0/0/0',
    '  call not-listed',
    '    x 0/0/0',
    '  orphan 0/0/0',
    '  p 0/0/0',
    '    child 0/0/0',
    '  q 0/0/0',
  ]);
  expect((tree.children[0] as CallNode).call).toBeNull();
});
