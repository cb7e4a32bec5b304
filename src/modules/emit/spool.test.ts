import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedEvent } from './captured-event.ts';
import type { EventSink, SendResult } from './event-sink.ts';
import { DEAD_LETTER_FILE, readDeadLetters } from './dead-letters.ts';
import { appendToSpool, CLAIM_STALE_MS, claimSpool, replaySpool, requeueDeadLetters, SPOOL_FILE, spoolPending } from './spool.ts';

const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'hookd-spool-'));
  homes.push(home);
  return home;
};
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

const event = (id: string, session = 's1'): CapturedEvent => ({
  source: 'claude-code',
  event_id: id,
  timestamp: 1_800_000_000_000,
  context: { project: 'billing' },
  payload: { session_id: session, hook_event_name: 'Stop' },
});
const line = (id: string) => JSON.stringify(event(id));

/** A sink that records what it got and answers with `answer(event)`. */
function recordingSink(answer: (e: CapturedEvent) => SendResult['status'] = () => 'sent') {
  const got: string[] = [];
  const sink: EventSink = {
    target: 'test-sink',
    async send(events) {
      const results: SendResult[] = [];
      for (const e of events) {
        const status = answer(e);
        if (status === 'retry') {
          results.push({ status, reason: 'target down' });
          break;
        }
        got.push(e.event_id);
        results.push(status === 'sent' ? { status } : { status: 'failed', reason: 'bad payload' });
      }
      return results;
    },
    async close() {},
  };
  return { sink, got };
}
const silent = { log: () => {} };

