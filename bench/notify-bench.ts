// npm run bench:notify — notification delivery through generic webhook channels (no pacing)
// to a local receiver that answers 200 after 20 ms, on each storage (hookd serve as its own
// process, as users run it):
//   1. throughput: ~20,000 notifications created at once (2,500 events stored through
//      POST /events/batch, each firing one rule that names 8 channels); deliveries per second
//      from the first notification's creation until the receiver has answered the last.
//      Floor: at least 500/s.
//   2. latency: 100 firing events a second for 30 s through POST /events, one channel each;
//      per event, from the client holding its 202 until the receiver answered its webhook
//      (p50/p95/p99/max). Floor: p99 at most 1 s.
// Baseline of the same run: a bare HTTP client (bench/notify-baseline-client.ts, its own
// process) posting the same bodies to the same receiver at the worker's batch size (50 in
// flight), fresh connection each as hookd's safePost: the raw HTTP rate hookd's outbox is
// measured against. Each round runs the baseline, then every storage in turn (medians of the
// rounds). Every run checks what it measured: every notification answered once (no
// webhook-id twice), nothing left pending, failed or dead, no attempt but a sent one.
//   BENCH_RUNS=n             rounds (default 2)
//   BENCH_STORAGES=a,b       sqlite-full, sqlite-normal, postgres (default sqlite-full,postgres)
//   BENCH_NOTIFICATIONS=n    notifications of the throughput run (default 20000, one per channel per event)
//   BENCH_CHANNELS=n         webhook channels (default 8, at most 20)
//   BENCH_LATENCY_SECONDS=n  length of the latency run (default 30)
//   BENCH_PROFILE=1          each server writes a V8 CPU profile to bench/results/profiles/ (bench/cpu-profile-summary.ts)
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type BenchStorage, benchStorages, type FreshDatabase } from './bench-storages.ts';
import { installCleanupHandlers, onCleanup, runBench } from './cleanup.ts';
import { type HookdServer, startHookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { machineWindow, readCpuTimes, waitForQuiet } from './machine-load.ts';
import type { BaselineResult } from './notify-baseline-client.ts';
import { quantile } from './quantile.ts';
import { machineLine } from './report.ts';
import { table } from './report-format.ts';
import { type PromSnapshot, parsePrometheus } from './server-window.ts';
import { median } from './summary.ts';
import { listSetting, numberSetting } from './settings.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const BASELINE_CLIENT = fileURLToPath(new URL('./notify-baseline-client.ts', import.meta.url));

const RUNS = numberSetting('BENCH_RUNS', 2, true);
const CHANNELS = numberSetting('BENCH_CHANNELS', 8, true);
// A rule names at most 20 channels (MAX_RULE_CHANNELS).
if (CHANNELS > 20) throw new Error('BENCH_CHANNELS must be at most 20: one rule names them all');
const NOTIFICATIONS = numberSetting('BENCH_NOTIFICATIONS', 20_000, true);
const THROUGHPUT_EVENTS = Math.ceil(NOTIFICATIONS / CHANNELS);
const LATENCY_SECONDS = numberSetting('BENCH_LATENCY_SECONDS', 30, true);
const LATENCY_RATE = 100;
const STORAGES = listSetting('BENCH_STORAGES') ?? ['sqlite-full', 'postgres'];
const PROFILE = process.env.BENCH_PROFILE === '1';
const RECEIVER_DELAY_MS = 20;
/** The notification worker's claim (notification-worker.ts: batch 50). */
const BASELINE_CONCURRENCY = 50;
/** Requests per baseline run: enough for a steady rate at ~1,500/s, few enough to keep the run short. */
const BASELINE_REQUESTS = 10_000;
const BATCH_EVENTS = 500;
const SESSIONS = 25;
const TEAM = 'bench-notify';
const WARM_UP_EVENTS = 100;

const QUIET_WAIT_S = Number(process.env.BENCH_QUIET_WAIT ?? 10);
// Idle hookd and receiver use a few %; more means another process is busy.
const QUIET_BUSY_PERCENT = 25;
let quietBudgetMs = 60_000;

const THROUGHPUT_FLOOR = 500;
const P99_FLOOR_MS = 1000;

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number) => (Number.isFinite(n) ? (n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '-');
/** Epoch ms with the fraction: comparable with the server's Date.now() and across this process. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** Before a measurement, waits (within a budget) for other processes to go quiet; a note for its line. */
async function quieten(): Promise<string> {
  if (!(QUIET_WAIT_S > 0) || quietBudgetMs <= 0) return '';
  const { waitedMs, busyPercent } = await waitForQuiet(QUIET_BUSY_PERCENT, Math.min(QUIET_WAIT_S * 1000, quietBudgetMs));
  quietBudgetMs -= waitedMs;
  if (busyPercent > QUIET_BUSY_PERCENT)
    return ` [machine still ${Math.round(busyPercent)}% busy after waiting ${Math.round(waitedMs / 1000)} s]`;
  return waitedMs > 1000 ? ` [waited ${Math.round(waitedMs / 1000)} s for quiet]` : '';
}

// --- the receiver -------------------------------------------------------------------------

interface Answered {
  arrivedAt: number;
  answeredAt: number;
  eventId: string | null;
}

/**
 * A webhook endpoint on 127.0.0.1 answering 200 after RECEIVER_DELAY_MS. It verifies nothing
 * (the figure is hookd's speed, not a signature check) but keeps, per webhook-id, the first
 * answer, and counts repeats.
 */
class Receiver {
  readonly url: string;
  private readonly server: Server;
  private unregister: () => void = () => {};
  answers = new Map<string, Answered>();
  requests = 0;
  duplicates = 0;
  withoutId = 0;
  answered = 0;
  firstArrival = Infinity;
  lastAnswered = 0;

  private constructor(server: Server) {
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, resolve);
    });
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const arrivedAt = now();
        receiver.requests++;
        if (arrivedAt < receiver.firstArrival) receiver.firstArrival = arrivedAt;
        const id = req.headers['webhook-id'];
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          const answeredAt = now();
          receiver.answered++;
          if (answeredAt > receiver.lastAnswered) receiver.lastAnswered = answeredAt;
          if (typeof id !== 'string') {
            receiver.withoutId++;
            return;
          }
          if (receiver.answers.has(id)) {
            receiver.duplicates++;
            return;
          }
          let eventId: string | null = null;
          try {
            eventId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { event_id?: string } }).data?.event_id ?? null;
          } catch {
            // Not JSON: counted, not mapped to an event.
          }
          receiver.answers.set(id, { arrivedAt, answeredAt, eventId });
        }, RECEIVER_DELAY_MS);
      });
    });
    receiver.unregister = onCleanup('notify receiver', () => receiver.close());
    return receiver;
  }

  reset(): void {
    this.answers = new Map();
    this.requests = this.duplicates = this.withoutId = this.answered = this.lastAnswered = 0;
    this.firstArrival = Infinity;
  }

  /** Until `count` distinct webhook-ids were answered; false when `timeoutMs` passed first. */
  async waitFor(count: number, timeoutMs: number, label: string): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    let report = performance.now() + 10_000;
    while (this.answers.size < count) {
      if (performance.now() > deadline) return false;
      if (performance.now() > report) {
        console.log(`    ${label}: ${fmt(this.answers.size)} of ${fmt(count)} answered so far`);
        report += 10_000;
      }
      await sleep(20);
    }
    return true;
  }

  close(): Promise<void> {
    this.unregister();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// --- hookd ----------------------------------------------------------------------------------

interface Target {
  storage: BenchStorage;
  facts: string;
  db: FreshDatabase;
  server: HookdServer;
}

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const channelId = (c: number) => `bench-${c}`;
const always = { logic: 'and', conditions: [] };

/** Installation-wide webhook channels to the receiver, and the team's rules: one naming all channels, one per channel. */
async function setUp(baseUrl: string, receiver: Receiver): Promise<void> {
  for (let c = 0; c < CHANNELS; c++) {
    await call(baseUrl, 'POST', '/channels', {
      channel_id: channelId(c),
      kind: 'webhook',
      url: `${receiver.url}c${c}`,
      secret: `whsec_${randomBytes(32).toString('base64')}`,
    });
  }
  const channels = Array.from({ length: CHANNELS }, (_, c) => channelId(c));
  await call(baseUrl, 'PUT', `/teams/${TEAM}/configuration`, {
    configuration: {
      // Every notification as itself: the bench measures deliveries, not digests.
      notification_preferences: { batch_timeout_minutes: 0 },
      rules: [
        { rule_id: 'all', name: 'Every channel', hook_types: ['notify_all'], channels, conditions: always },
        ...channels.map((id, c) => ({
          rule_id: `one-${c}`,
          name: `Channel ${c}`,
          hook_types: [`notify_one_${c}`],
          channels: [id],
          conditions: always,
        })),
      ],
    },
  });
}

async function startTarget(storage: BenchStorage, receiver: Receiver): Promise<Target> {
  const facts = await storage.describe();
  const db = await storage.freshDatabase();
  const env = {
    ...db.env,
    HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
    // Channels' URLs and secrets are sealed under it; on PostgreSQL there is no key file.
    HOOKD_SECRET_KEY: `k1:${randomBytes(32).toString('base64')}`,
  };
  const cpuProfileDir = PROFILE ? `${RESULTS_DIR}profiles/notify-${storage.key}-${Date.now()}` : undefined;
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const server = await startHookdServer(cpuProfileDir ? { env, cpuProfileDir } : { env }).catch(async (error: unknown) => {
    await db.dispose();
    throw error;
  });
  try {
    await setUp(server.baseUrl, receiver);
  } catch (error) {
    await server.stop();
    await db.dispose();
    throw error;
  }
  return { storage, facts, db, server };
}

async function scrape(target: Target): Promise<PromSnapshot> {
  return parsePrometheus(await target.server.prometheus());
}

/** Attempts by outcome (sent, retry, permanent) between two scrapes. */
function attempts(before: PromSnapshot, after: PromSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of after) {
    if (!name.startsWith('hookd_notification_attempts_total{')) continue;
    const outcome = /outcome="([^"]+)"/.exec(name)?.[1] ?? '?';
    out[outcome] = (out[outcome] ?? 0) + value - (before.get(name) ?? 0);
  }
  return out;
}

