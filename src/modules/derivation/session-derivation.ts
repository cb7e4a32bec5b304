import type { DerivableEvent } from '../events/derivable-event.ts';
import type { AgentRun, EventFacts } from '../events/event-facts.ts';
import { usageChangesOf, type UsageChange } from './usage-changes.ts';

/**
 * What a batch of events changes in the sessions and tool_uses tables, aggregated so each
 * row is written once per batch. The stores merge these into the existing rows with one
 * upsert per table (the merge rules live in their SQL, the same on both dialects); each
 * stored event is passed in once (session-deriver.ts), so replays never count twice.
 */
export interface SessionChange extends Pick<EventFacts, 'cwd' | 'project' | 'gitBranch' | 'terminal' | 'model' | 'permissionMode'> {
  sessionId: string;
  source: string;
  teamId: string | null;
  user: string | null;
  host: string | null;
  startedAt: number;
  lastActivityAt: number;
  /** Latest session_start: a start after an end reopens the session (resume). */
  lastStartAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  /** Idle since this time, or null when the latest idle-relevant event was activity. */
  idleSince: number | null;
  /** Time of the latest idle-relevant event; null when this commit says nothing about idleness. */
  idleChangedAt: number | null;
  events: number;
  prompts: number;
  failures: number;
  subagents: number;
  permissionDenials: number;
  stopFailures: number;
  /** The latest turn's API error (StopFailure), cleared by the next prompt. */
  errorKind: string | null;
  errorMessage: string | null;
  /** Time of the latest error-relevant event; null when this commit says nothing about errors. */
  errorChangedAt: number | null;
  /** The task of the latest event that names one, and that event's time (null: none in this commit). */
  taskId: string | null;
  taskAt: number | null;
}

export type ToolUseStatus = 'running' | 'succeeded' | 'failed';

export interface ToolUseChange {
  sessionId: string;
  toolUseId: string;
  toolName: string;
  startedAt: number | null;
  endedAt: number | null;
  status: ToolUseStatus;
  error: string | null;
  interrupted: boolean | null;
  reportedDurationMs: number | null;
  agentId: string | null;
  agentType: string | null;
  subagentType: string | null;
  inputSummary: string | null;
  truncated: boolean;
  promptId: string | null;
  /** Agent/Task calls: what the subagent they ran used. */
  agentRun: AgentRun | null;
  /** The task its events name, else the one the session's latest event before it named. */
  taskId: string | null;
}

/** A task a session worked on (session_tasks): when its events named it first and last, and how many did. */
export interface TaskLinkChange {
  sessionId: string;
  taskId: string;
  firstAt: number;
  lastAt: number;
  events: number;
}

