import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedEvent } from './captured-event.ts';
import { emitSettings } from './emit-settings.ts';
import type { EventSink, SendResult } from './event-sink.ts';
import { SPOOL_FILE } from './spool.ts';
import type { TranscriptJob } from './transcript-job.ts';
import { transcriptSettings } from './transcript-settings.ts';
import { readTranscriptState, transcriptStateFile } from './transcript-state.ts';
import { reportTranscriptUsage, type TranscriptUsageOptions } from './transcript-usage.ts';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/claude-code-transcript/session.jsonl');

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-transcript-usage-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  home: string;
  job: TranscriptJob;
  sent: CapturedEvent[][];
  logged: string[];
  options: TranscriptUsageOptions;
}

/** A home, the fixture transcript, and a sink answering `answer` for each event. */
function setup(answer: (e: CapturedEvent) => SendResult = () => ({ status: 'sent' }), env: NodeJS.ProcessEnv = {}): Setup {
  const home = tempDir();
  const transcript = join(tempDir(), 's-1.jsonl');
  copyFileSync(FIXTURE, transcript);
  const sent: CapturedEvent[][] = [];
  const logged: string[] = [];
  const sink: EventSink = {
    target: 'test',
    async send(events) {
      sent.push([...events]);
      const results: SendResult[] = [];
      for (const e of events) {
        const result = answer(e);
        results.push(result);
        if (result.status === 'retry') break;
      }
      return results;
    },
    async close() {},
  };
  const job: TranscriptJob = {
    transcript,
    session_id: 's-1',
    hook: 'Stop',
    source: 'claude-code',
    context: { project: 'billing' },
    user: 'ana',
  };
  const options: TranscriptUsageOptions = {
    settings: emitSettings({ HOOKD_HOME: home }),
    transcript: transcriptSettings(env),
    env,
    log: (m) => logged.push(m),
    openSink: async () => sink,
    settleMs: 0,
  };
  return { home, job, sent, logged, options };
}

const spooled = (home: string) =>
  readFileSync(join(home, SPOOL_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CapturedEvent & { attempts?: number });

describe('reportTranscriptUsage', () => {
  it('sends one hookd.usage event per request, in one batch, then remembers where it stopped', async () => {
    const s = setup();
    await reportTranscriptUsage(s.job, s.options);
    expect(s.sent).toHaveLength(1);
    const [first] = s.sent[0]!;
    expect(first).toEqual({
      source: 'claude-code',
      event_id: 'transcript:req_011A',
      timestamp: Date.parse('2026-12-01T09:00:03.400Z'),
      context: { project: 'billing' },
      user: 'ana',
      payload: {
        hook_event_name: 'hookd.usage',
        session_id: 's-1',
        origin: 'transcript',
        request_id: 'req_011A',
        prompt_id: 'p-1',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: 1000,
        output_tokens: 180,
        cache_read_tokens: 20000,
        cache_creation_tokens: 3000,
        transcript_path: s.job.transcript,
      },
    });
    expect(s.sent[0]!.map((e) => e.event_id)).toEqual(['transcript:req_011A', 'transcript:req_011B', 'transcript:req_011C']);
    expect(readTranscriptState(transcriptStateFile(s.home, s.job.transcript), s.job.transcript)).toMatchObject({
      offset: readFileSync(FIXTURE).length,
      reported: ['msg_01A:req_011A', 'msg_01B:req_011B', 'msg_01C:req_011C'],
    });
    expect(s.logged).toEqual([expect.stringMatching(/3 requests reported; skipped 1 lines that are not JSON$/)]);

    // Nothing new: nothing sent, nothing said.
    s.logged.length = 0;
    await reportTranscriptUsage(s.job, s.options);
    expect(s.sent).toHaveLength(1);
    expect(s.logged).toEqual([]);
  });

  it('spools what the target cannot take now, and what it refuses with the try counted', async () => {
    const s = setup((e) =>
      e.event_id === 'transcript:req_011A' ? { status: 'failed', reason: 'answered 400' } : { status: 'retry', reason: 'server down' },
    );
    await reportTranscriptUsage(s.job, s.options);
    expect(spooled(s.home).map((e) => [e.event_id, e.attempts])).toEqual([
      ['transcript:req_011A', 1],
      ['transcript:req_011B', undefined],
      ['transcript:req_011C', undefined],
    ]);
    expect(s.logged.some((m) => m.startsWith('server down; 2 usage events of session s-1 spooled to'))).toBe(true);
    // Spooled counts as delivered: the next read starts past them.
    expect(readTranscriptState(transcriptStateFile(s.home, s.job.transcript), s.job.transcript)?.reported).toHaveLength(3);
  });

  it('spools everything when the store cannot be opened', async () => {
    const s = setup();
    s.options.openSink = async () => {
      throw new Error('database is locked');
    };
    await reportTranscriptUsage(s.job, s.options);
    expect(spooled(s.home)).toHaveLength(3);
    expect(s.logged).toContainEqual(expect.stringMatching(/^cannot open the database: database is locked; 3 usage events/));
  });

  it('reads the same lines again next time when the events could be neither stored nor spooled', async () => {
    const s = setup(() => ({ status: 'retry', reason: 'server down' }));
    mkdirSync(join(s.home, SPOOL_FILE), { recursive: true });
    await reportTranscriptUsage(s.job, s.options);
    expect(existsSync(transcriptStateFile(s.home, s.job.transcript))).toBe(false);
    expect(s.logged.at(-1)).toBe(`the transcript ${s.job.transcript} will be read again from byte 0 by the next Stop`);
  });

  it('says the tokens are unknown when the transcript is gone, and logs ignored settings', async () => {
    const s = setup(undefined, { HOOKD_TRANSCRIPT_MAX_BYTES: 'lots' });
    rmSync(s.job.transcript);
    await reportTranscriptUsage(s.job, s.options);
    expect(s.logged).toEqual([
      `HOOKD_TRANSCRIPT_MAX_BYTES must be a whole number from 4096 to ${1024 ** 3} (got "lots"); using ${8 * 1024 * 1024}`,
      expect.stringMatching(/^tokens unknown for session s-1: cannot read the transcript \S+: .*ENOENT/),
    ]);
    expect(s.sent).toEqual([]);
  });

  it('goes on over several runs when the byte budget is small', async () => {
    const s = setup(undefined, { HOOKD_TRANSCRIPT_MAX_BYTES: '4096' });
    await reportTranscriptUsage(s.job, s.options);
    expect(s.logged).toEqual([expect.stringMatching(/read 4096 bytes \(HOOKD_TRANSCRIPT_MAX_BYTES=4096\), \d+ left for the next Stop$/)]);
    await reportTranscriptUsage(s.job, s.options);
    expect(s.sent.flat().map((e) => e.event_id)).toEqual(['transcript:req_011A', 'transcript:req_011B', 'transcript:req_011C']);
  });
});
