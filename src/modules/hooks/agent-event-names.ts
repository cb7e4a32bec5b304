/**
 * Each agent's hook event names, mapped onto hookd's canonical event types. Claude Code's
 * names are the common vocabulary: Codex uses the same ones, and any agent that does is
 * derived the same way. Gemini CLI has names of its own. A name no table knows is kept,
 * snake_cased, so events of a newer agent version pass through and stay queryable.
 */
export const CLAUDE_CODE_EVENT_TYPES: Readonly<Record<string, string>> = {
  SessionStart: 'session_started',
  Setup: 'setup_ran',
  UserPromptSubmit: 'prompt_submitted',
  UserPromptExpansion: 'prompt_expanded',
  PreToolUse: 'tool_execution_started',
  PostToolUse: 'tool_execution_completed',
  PostToolUseFailure: 'tool_execution_failed',
  PostToolBatch: 'tool_batch_completed',
  PermissionRequest: 'permission_requested',
  PermissionDenied: 'permission_denied',
  Notification: 'notification',
  SubagentStart: 'subagent_started',
  SubagentStop: 'subagent_stopped',
  TaskCreated: 'agent_task_created',
  TaskCompleted: 'agent_task_completed',
  TeammateIdle: 'teammate_idle',
  Stop: 'agent_stopped',
  StopFailure: 'agent_stop_failed',
  // Codex: the user interrupted the turn.
  Interrupt: 'agent_interrupted',
  PreCompact: 'context_compacted',
  PostCompact: 'context_compact_completed',
  InstructionsLoaded: 'instructions_loaded',
  ConfigChange: 'config_changed',
  CwdChanged: 'cwd_changed',
  DirectoryAdded: 'directory_added',
  FileChanged: 'file_changed',
  WorktreeCreate: 'worktree_created',
  WorktreeRemove: 'worktree_removed',
  PreModelSwitch: 'model_switch_requested',
  PostModelSwitch: 'model_switched',
  MessageDisplay: 'message_displayed',
  Elicitation: 'elicitation_requested',
  ElicitationResult: 'elicitation_answered',
  SessionEnd: 'session_ended',
};

/** Gemini CLI's names (its hooks reference); the ones it shares with Claude Code mean the same. */
export const GEMINI_EVENT_TYPES: Readonly<Record<string, string>> = {
  SessionStart: 'session_started',
  SessionEnd: 'session_ended',
  BeforeAgent: 'prompt_submitted',
  AfterAgent: 'agent_stopped',
  BeforeModel: 'model_requested',
  AfterModel: 'model_responded',
  BeforeToolSelection: 'tool_selection_started',
  BeforeTool: 'tool_execution_started',
  AfterTool: 'tool_execution_completed',
  PreCompress: 'context_compacted',
  Notification: 'notification',
};

/** Codex's legacy `notify` program: one JSON argument whose `type` names what happened. */
export const CODEX_NOTIFY_EVENT_TYPES: Readonly<Record<string, string>> = {
  'agent-turn-complete': 'agent_turn_completed',
};

/**
 * Events hookd itself reports on an agent's behalf, through the same hook route: the tokens
 * of a model request read from the agent's transcript (`hookd emit`'s transcript reader).
 */
export const HOOKD_EVENT_TYPES: Readonly<Record<string, string>> = {
  'hookd.usage': 'usage_reported',
};

/** `PostToolUseFailure` -> `post_tool_use_failure`; keeps unknown names readable. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** Whether the route's source names Gemini CLI (`gemini-cli`, `gemini`, ...). */
export const isGemini = (source: string): boolean => source === 'gemini' || source.startsWith('gemini-');

/** The canonical type of a hook event name, as the given agent means it. */
export function eventTypeOf(hookEventName: string, source = 'claude-code'): string {
  const own = isGemini(source) ? GEMINI_EVENT_TYPES[hookEventName] : undefined;
  return (
    own ??
    CLAUDE_CODE_EVENT_TYPES[hookEventName] ??
    CODEX_NOTIFY_EVENT_TYPES[hookEventName] ??
    HOOKD_EVENT_TYPES[hookEventName] ??
    GEMINI_EVENT_TYPES[hookEventName] ??
    (snakeCase(hookEventName) || 'unknown')
  );
}
