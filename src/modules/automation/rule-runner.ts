import type { CanonicalEvent } from '../events/event.ts';
import type { Execution } from '../executions/execution.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import type { Session, SessionStore } from '../sessions/session.ts';
import { firedExecution } from './fired-execution.ts';
import type { FiredBatch, RuleFeed } from './rule-feed.ts';
import { planNotifications, type Fired, type PlanSettings } from '../notifications/notification-plan.ts';
import type { TeamRules } from './team-rules.ts';

/**
 * Events per pass on SQLite (PostgreSQL takes whole queue rows): a commit that arrives
 * during a pass waits for it, so passes stay short.
 */
export const RULE_PASS_EVENTS = 200;

/** How long an evaluation runs before it lets the thread answer what waits. */
const EVALUATION_SLICE_MS = 4;

/** Lets the event loop answer what waits (HTTP, commits) before more synchronous work. */
const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The rules as the rest of hookd drives them: a RuleRunner in this process, or (SQLite
 * server) the one on the write thread, reached by messages.
 */
export interface RuleRunning {
  /** One bounded pass; how many events it covered (0: nothing waited, or another process had it). */
  pass(): Promise<number>;
  /**
   * Resolves once every event committed before the call is derived and evaluated, or once
   * `withinMs` has passed (a backlog of a large import would otherwise hold a read for as
   * long as the rules take over all of it; what is left runs in the background).
   */
  catchUp(withinMs?: number): Promise<void>;
  /** Starts passes in the background (startRuleLoop); stop() waits for a pass under way. */
  startLoop(options: RuleLoopOptions): { stop(): Promise<void> };
  /** Called with how many notifications a pass committed, in whichever thread ran it. */
  onNotifications(listener: (count: number) => void): void;
}

/**
 * Runs every stored event through the enabled rules of its team, after the derivation (the
 * rules read session fields), never on the acknowledgement's path. What is evaluated is
 * kept in the database (rule-feed.ts), not in this process: events `hookd emit` wrote into
 * the SQLite file, or stored by another process, or before a crash, are evaluated by the
 * next pass, and none twice.
 */
export class RuleRunner implements RuleRunning {
  private readonly feed: RuleFeed;
  private readonly teams: TeamRules;
  private readonly sessions: SessionStore;
  private readonly deriver: SessionDeriver;
  private readonly now: () => number;
  // One pass at a time per process; concurrent ones would only race for the same batch.
  private queue: Promise<unknown> = Promise.resolve();

  private readonly passEvents: number;
  private readonly plan: PlanSettings;
  private notified: (count: number) => void = () => {};

  constructor(
    feed: RuleFeed,
    teams: TeamRules,
    sessions: SessionStore,
    deriver: SessionDeriver,
    options: { now?: () => number; passEvents?: number; notifications?: PlanSettings } = {},
  ) {
    this.passEvents = options.passEvents ?? RULE_PASS_EVENTS;
    this.plan = options.notifications ?? { windowMs: 24 * 3_600_000, publicUrl: null, staleMs: 10 * 60_000 };
    this.now = options.now ?? Date.now;
    this.feed = feed;
    this.teams = teams;
    this.sessions = sessions;
    this.deriver = deriver;
  }

