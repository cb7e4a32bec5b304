import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedEvent } from './captured-event.ts';
import { parseTranscriptJob } from './transcript-job.ts';
import { readTranscriptLater } from './transcript-trigger.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-transcript-trigger-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const event = (payload: Record<string, unknown>, source = 'claude-code'): CapturedEvent => ({
  source,
  event_id: 'e-1',
  timestamp: 1_800_000_000_000,
  context: { project: 'billing', git_branch: 'main' },
  user: 'ana',
  host: 'laptop',
  payload: { session_id: 's-1', ...payload },
});

/** A stand-in for main.js that writes down the arguments it was started with. */
function fakeMain(dir: string): { script: string; ran: string } {
  const script = join(dir, 'main.js');
  const ran = join(dir, 'ran.json');
  writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(ran)}, JSON.stringify(process.argv.slice(2)));\n`);
  return { script, ran };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('readTranscriptLater', () => {
  it('starts the reader, detached, with the job, for a Stop naming an existing transcript', async () => {
    const dir = tempDir();
    const transcript = join(dir, 's-1.jsonl');
    writeFileSync(transcript, '');
    const { script, ran } = fakeMain(dir);
    const logged: string[] = [];
    readTranscriptLater(event({ hook_event_name: 'Stop', transcript_path: transcript }), {}, (m) => logged.push(m), script);
    await until(() => existsSync(ran) && readFileSync(ran, 'utf8') !== '');
    const [command, job, ...rest] = JSON.parse(readFileSync(ran, 'utf8')) as string[];
    expect([command, rest]).toEqual(['emit-usage', []]);
    expect(parseTranscriptJob(job!)).toEqual({
      transcript,
      session_id: 's-1',
      hook: 'Stop',
      source: 'claude-code',
      context: { project: 'billing', git_branch: 'main' },
      user: 'ana',
      host: 'laptop',
    });
    expect(logged).toEqual([]);
  });

  it("reads a subagent's own transcript at SubagentStop, never the main one still being written", async () => {
    const dir = tempDir();
    const main = join(dir, 's-1.jsonl');
    const agent = join(dir, 'agent-1.jsonl');
    writeFileSync(main, '');
    writeFileSync(agent, '');
    const { script, ran } = fakeMain(dir);
    readTranscriptLater(event({ hook_event_name: 'SubagentStop', transcript_path: main }), {}, () => {}, script);
    readTranscriptLater(
      event({ hook_event_name: 'SubagentStop', transcript_path: main, agent_transcript_path: agent }),
      {},
      () => {},
      script,
    );
    await until(() => existsSync(ran) && readFileSync(ran, 'utf8') !== '');
    expect(parseTranscriptJob(JSON.parse(readFileSync(ran, 'utf8'))[1])).toMatchObject({ transcript: agent, hook: 'SubagentStop' });
  });

  it('starts nothing for other events, other agents, or with HOOKD_TRANSCRIPT_USAGE=off', async () => {
    const dir = tempDir();
    const transcript = join(dir, 's-1.jsonl');
    writeFileSync(transcript, '');
    const { script, ran } = fakeMain(dir);
    const logged: string[] = [];
    const log = (m: string) => logged.push(m);
    readTranscriptLater(event({ hook_event_name: 'PostToolUse', transcript_path: transcript }), {}, log, script);
    readTranscriptLater(event({ hook_event_name: 'Stop', transcript_path: transcript }, 'codex'), {}, log, script);
    readTranscriptLater(event({ hook_event_name: 'Stop', transcript_path: transcript }), { HOOKD_TRANSCRIPT_USAGE: 'off' }, log, script);
    readTranscriptLater(event({ hook_event_name: 'Stop', transcript_path: transcript }), { HOOKD_TRANSCRIPT_USAGE: ' OFF ' }, log, script);
    readTranscriptLater(event({ hook_event_name: 'Stop', transcript_path: transcript, session_id: undefined }), {}, log, script);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(ran)).toBe(false);
    expect(logged).toEqual([]);
  });

  it('says the tokens are unknown when the transcript cannot be read, and is silent about paths of other machines', () => {
    const dir = tempDir();
    const logged: string[] = [];
    const later = (payload: Record<string, unknown>, script = join(dir, 'main.js')) =>
      readTranscriptLater(event({ hook_event_name: 'Stop', ...payload }), {}, (m) => logged.push(m), script);
    later({ transcript_path: join(dir, 'gone.jsonl') });
    later({ transcript_path: 'relative/s-1.jsonl' });
    mkdirSync(join(dir, 'folder.jsonl'));
    later({ transcript_path: join(dir, 'folder.jsonl') });
    later({ transcript_path: dir });
    // A folder this machine does not have: a payload recorded elsewhere.
    later({ transcript_path: '/home/nobody-here/.claude/projects/x/s-1.jsonl' });
    writeFileSync(join(dir, 's-1.jsonl'), '');
    later({ transcript_path: join(dir, 's-1.jsonl') }, '/usr/lib/node_modules/vitest/vitest.mjs');
    expect(logged).toEqual([
      `tokens unknown for session s-1: the transcript ${join(dir, 'gone.jsonl')} does not exist`,
      'tokens unknown for session s-1: the transcript path "relative/s-1.jsonl" is not an absolute path to a .jsonl file',
      `tokens unknown for session s-1: the transcript ${join(dir, 'folder.jsonl')} is not a file`,
      `tokens unknown for session s-1: the transcript path "${dir}" is not an absolute path to a .jsonl file`,
      "tokens unknown for session s-1: emit did not run from hookd's main.js, so it cannot start the transcript reader",
    ]);
  });
});