const cpuDelta = (before: PromSnapshot, after: PromSnapshot) =>
  (after.get('process_cpu_seconds_total') ?? NaN) - (before.get('process_cpu_seconds_total') ?? NaN);

interface ListedNotification {
  status: string;
  created_at: string;
}

/** Every notification of a session: the first and last creation time, and how many. */
async function sessionNotifications(baseUrl: string, sessionId: string): Promise<ListedNotification[]> {
  const all: ListedNotification[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/notifications?team_id=${TEAM}&session_id=${encodeURIComponent(sessionId)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await call(baseUrl, 'GET', query)) as { items: ListedNotification[]; next_cursor: string | null };
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

/** created_at of the notifications named (newest first, as the list goes, until all are found). */
async function createdTimes(baseUrl: string, ids: Set<string>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const query: string = `/notifications?team_id=${TEAM}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await call(baseUrl, 'GET', query)) as {
      items: (ListedNotification & { notification_id: string })[];
      next_cursor: string | null;
    };
    for (const n of page.items) if (ids.has(n.notification_id)) found.set(n.notification_id, Date.parse(n.created_at));
    cursor = page.next_cursor;
  } while (cursor && found.size < ids.size);
  return found;
}

/** What the outbox still holds that is not sent: pending, sending, failed, dead. */
async function unsettled(baseUrl: string): Promise<string[]> {
  const problems: string[] = [];
  for (const status of ['pending', 'sending', 'failed', 'dead']) {
    const page = (await call(baseUrl, 'GET', `/notifications?team_id=${TEAM}&status=${status}&limit=500`)) as { items: unknown[] };
    if (page.items.length) problems.push(`${page.items.length}${page.items.length === 500 ? '+' : ''} ${status}`);
  }
  return problems;
}

interface Event {
  event_type: string;
  session_id: string;
  event_id: string;
  team_id: string;
  source: string;
  data: Record<string, unknown>;
}

const event = (type: string, sessionId: string, eventId: string, i: number): Event => ({
  event_type: type,
  session_id: sessionId,
  event_id: eventId,
  team_id: TEAM,
  source: 'bench',
  data: { tool_name: 'Bash', tool_input: { command: `echo ${i}` } },
});

/**
 * Checks a run's receiver and outbox, once hookd has recorded the last answers (the receiver
 * sees them before hookd settles them); the problems found (empty: the run counts).
 */
async function checkRun(target: Target, receiver: Receiver, expected: number, before: PromSnapshot): Promise<string[]> {
  const deadline = performance.now() + 30_000;
  let after = await scrape(target);
  let left = await unsettled(target.server.baseUrl);
  while ((left.length > 0 || (attempts(before, after).sent ?? 0) < expected) && performance.now() < deadline) {
    await sleep(100);
    after = await scrape(target);
    left = await unsettled(target.server.baseUrl);
  }
  const problems: string[] = [];
  if (receiver.answers.size !== expected) problems.push(`${fmt(receiver.answers.size)} of ${fmt(expected)} notifications answered`);
  if (receiver.duplicates) problems.push(`${receiver.duplicates} webhook-ids arrived twice or more`);
  if (receiver.withoutId) problems.push(`${receiver.withoutId} requests without a webhook-id`);
  const tried = attempts(before, after);
  if ((tried.sent ?? 0) !== expected) problems.push(`${fmt(tried.sent ?? 0)} attempts recorded sent, ${fmt(expected)} expected`);
  for (const [outcome, n] of Object.entries(tried)) if (outcome !== 'sent' && n > 0) problems.push(`${n} attempts ${outcome}`);
  problems.push(...left.map((p) => `outbox holds ${p}`));
  if ((after.get('hookd_outbox_pending') ?? 0) > 0) problems.push(`hookd_outbox_pending ${after.get('hookd_outbox_pending')}`);
  return problems;
}

// --- phase 1: throughput --------------------------------------------------------------------

/**
 * The worker's rounds as the receiver saw them: a round claims up to 50, sends them all and
 * records them all before the next claim, so its requests arrive as one burst, and the time from
 * a burst's last answer to the next burst's first request is what the worker spent besides
 * the HTTP exchanges (reading the answers, recording them, claiming, opening the channels).
 */
interface Rounds {
  count: number;
  /** Median requests per round. */
  size: number;
  /** Median first request → first request of the next round. */
  periodMs: number;
  /** Median first → last request of a round: sending them. */
  spreadMs: number;
  /** Median last answer of a round → first request of the next. */
  gapMs: number;
}

function workerRounds(answers: Iterable<Answered>): Rounds {
  const sorted = [...answers].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const bursts: Answered[][] = [];
  for (const a of sorted) {
    const burst = bursts.at(-1);
    // A round's next request cannot arrive before one of its own answers: 20 ms.
    if (burst && a.arrivedAt - burst.at(-1)!.arrivedAt < RECEIVER_DELAY_MS / 2) burst.push(a);
    else bursts.push([a]);
  }
  const period: number[] = [];
  const gap: number[] = [];
  for (let i = 0; i + 1 < bursts.length; i++) {
    const next = bursts[i + 1]![0]!.arrivedAt;
    period.push(next - bursts[i]![0]!.arrivedAt);
    gap.push(next - Math.max(...bursts[i]!.map((a) => a.answeredAt)));
  }
  const med = (v: number[]) => (v.length ? median(v) : NaN);
  return {
    count: bursts.length,
    size: med(bursts.map((b) => b.length)),
    periodMs: med(period),
    spreadMs: med(bursts.map((b) => b.at(-1)!.arrivedAt - b[0]!.arrivedAt)),
    gapMs: med(gap),
  };
}

interface ThroughputRun {
  round: number;
  notifications: number;
  /** First notification created (server clock) → the receiver answered the last. */
  seconds: number;
  deliveriesPerSec: number;
  /** First → last notification created: how long the rules took to create them. */
  creationSeconds: number;
  /** First batch sent → last batch acknowledged. */
  storeSeconds: number;
  /** First request arrived → last answered, at the receiver. */
  receiverSeconds: number;
  serverCpuPercent: number;
  benchCpuPercent: number;
  machineBusyPercent: number;
  rounds: Rounds;
  problems: string[];
}

async function throughputRun(
  target: Target,
  receiver: Receiver,
  round: number,
  tag: string,
  expected = NOTIFICATIONS,
): Promise<ThroughputRun> {
  const events = Math.ceil(expected / CHANNELS);
  const notifications = events * CHANNELS;
  const session = (i: number) => `${tag}-s${i % SESSIONS}`;
  const list = Array.from({ length: events }, (_, i) => event('notify_all', session(i), `${tag}-e${i}`, i));
  receiver.reset();
  const before = await scrape(target);
  const machineBefore = readCpuTimes();
  const benchBefore = process.cpuUsage();
  const storeStart = now();
  // One batch after the other: the first batch's events are the first the rules see.
  for (let i = 0; i < list.length; i += BATCH_EVENTS) {
    const res = await fetch(`${target.server.baseUrl}/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(list.slice(i, i + BATCH_EVENTS)),
    });
    if (res.status !== 202) throw new Error(`POST /events/batch answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const storeSeconds = (now() - storeStart) / 1000;
  const complete = await receiver.waitFor(notifications, 300_000, `[${target.storage.key}] throughput`);
  const machineAfter = readCpuTimes();
  const benchCpu = process.cpuUsage(benchBefore);
  const after = await scrape(target);
  // A pass creates its notifications with one time, and passes go in event order: the first
  // session holds event 0 (the first pass), the last session the last event.
  const first = await sessionNotifications(target.server.baseUrl, session(0));
  const last = await sessionNotifications(target.server.baseUrl, session(events - 1));
  const created = [...first, ...last].map((n) => Date.parse(n.created_at));
  const firstCreated = Math.min(...created);
  const lastCreated = Math.max(...created);
  const seconds = (receiver.lastAnswered - firstCreated) / 1000;
  const problems = await checkRun(target, receiver, notifications, before);
  if (!complete) problems.unshift('timed out waiting for the receiver');
  const wall = (machineAfter && machineBefore ? machineAfter.at - machineBefore.at : NaN) / 1000;
  return {
    round,
    notifications,
    seconds,
    deliveriesPerSec: receiver.answers.size / seconds,
    creationSeconds: (lastCreated - firstCreated) / 1000,
    storeSeconds,
    receiverSeconds: (receiver.lastAnswered - receiver.firstArrival) / 1000,
    serverCpuPercent: (cpuDelta(before, after) / wall) * 100,
    benchCpuPercent: ((benchCpu.user + benchCpu.system) / 1e6 / wall) * 100,
    machineBusyPercent: machineWindow(machineBefore, machineAfter).busyPercent,
    rounds: workerRounds(receiver.answers.values()),
    problems,
  };
}

const roundsText = (r: Rounds) =>
  `${fmt(r.count)} worker rounds of ${fmt(r.size)} (median): one every ${ms(r.periodMs)} ms, requests sent over ${ms(r.spreadMs)} ms, ` +
  `last answer → next round's first request ${ms(r.gapMs)} ms`;

// --- phase 2: latency -----------------------------------------------------------------------

interface LatencyRun {
  round: number;
  events: number;
  /** Events the client sent per second, as achieved. */
  sentPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The same from the event's acknowledgement to the request's arrival at the receiver (no 20 ms answer). */
  arrivalP50: number;
  arrivalP99: number;
  ackP99: number;
  /** Acknowledged → the notification created (the rules pass; server clock, ms). */
  createdP50: number;
  createdP99: number;
  /** Created → its request arrived at the receiver (the outbox and the worker). */
  queuedP50: number;
  queuedP99: number;
  machineBusyPercent: number;
  problems: string[];
}

async function latencyRun(target: Target, receiver: Receiver, round: number, tag: string): Promise<LatencyRun> {
  const total = LATENCY_RATE * LATENCY_SECONDS;
  receiver.reset();
  const before = await scrape(target);
  const machineBefore = readCpuTimes();
  const acked = new Map<string, number>();
  const ackMs: number[] = [];
  const refused: string[] = [];
  const sends: Promise<void>[] = [];
  const started = performance.now();
  const send = (i: number) => {
    const id = `${tag}-l${i}`;
    const body = JSON.stringify(event(`notify_one_${i % CHANNELS}`, `${tag}-l${i % 10}`, id, i));
    const sentAt = now();
    sends.push(
      fetch(`${target.server.baseUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        async (res) => {
          const at = now();
          await res.arrayBuffer();
          if (res.status !== 202) refused.push(`${id}: ${res.status}`);
          else {
            acked.set(id, at);
            ackMs.push(at - sentAt);
          }
        },
        (error: unknown) => {
          refused.push(`${id}: ${(error as Error).message}`);
        },
      ),
    );
  };
  // Paced by the clock, not by the answers: a slow acknowledgement does not slow the rate.
  for (let i = 0; i < total; ) {
    const due = Math.floor((performance.now() - started) / (1000 / LATENCY_RATE)) + 1;
    while (i < Math.min(due, total)) send(i++);
    await sleep(Math.max(0, started + (i * 1000) / LATENCY_RATE - performance.now()));
  }
  const sentPerSec = total / ((performance.now() - started) / 1000);
  await Promise.all(sends);
  const complete = await receiver.waitFor(acked.size, 60_000, `[${target.storage.key}] latency`);
  const machine = machineWindow(machineBefore, readCpuTimes());
  const created = await createdTimes(target.server.baseUrl, new Set(receiver.answers.keys()));
  const latencies: number[] = [];
  const arrivals: number[] = [];
  const toCreated: number[] = [];
  const toArrival: number[] = [];
  let unmapped = 0;
  for (const [id, answer] of receiver.answers) {
    const ack = answer.eventId === null ? undefined : acked.get(answer.eventId);
    if (ack === undefined) {
      unmapped++;
      continue;
    }
    latencies.push(answer.answeredAt - ack);
    arrivals.push(answer.arrivedAt - ack);
    const at = created.get(id);
    if (at !== undefined) {
      toCreated.push(at - ack);
      toArrival.push(answer.arrivedAt - at);
    }
  }
  for (const list of [latencies, arrivals, ackMs, toCreated, toArrival]) list.sort((a, b) => a - b);
  const problems = await checkRun(target, receiver, total, before);
  if (!complete) problems.unshift('timed out waiting for the receiver');
  if (refused.length) problems.push(`${refused.length} events not acknowledged (${refused.slice(0, 3).join('; ')})`);
  if (unmapped) problems.push(`${unmapped} deliveries not mapped to an acknowledged event`);
  return {
    round,
    events: total,
    sentPerSec,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    arrivalP50: quantile(arrivals, 0.5),
    arrivalP99: quantile(arrivals, 0.99),
    ackP99: quantile(ackMs, 0.99),
    createdP50: quantile(toCreated, 0.5),
    createdP99: quantile(toCreated, 0.99),
    queuedP50: quantile(toArrival, 0.5),
    queuedP99: quantile(toArrival, 0.99),
    machineBusyPercent: machine.busyPercent,
    problems,
  };
}

const latencyParts = (l: LatencyRun) =>
  `acknowledged → notification created p50 ${ms(l.createdP50)}, p99 ${ms(l.createdP99)} ms; ` +
  `created → request arrived p50 ${ms(l.queuedP50)}, p99 ${ms(l.queuedP99)} ms; machine ${Math.round(l.machineBusyPercent)}% of 200%`;

// --- the baseline -------------------------------------------------------------------------

interface BaselineRun {
  round: number;
  requests: number;
  deliveriesPerSec: number;
  problems: string[];
}

/** The bare client in its own process; the receiver forgets its warm-up before the counted run. */
function baselineRun(receiver: Receiver, round: number): Promise<BaselineRun> {
  return new Promise((resolve, reject) => {
    const child = fork(BASELINE_CLIENT, [receiver.url, String(BASELINE_REQUESTS), String(BASELINE_CONCURRENCY)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const unregister = onCleanup(`baseline client ${child.pid}`, () => {
      child.kill('SIGKILL');
    });
    let result: BaselineResult | null = null;
    child.on('message', (message: { warm?: boolean } | BaselineResult) => {
      if ('warm' in message) {
        receiver.reset();
        child.send('go');
        return;
      }
      result = message as BaselineResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      unregister();
      if (!result) return reject(new Error(`the baseline client exited (code ${code}) without a result`));
      const problems: string[] = [];
      if (result.failed) problems.push(`${result.failed} requests failed`);
      if (receiver.answers.size !== BASELINE_REQUESTS) problems.push(`the receiver answered ${fmt(receiver.answers.size)} distinct ids`);
      resolve({ round, requests: BASELINE_REQUESTS, deliveriesPerSec: result.answered / result.seconds, problems });
    });
  });
}

// --- the rounds ---------------------------------------------------------------------------

interface StorageResult {
  key: string;
  label: string;
  facts: string;
  skipped?: string;
  failed?: string;
  throughput: ThroughputRun[];
  latency: LatencyRun[];
}

const counted = <T extends { problems: string[] }>(runs: T[]) => runs.filter((r) => r.problems.length === 0);

async function main(): Promise<number> {
  installCleanupHandlers();
  const facts = machineFacts();
  const startedAt = new Date();
  console.log(`hookd notification delivery benchmark, code at ${facts.revision}\nMachine: ${machineLine(facts)}`);
  console.log(
    `${RUNS} round(s): baseline, then per storage ${fmt(NOTIFICATIONS)} notifications at once (${fmt(THROUGHPUT_EVENTS)} events x ${CHANNELS} webhook channels), ` +
      `then ${LATENCY_RATE} firing events/s for ${LATENCY_SECONDS} s; receiver answers after ${RECEIVER_DELAY_MS} ms.`,
  );
  const storages = benchStorages().filter((s) => STORAGES.includes(s.key));
  if (storages.length === 0) throw new Error('BENCH_STORAGES matched none of sqlite-full, sqlite-normal, postgres');

  const receiver = await Receiver.start();
  const results: StorageResult[] = [];
  const targets: { target: Target; result: StorageResult }[] = [];
  const baseline: BaselineRun[] = [];
  try {
    for (const storage of storages) {
      const result: StorageResult = { key: storage.key, label: storage.label, facts: '', throughput: [], latency: [] };
      results.push(result);
      const skipped = await storage.prepare();
      if (skipped) {
        result.skipped = skipped;
        console.log(`${storage.label}: skipped (${skipped})`);
        continue;
      }
      try {
        const target = await startTarget(storage, receiver);
        result.facts = target.facts;
        targets.push({ target, result });
        // Warm-up, not counted: JIT, the first pages, the receiver's sockets.
        const warm = await throughputRun(target, receiver, 0, `warm-${randomBytes(3).toString('hex')}`, WARM_UP_EVENTS * CHANNELS);
        console.log(
          `--- ${storage.label}: ${target.facts}\n    warm-up: ${fmt(warm.notifications)} notifications, ${fmt(warm.deliveriesPerSec)}/s` +
            (warm.problems.length ? `; PROBLEMS: ${warm.problems.join('; ')}` : ''),
        );
      } catch (error) {
        result.failed = error instanceof Error ? error.message : String(error);
        console.error(`  [${storage.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }

    for (let round = 1; round <= RUNS; round++) {
      console.log(`\n--- round ${round}/${RUNS} ---`);
      const baseNote = await quieten();
      const base = await baselineRun(receiver, round);
      baseline.push(base);
      console.log(
        `  [baseline] ${fmt(base.requests)} POSTs, ${BASELINE_CONCURRENCY} in flight, fresh connections: ${fmt(base.deliveriesPerSec)}/s` +
          baseNote +
          (base.problems.length ? `; PROBLEMS: ${base.problems.join('; ')}` : ''),
      );
      for (const { target, result } of targets) {
        if (result.failed) continue;
        const tag = `r${round}-${randomBytes(3).toString('hex')}`;
        try {
          const note = await quieten();
          const t = await throughputRun(target, receiver, round, tag);
          result.throughput.push(t);
          console.log(
            `  [${target.storage.key}] throughput: ${fmt(t.notifications)} notifications in ${t.seconds.toFixed(2)} s = ${fmt(t.deliveriesPerSec)}/s ` +
              `(${(t.deliveriesPerSec / base.deliveriesPerSec).toFixed(2)}× baseline); events stored in ${t.storeSeconds.toFixed(2)} s, ` +
              `notifications created over ${t.creationSeconds.toFixed(2)} s, receiver busy ${t.receiverSeconds.toFixed(2)} s; ` +
              `CPU: hookd ${Math.round(t.serverCpuPercent)}%, receiver ${Math.round(t.benchCpuPercent)}%, machine ${Math.round(t.machineBusyPercent)}% of 200%` +
              `\n    ${roundsText(t.rounds)}${note}` +
              (t.problems.length ? `; PROBLEMS: ${t.problems.join('; ')}` : '; checks ok'),
          );
          const latencyNote = await quieten();
          const l = await latencyRun(target, receiver, round, tag);
          result.latency.push(l);
          console.log(
            `  [${target.storage.key}] latency at ${fmt(l.sentPerSec)} events/s: acknowledged → answered p50 ${ms(l.p50)} ms, ` +
              `p95 ${ms(l.p95)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms (to arrival: p50 ${ms(l.arrivalP50)}, p99 ${ms(l.arrivalP99)} ms; ` +
              `acknowledgement p99 ${ms(l.ackP99)} ms)${latencyNote}\n    ${latencyParts(l)}` +
              (l.problems.length ? `; PROBLEMS: ${l.problems.join('; ')}` : '; checks ok'),
          );
        } catch (error) {
          result.failed = error instanceof Error ? error.message : String(error);
          console.error(`  [${target.storage.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
        }
      }
    }
  } finally {
    for (const { target } of targets) {
      await target.server.stop();
      await target.db.dispose();
    }
    for (const storage of storages) await storage.release();
    await receiver.close();
  }

  // --- report ---
  const baseRate = median(counted(baseline).map((b) => b.deliveriesPerSec));
  const rows: string[][] = [];
  const floors: { text: string; measured: string; verdict: 'PASS' | 'FAIL' | 'NOT RUN' }[] = [];
  for (const r of results) {
    const t = counted(r.throughput);
    const l = counted(r.latency);
    const rate = t.length ? median(t.map((x) => x.deliveriesPerSec)) : NaN;
    const pick = (f: (x: LatencyRun) => number) => (l.length ? median(l.map(f)) : NaN);
    rows.push([
      r.label + (r.skipped ? ' (skipped)' : r.failed ? ' (FAILED)' : ''),
      fmt(rate),
      Number.isFinite(rate / baseRate) ? `${(rate / baseRate).toFixed(2)}×` : '-',
      `${t.length}/${r.throughput.length}`,
      ms(pick((x) => x.p50)),
      ms(pick((x) => x.p95)),
      ms(pick((x) => x.p99)),
      ms(pick((x) => x.max)),
      `${l.length}/${r.latency.length}`,
    ]);
    const every = (runs: { problems: string[] }[]) => runs.length === RUNS && runs.every((x) => x.problems.length === 0);
    floors.push({
      text: `${r.label}: >= ${fmt(THROUGHPUT_FLOOR)} deliveries/s`,
      measured: t.length ? `${fmt(rate)}/s (runs ${r.throughput.map((x) => fmt(x.deliveriesPerSec)).join(', ')})` : '-',
      verdict: r.skipped || !r.throughput.length ? 'NOT RUN' : every(r.throughput) && rate >= THROUGHPUT_FLOOR ? 'PASS' : 'FAIL',
    });
    floors.push({
      text: `${r.label}: p99 event → delivery <= ${fmt(P99_FLOOR_MS)} ms`,
      measured: l.length ? `${ms(pick((x) => x.p99))} ms (runs ${r.latency.map((x) => ms(x.p99)).join(', ')})` : '-',
      verdict: r.skipped || !r.latency.length ? 'NOT RUN' : every(r.latency) && pick((x) => x.p99) <= P99_FLOOR_MS ? 'PASS' : 'FAIL',
    });
  }
  const header = ['storage', 'deliveries/s', '× baseline', 'runs ok', 'latency p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'runs ok'];
  rows.push([
    `baseline: bare HTTP client, ${BASELINE_CONCURRENCY} in flight`,
    fmt(baseRate),
    '1.00×',
    `${counted(baseline).length}/${baseline.length}`,
    '',
    '',
    '',
    '',
    '',
  ]);
  console.log(`\nMedians of ${RUNS} round(s); latency = the client's 202 → the receiver's answer, at ${LATENCY_RATE} events/s:\n`);
  console.log(table(header, rows));
  console.log('\nFloors:');
  for (const f of floors) console.log(`  ${f.verdict.padEnd(7)} ${f.text}: ${f.measured}`);

  const elapsedS = (Date.now() - startedAt.getTime()) / 1000;
  const markdown = [
    `# Notification delivery benchmark, ${startedAt.toISOString().slice(0, 10)}`,
    '',
    `Code at ${facts.revision}. Machine: ${machineLine(facts)}. The receiver and the client run in the benchmark's process, ` +
      `on the same cores as hookd${results.some((r) => r.key === 'postgres') ? ' and PostgreSQL' : ''}.`,
    `Command: \`${commandLine()}npm run bench:notify\` (${Math.round(elapsedS)} s). ${RUNS} round(s), each: the baseline, then per storage ` +
      `${fmt(THROUGHPUT_EVENTS * CHANNELS)} notifications at once (${fmt(THROUGHPUT_EVENTS)} events through POST /events/batch, ` +
      `batches of ${BATCH_EVENTS}, each firing a rule naming ${CHANNELS} webhook channels) and ${LATENCY_RATE} firing events/s ` +
      `for ${LATENCY_SECONDS} s (POST /events, one channel each). The receiver answers 200 after ${RECEIVER_DELAY_MS} ms. ` +
      `hookd runs with its defaults (HOOKD_NOTIFY_POLL_MS 1000, HOOKD_RULES_INTERVAL_MS 250) plus HOOKD_NOTIFY_ALLOW_PRIVATE=true ` +
      'and a HOOKD_SECRET_KEY.',
    '',
    '| storage | deliveries/s | × baseline | runs ok | latency p50 ms | p95 ms | p99 ms | max ms | runs ok |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Deliveries/s: from the first notification created (its `created_at`) until the receiver answered the last. ' +
      "Latency: from the client holding the event's 202 until the receiver answered its webhook (20 ms after it arrived). " +
      `Baseline: a bare Node HTTP client in its own process posting ${fmt(BASELINE_REQUESTS)} bodies like hookd's, signed, ` +
      `on a fresh connection each, ${BASELINE_CONCURRENCY} in flight (the worker's batch), to the same receiver. ` +
      "Worker rounds: the receiver's arrivals grouped into the worker's rounds (a round claims up to 50, sends them, records them, then claims again).",
    '',
    '| floor | measured (median) | verdict |',
    '|---|---|---|',
    ...floors.map((f) => `| ${f.text} | ${f.measured} | ${f.verdict} |`),
    '',
    '### Runs',
    '',
    ...results.flatMap((r) => [
      `${r.label}${r.facts ? `: ${r.facts}` : ''}${r.skipped ? ` (skipped: ${r.skipped})` : ''}${r.failed ? ` (FAILED: ${r.failed})` : ''}`,
      '',
      ...r.throughput.map(
        (t) =>
          `- round ${t.round}, throughput: ${fmt(t.notifications)} in ${t.seconds.toFixed(2)} s = ${fmt(t.deliveriesPerSec)}/s; ` +
          `events stored in ${t.storeSeconds.toFixed(2)} s, notifications created over ${t.creationSeconds.toFixed(2)} s, ` +
          `receiver busy ${t.receiverSeconds.toFixed(2)} s; CPU: hookd ${Math.round(t.serverCpuPercent)}%, receiver ${Math.round(t.benchCpuPercent)}%, ` +
          `machine ${Math.round(t.machineBusyPercent)}% of 200%; ${roundsText(t.rounds)}; ` +
          `${t.problems.length ? `PROBLEMS: ${t.problems.join('; ')}` : 'checks ok'}`,
      ),
      ...r.latency.map(
        (l) =>
          `- round ${l.round}, latency at ${fmt(l.sentPerSec)} events/s: p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${ms(l.max)} ms ` +
          `(to arrival p50 ${ms(l.arrivalP50)}, p99 ${ms(l.arrivalP99)} ms; acknowledgement p99 ${ms(l.ackP99)} ms); ${latencyParts(l)}; ` +
          `${l.problems.length ? `PROBLEMS: ${l.problems.join('; ')}` : 'checks ok'}`,
      ),
      '',
    ]),
    `Baseline: ${baseline.map((b) => `round ${b.round} ${fmt(b.deliveriesPerSec)}/s${b.problems.length ? ` (PROBLEMS: ${b.problems.join('; ')})` : ''}`).join(', ')}.`,
    '',
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const partial = commandLine() !== '';
  const stamp = startedAt.toISOString().slice(11, 19).replace(/:/g, '');
  const file = `${RESULTS_DIR}notify-${startedAt.toISOString().slice(0, 10)}${partial ? `-partial-${stamp}` : ''}.md`;
  writeFileSync(file, markdown);
  console.log(`\nWritten: ${file}`);
  const failed = floors.some((f) => f.verdict !== 'PASS') || counted(baseline).length !== baseline.length;
  console.log(`bench:notify ${failed ? 'FAIL' : 'PASS'}`);
  return failed ? 1 : 0;
}

/** The settings that differ from the defaults, as they would be typed; '' for a default run. */
function commandLine(): string {
  const names = ['BENCH_RUNS', 'BENCH_STORAGES', 'BENCH_NOTIFICATIONS', 'BENCH_CHANNELS', 'BENCH_LATENCY_SECONDS', 'BENCH_PROFILE'];
  return names
    .filter((n) => process.env[n] !== undefined && process.env[n] !== '')
    .map((n) => `${n}=${process.env[n]} `)
    .join('');
}

runBench(main);