describe('spool', () => {
  it('appends whole lines and replays them oldest first, leaving nothing behind', async () => {
    const home = newHome();
    expect(spoolPending(home)).toBe(false);
    appendToSpool(home, [line('e1'), line('e2')]);
    appendToSpool(home, [line('e3')]);
    expect(readFileSync(join(home, SPOOL_FILE), 'utf8').split('\n')).toEqual([line('e1'), line('e2'), line('e3'), '']);
    expect(spoolPending(home)).toBe(true);

    const { sink, got } = recordingSink();
    const result = await replaySpool(home, sink, silent);
    expect(got).toEqual(['e1', 'e2', 'e3']);
    expect(result).toMatchObject({ sent: 3, failed: 0, dead: 0, invalid: 0, kept: 0, stoppedBy: null });
    expect(readdirSync(home)).toEqual([]);
  });

  it('claims by renaming, so appends during a replay start a new spool', () => {
    const home = newHome();
    appendToSpool(home, [line('old')]);
    const claimed = claimSpool(home);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatch(/spool\.\d+\.\d+\.\d+\.replaying$/);
    expect(existsSync(join(home, SPOOL_FILE))).toBe(false);
    appendToSpool(home, [line('new')]);
    expect(readFileSync(claimed[0]!, 'utf8')).toBe(`${line('old')}\n`);
    expect(readFileSync(join(home, SPOOL_FILE), 'utf8')).toBe(`${line('new')}\n`);
    // A second replayer finds nothing it may take: the fresh claim is not stale.
    expect(claimSpool(home).map((f) => f.endsWith('.replaying'))).toEqual([true]);
  });

  it('puts back what was not delivered, in order, after a failure part-way', async () => {
    const home = newHome();
    appendToSpool(home, ['e1', 'e2', 'e3', 'e4'].map(line));
    const { sink, got } = recordingSink((e) => (e.event_id === 'e3' ? 'retry' : 'sent'));
    const result = await replaySpool(home, sink, silent);
    expect(got).toEqual(['e1', 'e2']);
    expect(result).toMatchObject({ sent: 2, kept: 2, stoppedBy: 'target down' });
    expect(readdirSync(home)).toEqual([SPOOL_FILE]);
    expect(readFileSync(join(home, SPOOL_FILE), 'utf8')).toBe(`${line('e3')}\n${line('e4')}\n`);

    const again = recordingSink();
    await replaySpool(home, again.sink, silent);
    expect(again.got).toEqual(['e3', 'e4']);
  });

  it('goes on past an event that fails, keeps it with its tries counted, and sets it aside at the third', async () => {
    const home = newHome();
    appendToSpool(home, [line('e1'), line('bad'), '{"source":"claude-code","event_id":"torn', line('e2')]);
    const logged: string[] = [];
    const { sink, got } = recordingSink((e) => (e.event_id === 'bad' ? 'failed' : 'sent'));
    const first = await replaySpool(home, sink, { log: (m) => logged.push(m) });
    expect(got).toEqual(['e1', 'bad', 'e2']);
    expect(first).toMatchObject({ sent: 2, failed: 1, dead: 0, invalid: 1, kept: 1 });
    expect(logged.join('\n')).toMatch(/event bad failed \(try 1 of 3\), kept for another: bad payload/);
    expect(logged.join('\n')).toMatch(/unreadable line/);
    expect(JSON.parse(readFileSync(join(home, SPOOL_FILE), 'utf8'))).toMatchObject({
      event_id: 'bad',
      attempts: 1,
      last_error: 'bad payload',
    });

    appendToSpool(home, [line('e3')]);
    expect(await replaySpool(home, sink, silent)).toMatchObject({ sent: 1, failed: 1, dead: 0, kept: 1 });
    const third = await replaySpool(home, sink, { log: (m) => logged.push(m) });
    expect(third).toMatchObject({ sent: 0, failed: 0, dead: 1, kept: 0 });
    expect(logged.at(-1)).toMatch(/gave up on event bad after 3 tries, set aside in .*spool-dead\.jsonl: bad payload/);
    expect(readdirSync(home)).toEqual([DEAD_LETTER_FILE]);
    expect(readDeadLetters(home)).toEqual([expect.objectContaining({ event_id: 'bad', attempts: 3, dead_at: expect.any(Number) })]);
    expect(got).toEqual(['e1', 'bad', 'e2', 'bad', 'e3', 'bad']);

    // Sent again on request, its tries reset: the target takes it now.
    expect(requeueDeadLetters(home)).toBe(1);
    expect(readDeadLetters(home)).toEqual([]);
    const again = recordingSink();
    expect(await replaySpool(home, again.sink, silent)).toMatchObject({ sent: 1, kept: 0 });
    expect(again.got).toEqual(['bad']);
  });

  it('sets nothing aside during an outage, however many replays meet it', async () => {
    const home = newHome();
    appendToSpool(home, [line('e1'), line('e2')]);
    const { sink } = recordingSink(() => 'retry');
    for (let i = 0; i < 5; i++) expect(await replaySpool(home, sink, silent)).toMatchObject({ sent: 0, failed: 0, dead: 0, kept: 2 });
    expect(readDeadLetters(home)).toEqual([]);
    expect(readFileSync(join(home, SPOOL_FILE), 'utf8')).toBe(`${line('e1')}\n${line('e2')}\n`);
  });

  it('takes over a claimed file a crashed replayer left over a minute ago, before the current spool', async () => {
    const home = newHome();
    const stale = `spool.999999.${Date.now() - CLAIM_STALE_MS - 1000}.0.replaying`;
    const live = `spool.999998.${Date.now()}.0.replaying`;
    writeFileSync(join(home, stale), `${line('crashed-1')}\n${line('crashed-2')}\n`);
    writeFileSync(join(home, live), `${line('live')}\n`);
    appendToSpool(home, [line('current')]);
    const { sink, got } = recordingSink();
    await replaySpool(home, sink, silent);
    expect(got).toEqual(['crashed-1', 'crashed-2', 'current']);
    // A claim younger than a minute belongs to a replayer still at work.
    expect(readdirSync(home)).toEqual([live]);
  });

  it('stops at the deadline and keeps the rest', async () => {
    const home = newHome();
    appendToSpool(
      home,
      Array.from({ length: 5 }, (_, i) => line(`e${i}`)),
    );
    const { sink, got } = recordingSink();
    const result = await replaySpool(home, sink, { log: () => {}, deadline: Date.now() - 1 });
    expect(got).toEqual([]);
    expect(result.kept).toBe(5);
    expect(readFileSync(join(home, SPOOL_FILE), 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('loses nothing while other processes append during replays', async () => {
    const home = newHome();
    const writers = 4;
    const perWriter = 300;
    const spoolModule = new URL('./spool.ts', import.meta.url).href;
    const script = `const { appendToSpool } = await import(${JSON.stringify(spoolModule)});
      const [home, writer, n] = process.argv.slice(1);
      for (let i = 0; i < Number(n); i++) if (!appendToSpool(home, [JSON.stringify({ source: 'claude-code', event_id: writer + '-' + i,
        timestamp: 1, context: {}, payload: { session_id: 's' } })])) throw new Error('appendToSpool gave up on ' + writer + '-' + i);`;
    const run = promisify(execFile);
    const appending = Promise.all(
      Array.from({ length: writers }, (_, w) =>
        run(process.execPath, ['--input-type=module', '-e', script, home, `w${w}`, String(perWriter)]),
      ),
    );
    const { sink, got } = recordingSink();
    // What the replays said, printed with a failure: which path lost a line, if one ever does.
    const said: string[] = [];
    const logged = { log: (message: string) => said.push(message) };
    let done = false;
    void appending.finally(() => (done = true));
    while (!done) {
      await replaySpool(home, sink, logged);
      await new Promise((r) => setTimeout(r, 2));
    }
    await appending;
    await replaySpool(home, sink, logged);

    const expected = Array.from({ length: writers }, (_, w) => Array.from({ length: perWriter }, (_, i) => `w${w}-${i}`)).flat();
    const missing = expected.filter((id) => !got.includes(id));
    expect(missing, `lost ${missing.join(', ')}; replays said: ${said.join(' | ')}; left: ${readdirSync(home).join(', ')}`).toEqual([]);
    expect(new Set(got)).toEqual(new Set(expected));
    // Each writer's events arrive in the order written (a repeat from a racing append aside).
    for (let w = 0; w < writers; w++) {
      const firsts = [...new Set(got.filter((id) => id.startsWith(`w${w}-`)))].map((id) => Number(id.split('-')[1]));
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    }
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);
});
