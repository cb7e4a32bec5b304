import type { HookContext } from '../hooks/hook-adapter.ts';
import type { CapturedEvent } from './captured-event.ts';

/**
 * What `hookd emit` hands the transcript reader it starts (`hookd emit-usage JOB`): the
 * transcript, the session its tokens belong to, and the hook event's own context (project,
 * branch, user...), so the usage events read like the session's other events.
 */
export interface TranscriptJob {
  transcript: string;
  session_id: string;
  /** The hook event that named the transcript: Stop, SubagentStop or SessionEnd. */
  hook: string;
  source: string;
  context: HookContext;
  user?: string;
  host?: string;
  team?: string;
}

/**
 * Which file each event says is complete. Claude Code names the session's transcript in
 * Stop and SessionEnd; SubagentStop names the subagent's own (`agent_transcript_path`) and
 * its `transcript_path` is the main one, still being written while the turn goes on: that
 * one waits for the turn's Stop.
 */
const TRANSCRIPT_FIELD: Readonly<Record<string, string>> = {
  Stop: 'transcript_path',
  SessionEnd: 'transcript_path',
  SubagentStop: 'agent_transcript_path',
};

export const TRANSCRIPT_SOURCE = 'claude-code';

/** The job for a captured event, or null when it names no transcript to read. */
export function transcriptJobOf(event: CapturedEvent): TranscriptJob | null {
  if (event.source !== TRANSCRIPT_SOURCE) return null;
  const { payload } = event;
  const hook = payload.hook_event_name;
  const field = typeof hook === 'string' ? TRANSCRIPT_FIELD[hook] : undefined;
  if (!field) return null;
  const transcript = payload[field];
  const session = payload.session_id;
  if (typeof transcript !== 'string' || transcript === '' || typeof session !== 'string' || session === '') return null;
  const job: TranscriptJob = { transcript, session_id: session, hook: hook as string, source: event.source, context: event.context };
  if (event.user) job.user = event.user;
  if (event.host) job.host = event.host;
  if (event.team) job.team = event.team;
  return job;
}

/** The job back from its command-line argument; null when it is not one. */
export function parseTranscriptJob(text: string): TranscriptJob | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const job = value as Partial<TranscriptJob>;
  const strings = [job.transcript, job.session_id, job.hook, job.source].every((v) => typeof v === 'string' && v !== '');
  const optional = [job.user, job.host, job.team].every((v) => v === undefined || typeof v === 'string');
  const context = typeof job.context === 'object' && job.context !== null && !Array.isArray(job.context);
  return strings && optional && context ? (job as TranscriptJob) : null;
}