  pass(): Promise<number> {
    const run = this.queue.then(async () => {
      await this.teams.refresh();
      let created = 0;
      const covered = await this.feed.take(
        this.passEvents,
        this.teams.anyRules
          ? async (events) => {
              const fired = await this.evaluate(events);
              created = fired.notifications.length;
              return fired;
            }
          : null,
      );
      // Committed: this process's notification worker starts on them now, not at its next poll.
      if (covered > 0 && created > 0) this.notified(created);
      return covered;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async catchUp(withinMs = Infinity): Promise<void> {
    const deadline = performance.now() + withinMs;
    await this.deriver.catchUp();
    for (let idle = 0; idle < 200 && performance.now() < deadline; ) {
      if ((await this.pass()) > 0) {
        // On SQLite a pass is synchronous work: between passes the thread answers what
        // waits (HTTP on the main thread, commits on the write thread).
        await giveWay();
        continue;
      }
      if (!(await this.feed.pending())) return;
      // Another process holds the rest; it commits within a pass.
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  startLoop(options: RuleLoopOptions): { stop(): Promise<void> } {
    return startRuleLoop(this, options);
  }

  onNotifications(listener: (count: number) => void): void {
    this.notified = listener;
  }

  private async evaluate(events: CanonicalEvent[]): Promise<FiredBatch> {
    const sessions = new Map<string, Session | null>();
    for (const id of new Set(events.map((e) => e.session_id))) sessions.set(id, await this.sessions.get(id, {}));
    const now = this.now();
    const executions: Execution[] = [];
    const firings: Fired[] = [];
    const seen = new Set<string>();
    let slice = performance.now();
    for (const event of events) {
      const session = sessions.get(event.session_id) ?? null;
      const teamId = this.teams.teamIdOf(event, session);
      const own = teamId === null ? undefined : this.teams.team(teamId);
      const installation = this.teams.installation();
      const started = performance.now();
      for (const team of [own, installation !== own ? installation : undefined]) {
        if (!team?.enabled || team.ruleCount === 0) continue;
        const teamStarted = performance.now();
        const fired = team.rules.evaluate({ event, session });
        const ms = performance.now() - teamStarted;
        for (const rule of fired) {
          const execution = firedExecution(rule, team, event, session, now, ms);
          // A once-per-session rule that two events of this pass fire: the first one's.
          if (seen.has(execution.executionId)) continue;
          seen.add(execution.executionId);
          executions.push(execution);
          firings.push({
            rule: rule.rule,
            executionId: execution.executionId,
            teamId: team.teamId,
            defaultChannels: team.defaultChannels,
            event,
            session,
            batchPolicy: team.batchPolicy,
          });
        }
      }
      // A PostgreSQL pass takes whole queue rows, up to thousands of events: evaluated in
      // one go they held the main thread long enough to show in single events' p99.
      if (started - slice > EVALUATION_SLICE_MS) {
        await giveWay();
        slice = performance.now();
      }
    }
    return { executions, notifications: planNotifications(firings, this.plan, now) };
  }
}

export interface RuleLoopOptions {
  intervalMs: number;
  onError(error: unknown): void;
  /**
   * Work that goes first: how many ms to wait before the next pass (0: none). The SQLite
   * write thread answers while commits are arriving, so passes take the gaps between them.
   */
  deferFor?(): number;
}

/** The longest a pass waits for work that goes first (RuleLoopOptions.deferFor). */
const MAX_DEFER_MS = 1000;

/**
 * Passes in the background: every `intervalMs` (HOOKD_RULES_INTERVAL_MS), and while they
 * come back with events, one after another with a pause as long as the pass took, each
 * after the work `deferFor` puts first. Rules are background work sharing a thread and a
 * database with ingest: back-to-back passes under heavy ingest starved the
 * acknowledgements (bench:ingest with 50 rules on every event: single events/s fell to a
 * fraction, and their p99 rose as much). With the pause they take at most half the
 * time; a backlog waits for a quieter moment. The timer never keeps the process alive.
 */

export function startRuleLoop(runner: RuleRunning, options: RuleLoopOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // stop() ends a pause at once, so closing never waits out a long one.
  let wake = () => {};
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    });
  const tick = () => {
    running = (async () => {
      try {
        let lastPass = performance.now();
        while (!stopped) {
          // Deferred at most MAX_DEFER_MS, so a backlog still moves under sustained ingest.
          for (
            let wait = options.deferFor?.() ?? 0;
            wait > 0 && !stopped && performance.now() - lastPass < MAX_DEFER_MS;
            wait = options.deferFor!()
          ) {
            await pause(wait);
          }
          if (stopped) break;
          const started = performance.now();
          if ((await runner.pass()) === 0) break;
          lastPass = performance.now();
          await pause(Math.max(1, lastPass - started));
        }
      } catch (error) {
        options.onError(error);
      }
    })().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
    });
  };
  timer = setTimeout(tick, 0).unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake();
      await running;
    },
  };
}
