import { fileKey } from './file-key.ts';
import { fs } from '../../core/builtin-fs.ts';
import type { CapturedEvent } from './captured-event.ts';

/**
 * Gemini CLI gives its tool calls no id, so BeforeTool and AfterTool could not be told
 * apart from other calls of the same tool. Emit, which runs for every event of the agent,
 * gives each BeforeTool an id (its own event id) and hands it to the AfterTool of the same
 * tool and input: the oldest still open, else the oldest of the same tool (a hook may have
 * rewritten the input). The open calls of a session are kept in a small file under
 * $HOOKD_HOME/tool-calls, which the session's end removes.
 */
const STARTS = new Set(['BeforeTool']);
const ENDS = new Set(['AfterTool']);
const ENDS_SESSION = 'SessionEnd';

interface OpenCall {
  id: string;
  tool: string;
  input: string;
}

export function needsPairing(payload: Record<string, unknown>): boolean {
  const name = payload.hook_event_name;
  if (typeof name !== 'string' || typeof payload.session_id !== 'string') return false;
  if (name === ENDS_SESSION) return true;
  return (STARTS.has(name) || ENDS.has(name)) && payload.tool_use_id === undefined;
}

/** Sets `event.context.tool_use_id` for a Gemini tool event; errors are the caller's to log. */
export function pairToolCall(home: string, event: CapturedEvent): void {
  const payload = event.payload;
  const name = payload.hook_event_name as string;
  const file = `${home}/tool-calls/${fileKey(payload.session_id as string)}.json`;
  if (name === ENDS_SESSION) {
    fs.rmSync(file, { force: true });
    return;
  }
  const open = readOpen(file);
  const tool = typeof payload.tool_name === 'string' ? payload.tool_name : '';
  const input = JSON.stringify(payload.tool_input ?? null);
  if (STARTS.has(name)) {
    open.push({ id: event.event_id, tool, input });
    event.context.tool_use_id = event.event_id;
  } else {
    let at = open.findIndex((c) => c.tool === tool && c.input === input);
    if (at < 0) at = open.findIndex((c) => c.tool === tool);
    // An end whose start was never seen keeps an id of its own: its call is still recorded.
    event.context.tool_use_id = at < 0 ? event.event_id : open.splice(at, 1)[0]!.id;
    if (at < 0) return;
  }
  writeOpen(file, open);
}

function readOpen(file: string): OpenCall[] {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(value) ? (value as OpenCall[]).filter((c) => typeof c?.id === 'string') : [];
  } catch {
    return [];
  }
}

function writeOpen(file: string, open: OpenCall[]): void {
  if (open.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  const dir = file.slice(0, file.lastIndexOf('/'));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A rename, so a concurrent emit reads the old list or the new one, never half of one.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(open), { mode: 0o600 });
  fs.renameSync(temp, file);
}
