// The session's agents as an ARIA tree: one Tab stop, arrows to move, open and close
// (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/). Choosing an agent filters the call
// list to it and the subagents below it; choosing the main agent shows every call again.
// A subagent's cost is its tokens at its model's price: a share of the session's.
import { useRef, useState } from 'preact/hooks';
import { agentLabel } from '../agent-label.ts';
import type { AgentNode, CallNode } from '../agent-tree.ts';
import { callOutcome } from '../call-outcome.ts';
import { countText, durationText, tokenText } from '../time.ts';
import { MoneyText } from './money-text.tsx';

type Node = AgentNode | CallNode;

const keyOf = (n: Node): string => (n.kind === 'call' ? `c:${n.toolUseId}` : n.agent ? `a:${n.agent.agent_id}` : 'main');
const childrenOf = (n: Node): Node[] => (n.kind === 'call' ? n.agents : n.children);

export interface AgentTreeViewProps {
  root: AgentNode;
  source: string;
  model: string | null;
  /** The chosen agent's id; '' for the main agent (every call). */
  selected: string;
  select: (agentId: string) => void;
}

interface Row {
  node: Node;
  key: string;
  level: number;
  parent: string | null;
  pos: number;
  size: number;
}

/**
 * The items are one flat list, their nesting told by aria-level, aria-posinset and
 * aria-setsize: so each item's name is its own row's text, not its subtree's.
 */
export function AgentTreeView({ root, source, model, selected, select }: AgentTreeViewProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const tree = useRef<HTMLDivElement>(null);

  const rows: Row[] = [];
  const walk = (node: Node, level: number, parent: string | null, pos: number, size: number) => {
    const key = keyOf(node);
    rows.push({ node, key, level, parent, pos, size });
    if (!collapsed.has(key)) childrenOf(node).forEach((child, i, all) => walk(child, level + 1, key, i + 1, all.length));
  };
  walk(root, 1, null, 1, 1);
  const selectedKey = selected ? `a:${selected}` : 'main';
  const shown = (key: string | null) => key !== null && rows.some((r) => r.key === key);
  const tabStop = shown(focused) ? focused : shown(selectedKey) ? selectedKey : 'main';

  const toggle = (key: string, open: boolean) => {
    const next = new Set(collapsed);
    if (open) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };
  const activate = (row: Row) => {
    if (row.node.kind === 'agent') select(row.node.agent?.agent_id ?? '');
    else toggle(row.key, collapsed.has(row.key));
  };
  const moveTo = (row: Row | undefined) => {
    if (!row) return;
    setFocused(row.key);
    const items = tree.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [];
    [...items].find((item) => item.dataset.key === row.key)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent, row: Row) => {
    const at = rows.indexOf(row);
    const parent = childrenOf(row.node).length > 0;
    const open = parent && !collapsed.has(row.key);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(rows[at + 1]);
        break;
      case 'ArrowUp':
        moveTo(rows[at - 1]);
        break;
      case 'Home':
        moveTo(rows[0]);
        break;
      case 'End':
        moveTo(rows.at(-1));
        break;
      case 'ArrowRight':
        if (open) moveTo(rows[at + 1]);
        else if (parent) toggle(row.key, true);
        break;
      case 'ArrowLeft':
        if (open) toggle(row.key, false);
        else moveTo(rows.find((r) => r.key === row.parent));
        break;
      case 'Enter':
      case ' ':
        activate(row);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div class="agent-tree" role="tree" aria-label="Agents of this session" ref={tree}>
      {rows.map((row) => {
        const { node, key } = row;
        const parent = childrenOf(node).length > 0;
        return (
          <div
            key={key}
            role="treeitem"
            data-key={key}
            aria-level={row.level}
            aria-posinset={row.pos}
            aria-setsize={row.size}
            aria-expanded={parent ? !collapsed.has(key) : undefined}
            aria-selected={node.kind === 'agent' ? key === selectedKey : undefined}
            tabIndex={key === tabStop ? 0 : -1}
            class={`tree-item ${node.kind}`}
            style={{ '--level': row.level - 1 }}
            onKeyDown={(e) => onKeyDown(e, row)}
            onFocus={() => setFocused(key)}
            onClick={(e) => {
              // The arrow opens and closes; the rest of the row acts as Enter does.
              if ((e.target as Element).closest('.tree-toggle')) toggle(key, collapsed.has(key));
              else activate(row);
            }}
          >
            <span class="tree-toggle" aria-hidden="true">
              {parent ? (collapsed.has(key) ? '▸' : '▾') : ''}
            </span>
            <span class="tree-label">
              {node.kind === 'call' ? <CallText node={node} /> : <AgentText node={node} source={source} model={model} />}
            </span>
          </div>
        );
      })}
    </div>
  );
}

const callsText = ({ calls, failures, denied }: AgentNode) =>
  `${countText(calls)} ${calls === 1 ? 'call' : 'calls'}, ${countText(failures)} failed${denied ? `, ${countText(denied)} denied` : ''}`;

function AgentText({ node, source, model }: { node: AgentNode; source: string; model: string | null }) {
  const a = node.agent;
  if (!a) {
    return (
      <>
        <strong>Main agent</strong> <span class="muted">{agentLabel(source)}</span>
        <span class="tree-facts">
          {model && <span>{model}</span>}
          <span>{callsText(node)}</span>
        </span>
      </>
    );
  }
  const duration = a.ended_at
    ? durationText(Date.parse(a.ended_at) - Date.parse(a.started_at))
    : `for ${durationText(Date.now() - Date.parse(a.started_at))}`;
  return (
    <>
      <strong>{a.agent_type ?? 'subagent'}</strong> <code class="muted">{a.agent_id}</code>{' '}
      <span class={`agent-status ${a.status}`}>{a.status}</span>
      <span class="tree-facts">
        <span>{duration}</span>
        <span class={node.failures ? 'bad' : undefined}>{callsText(node)}</span>
        {a.total_tokens !== null && <span title={`${countText(a.total_tokens)} tokens`}>{tokenText(a.total_tokens)} tokens</span>}
        {a.cost_usd !== null && <MoneyText usd={a.cost_usd} />}
        {a.model && <span>{a.model}</span>}
      </span>
    </>
  );
}

function CallText({ node }: { node: CallNode }) {
  const c = node.call;
  const outcome = c && callOutcome(c);
  return (
    <>
      <span class="muted">started by</span> <strong>{c?.tool_name ?? 'call'}</strong> <code class="muted">{node.toolUseId}</code>
      {c?.input_summary && <span class="tree-summary"> {c.input_summary}</span>}
      {outcome && <span class={`tree-outcome tone-${outcome.tone}`}> {outcome.label}</span>}
    </>
  );
}
