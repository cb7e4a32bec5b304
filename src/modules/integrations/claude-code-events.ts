/**
 * One Claude Code hook event hookd registers for. hookd's hook only observes: it prints
 * nothing and always exits 0, so nothing Claude Code does depends on its answer.
 */
export interface ClaudeCodeEvent {
  name: string;
  /**
   * Claude Code waits for the hook. Every other event's hook is `async`: run in the
   * background, costing the agent no time. Stop, StopFailure and SessionEnd wait because
   * the agent may exit right after them (`claude -p` kills async hooks still running at
   * teardown), and their events are the ones a session's summary needs; StopFailure is
   * rare, so its wait costs next to nothing.
   */
  waits: boolean;
  /** The events Claude Code filters by tool name get `"*"`; the others none, which also matches all. */
  matcher?: string;
  /**
   * Events that take only command hooks: an --http install gives them a command hook
   * posting to the same server. SessionStart and Setup by the hooks reference; CwdChanged
   * and WorktreeRemove took only commands in earlier versions, and a command works in all.
   */
  commandOnly?: boolean;
  /**
   * The first Claude Code version that knows the event (its changelog). Before 2.1.101 an
   * event name Claude Code does not know makes it skip the whole settings file, the user's
   * own settings with it, so install registers for an older version only what it knows.
   */
  since: string;
}

const event = (name: string, since: string, more: Partial<ClaudeCodeEvent> = {}): ClaudeCodeEvent => ({
  name,
  since,
  waits: false,
  ...more,
});
const TOOL = { matcher: '*' };

/** Every Claude Code hook event hookd registers, in the order install adds missing ones. */
export const CLAUDE_CODE_EVENTS: readonly ClaudeCodeEvent[] = [
  event('SessionStart', '1.0.62', { commandOnly: true }),
  event('Setup', '2.1.10', { commandOnly: true }),
  event('UserPromptSubmit', '1.0.54'),
  event('UserPromptExpansion', '2.1.118'),
  event('PreToolUse', '1.0.38', TOOL),
  event('PermissionRequest', '2.0.45', TOOL),
  event('PermissionDenied', '2.1.89', TOOL),
  event('PostToolUse', '1.0.38', TOOL),
  event('PostToolUseFailure', '2.1.0', TOOL),
  event('PostToolBatch', '2.1.119'),
  event('Notification', '1.0.38'),
  event('SubagentStart', '2.0.43'),
  event('SubagentStop', '1.0.41'),
  event('TaskCreated', '2.1.84'),
  event('TaskCompleted', '2.1.33'),
  event('TeammateIdle', '2.1.33'),
  event('Stop', '1.0.38', { waits: true }),
  event('StopFailure', '2.1.78', { waits: true }),
  event('InstructionsLoaded', '2.1.69'),
  event('ConfigChange', '2.1.49'),
  event('CwdChanged', '2.1.83', { commandOnly: true }),
  // No matcher: FileChanged's matcher names the files Claude Code watches, and hookd
  // adds no watch of its own. It records the changes of files that the user's own
  // FileChanged matchers, or a hook's watchPaths, make Claude Code watch.
  event('FileChanged', '2.1.83'),
  event('WorktreeRemove', '2.1.50', { commandOnly: true }),
  event('PreCompact', '1.0.48'),
  event('PostCompact', '2.1.76'),
  // Newer than most installed versions: registered only where Claude Code ignores names it does not know.
  event('DirectoryAdded', '2.1.219'),
  event('PostModelSwitch', '2.1.251'),
  event('SessionEnd', '1.0.85', { waits: true }),
];

export const CLAUDE_CODE_EVENT_NAMES: readonly string[] = CLAUDE_CODE_EVENTS.map((e) => e.name);

/**
 * Claude Code events hookd does not register, and why. Install never writes them;
 * a hookd entry found under one is removed, as under any event hookd no longer registers.
 */
export const CLAUDE_CODE_UNREGISTERED_EVENTS: readonly { name: string; reason: string }[] = [
  {
    name: 'WorktreeCreate',
    reason: 'its hook replaces git worktree creation and must print the new worktree path: a hook that prints nothing breaks worktrees',
  },
  { name: 'Elicitation', reason: "its hook's answer replaces the MCP server's question to the user" },
  { name: 'ElicitationResult', reason: "its hook's answer overrides what the user answered the MCP server" },
  {
    name: 'MessageDisplay',
    reason: 'fires for every batch of streamed assistant text: a process per batch, for text the transcript and Stop already carry',
  },
  {
    name: 'PreModelSwitch',
    reason: 'a hook that times out blocks the switch of model it announces: an observer must not be able to do that',
  },
];

/** Claude Code ignores an event name it does not know from this version on, instead of the whole file. */
export const UNKNOWN_EVENTS_TOLERATED_SINCE = '2.1.101';
/** Command hooks with `async: true`: the first version the changelog mentions them in. */
export const ASYNC_HOOKS_SINCE = '2.1.23';
/** `type: "http"` hooks. */
export const HTTP_HOOKS_SINCE = '2.1.63';

/**
 * The events to register for a Claude Code version; null (not known) is taken for a
 * current one. From 2.1.101 on every event is registered, the ones newer than the
 * version included: it ignores those until an update makes them fire.
 */
export function claudeCodeEventsFor(version: string | null): readonly ClaudeCodeEvent[] {
  if (versionAtLeast(version, UNKNOWN_EVENTS_TOLERATED_SINCE)) return CLAUDE_CODE_EVENTS;
  return CLAUDE_CODE_EVENTS.filter((e) => versionAtLeast(version, e.since));
}

/** `2.1.85 (Claude Code)` -> `2.1.85`; null when the text holds no version. */
export function parseClaudeCodeVersion(text: string): string | null {
  return /\b(\d+\.\d+\.\d+)\b/.exec(text)?.[1] ?? null;
}

/** True when `version` is `min` or later; an unknown version (null) is taken for a current one. */
export function versionAtLeast(version: string | null, min: string): boolean {
  if (version === null) return true;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export function claudeCodeEvent(name: string): ClaudeCodeEvent | undefined {
  return CLAUDE_CODE_EVENTS.find((e) => e.name === name);
}
