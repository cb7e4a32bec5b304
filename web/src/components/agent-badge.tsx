import { agentLabel } from '../agent-label.ts';

/** Which agent a session comes from: its name in words, the colour only a second cue. */
export function AgentBadge({ source }: { source: string }) {
  return (
    <span class="agent-badge" data-agent={source} title={`source: ${source}`}>
      {agentLabel(source)}
    </span>
  );
}