/** A subagent of a session, from SubagentStart/SubagentStop and the events it sent. */
export interface AgentChange {
  sessionId: string;
  agentId: string;
  agentType: string | null;
  startedAt: number | null;
  endedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface DerivedChanges {
  sessions: SessionChange[];
  toolUses: ToolUseChange[];
  agents: AgentChange[];
  usage: UsageChange[];
  taskLinks: TaskLinkChange[];
}

// Notifications that mean the agent waits for the user (Gemini CLI: ToolPermission).
const IDLE_NOTIFICATIONS = new Set(['permission_prompt', 'idle_prompt', 'ToolPermission']);

export interface DeriveOptions {
  /**
   * Keep tool uses in the order their first event came (a rebuild, which alone writes its
   * session's rows and wants ingest's row order back) instead of the lock order below.
   */
  firstSeenOrder?: boolean;
}

/** `events` in arrival order; each must carry facts. */
export function deriveChanges(events: readonly DerivableEvent[], options: DeriveOptions = {}): DerivedChanges {
  const bySession = new Map<string, DerivableEvent[]>();
  for (const event of events) {
    const list = bySession.get(event.sessionId);
    if (list) list.push(event);
    else bySession.set(event.sessionId, [event]);
  }
  const sessions: SessionChange[] = [];
  const toolUses: ToolUseChange[] = [];
  const agents: AgentChange[] = [];
  const usage: UsageChange[] = [];
  const taskLinks: TaskLinkChange[] = [];
  for (const list of bySession.values()) {
    // Event time decides order; arrival order breaks ties (hooks without timestamps).
    const ordered =
      list.length > 1
        ? list
            .map((e, i) => [e, i] as const)
            .sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1])
            .map(([e]) => e)
        : list;
    sessions.push(sessionChangeOf(ordered));
    toolUses.push(...toolUseChangesOf(ordered));
    agents.push(...agentChangesOf(ordered));
    usage.push(...usageChangesOf(ordered));
    taskLinks.push(...taskLinksOf(ordered));
  }
  // One order for every writer: concurrent PostgreSQL transactions then lock rows in the
  // same sequence and cannot deadlock on each other.
  sessions.sort((a, b) => compare(a.sessionId, b.sessionId));
  if (!options.firstSeenOrder) toolUses.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.toolUseId, b.toolUseId));
  agents.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.agentId, b.agentId));
  usage.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.usageKey, b.usageKey));
  taskLinks.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.taskId, b.taskId));
  return { sessions, toolUses, agents, usage, taskLinks };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sessionChangeOf(ordered: readonly DerivableEvent[]): SessionChange {
  const first = ordered[0]!;
  const change: SessionChange = {
    sessionId: first.sessionId,
    source: first.source,
    teamId: null,
    user: null,
    host: null,
    cwd: null,
    project: null,
    gitBranch: null,
    terminal: null,
    model: null,
    permissionMode: null,
    startedAt: first.ts,
    lastActivityAt: first.ts,
    lastStartAt: null,
    endedAt: null,
    endReason: null,
    idleSince: null,
    idleChangedAt: null,
    events: 0,
    prompts: 0,
    failures: 0,
    subagents: 0,
    permissionDenials: 0,
    stopFailures: 0,
    errorKind: null,
    errorMessage: null,
    errorChangedAt: null,
    taskId: null,
    taskAt: null,
  };
  for (const event of ordered) {
    const f = event.facts;
    change.events++;
    change.lastActivityAt = event.ts;
    if (change.source === 'unknown') change.source = event.source;
    change.teamId = event.teamId ?? change.teamId;
    change.user = event.user ?? change.user;
    change.host = event.host ?? change.host;
    change.cwd = f.cwd ?? change.cwd;
    change.project = f.project ?? change.project;
    change.gitBranch = f.gitBranch ?? change.gitBranch;
    change.terminal = f.terminal ?? change.terminal;
    change.model = f.model ?? change.model;
    change.permissionMode = f.permissionMode ?? change.permissionMode;
    if (f.taskId !== null) {
      change.taskId = f.taskId;
      change.taskAt = event.ts;
    }
    switch (f.kind) {
      case 'session_start':
        change.lastStartAt = event.ts;
        change.endedAt = null;
        change.endReason = null;
        break;
      case 'session_end':
        change.endedAt = event.ts;
        change.endReason = f.reason ?? 'other';
        break;
      case 'prompt':
        change.prompts++;
        // The user carries on: the last turn's error is history (the event and stop_failures keep it).
        change.errorKind = null;
        change.errorMessage = null;
        change.errorChangedAt = event.ts;
        break;
      case 'stop_failure':
        change.stopFailures++;
        change.errorKind = f.reason ?? 'unknown';
        change.errorMessage = f.error;
        change.errorChangedAt = event.ts;
        break;
      case 'permission_denied':
        change.permissionDenials++;
        break;
      case 'tool_fail':
        change.failures++;
        break;
      case 'subagent_start':
        change.subagents++;
        break;
      default:
        break;
    }
    // Waiting for the user starts with a permission or idle notification (or an explicit
    // session_idle) and ends with the next sign of work; other events (stop, compact, plain
    // notifications, metadata updates) leave it as is.
    if (f.kind === 'idle' || (f.kind === 'notification' && f.reason !== null && IDLE_NOTIFICATIONS.has(f.reason))) {
      change.idleSince ??= event.ts;
      change.idleChangedAt = event.ts;
    } else if (ACTIVITY.has(f.kind)) {
      change.idleSince = null;
      change.idleChangedAt = event.ts;
    }
  }
  return change;
}

