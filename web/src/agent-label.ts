// Sessions come from several agents, told apart by their `source`: the dashboard names the
// ones it knows as their makers do, and shows any other source as it is.
const LABELS = new Map([
  ['claude-code', 'Claude Code'],
  ['codex', 'Codex'],
  ['gemini-cli', 'Gemini CLI'],
]);

/** The sources offered in the agent filters, in this order. */
export const KNOWN_AGENTS: readonly string[] = [...LABELS.keys()];

export const agentLabel = (source: string): string => LABELS.get(source) ?? source;