const ACTIVITY = new Set([
  'session_start',
  'prompt',
  'tool_start',
  'tool_end',
  'tool_fail',
  'subagent_start',
  'subagent_stop',
  'session_end',
  'activity',
]);

function toolUseChangesOf(ordered: readonly DerivableEvent[]): ToolUseChange[] {
  const byId = new Map<string, ToolUseChange>();
  // The task the session's events named so far in this batch: a call made while it was current.
  let currentTask: string | null = null;
  for (const event of ordered) {
    const f = event.facts;
    currentTask = f.taskId ?? currentTask;
    // A call the auto mode denied never runs: it ends failed, its error saying why.
    if (f.kind !== 'tool_start' && f.kind !== 'tool_end' && f.kind !== 'tool_fail' && f.kind !== 'permission_denied') continue;
    // Without a tool_use_id a start cannot be paired: only the outcome is kept, on its own row.
    const toolUseId = f.toolUseId ?? (f.kind === 'tool_start' ? null : `event:${event.eventId}`);
    if (toolUseId === null) continue;
    let change = byId.get(toolUseId);
    if (!change) {
      change = {
        sessionId: event.sessionId,
        toolUseId,
        toolName: f.toolName ?? 'unknown',
        startedAt: null,
        endedAt: null,
        status: 'running',
        error: null,
        interrupted: null,
        reportedDurationMs: null,
        agentId: null,
        agentType: null,
        subagentType: null,
        inputSummary: null,
        truncated: false,
        promptId: null,
        agentRun: null,
        taskId: null,
      };
      byId.set(toolUseId, change);
    }
    if (f.toolName) change.toolName = f.toolName;
    change.agentId = f.agentId ?? change.agentId;
    change.agentType = f.agentType ?? change.agentType;
    change.subagentType = f.subagentType ?? change.subagentType;
    change.inputSummary = f.inputSummary ?? change.inputSummary;
    change.truncated ||= f.truncated;
    change.promptId = f.promptId ?? change.promptId;
    change.agentRun = f.agentRun ?? change.agentRun;
    change.taskId = f.taskId ?? change.taskId ?? currentTask;
    if (f.kind === 'tool_start') {
      change.startedAt ??= event.ts;
      continue;
    }
    change.endedAt = event.ts;
    change.status = f.kind === 'tool_end' ? 'succeeded' : 'failed';
    change.error = f.kind === 'tool_end' ? null : (f.error ?? 'failed');
    change.interrupted = f.interrupted ?? change.interrupted;
    change.reportedDurationMs = f.durationMs ?? change.reportedDurationMs;
  }
  return [...byId.values()];
}

function agentChangesOf(ordered: readonly DerivableEvent[]): AgentChange[] {
  const byId = new Map<string, AgentChange>();
  for (const event of ordered) {
    const f = event.facts;
    if (f.agentId === null) continue;
    let change = byId.get(f.agentId);
    if (!change) {
      change = {
        sessionId: event.sessionId,
        agentId: f.agentId,
        agentType: null,
        startedAt: null,
        endedAt: null,
        firstSeenAt: event.ts,
        lastSeenAt: event.ts,
      };
      byId.set(f.agentId, change);
    }
    change.agentType = f.agentType ?? change.agentType;
    change.lastSeenAt = event.ts;
    if (f.kind === 'subagent_start') change.startedAt ??= event.ts;
    else if (f.kind === 'subagent_stop') change.endedAt = event.ts;
  }
  return [...byId.values()];
}

function taskLinksOf(ordered: readonly DerivableEvent[]): TaskLinkChange[] {
  const byTask = new Map<string, TaskLinkChange>();
  for (const event of ordered) {
    const taskId = event.facts.taskId;
    if (taskId === null) continue;
    const link = byTask.get(taskId);
    if (link) {
      link.lastAt = Math.max(link.lastAt, event.ts);
      link.firstAt = Math.min(link.firstAt, event.ts);
      link.events++;
    } else byTask.set(taskId, { sessionId: event.sessionId, taskId, firstAt: event.ts, lastAt: event.ts, events: 1 });
  }
  return [...byTask.values()];
}
