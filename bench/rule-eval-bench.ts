// node bench/rule-eval-bench.ts — rule evaluations per second: 50 rules of every operator
// (nested groups, regexes, hook_types of both naming schemes) against the recorded Claude Code
// session's events, each with its session row. One rule against one event is one evaluation,
// whether its hook_types let it run its conditions or not; the share that did is printed too.
//   BENCH_ROUNDS=n   timed rounds (default 7; the median is printed)
//   BENCH_ROUND_MS=n length of one round (default 500)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalEvent } from '../src/modules/events/event.ts';
import { canonicalFromHook } from '../src/modules/hooks/hook-adapter.ts';
import { compileRules } from '../src/modules/rules/rule-compiler.ts';
import type { Condition, ConditionGroup, Rule, RuleContext } from '../src/modules/rules/rule.ts';
import type { Session } from '../src/modules/sessions/session.ts';

/** The floor for the rules pass not to lag ingest: rule evaluations per second. */
export const RULE_EVAL_FLOOR = 200_000;
const FIXTURE = fileURLToPath(new URL('../test/fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));

const session: Session = {
  session_id: '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34',
  source: 'claude-code',
  project: 'billing',
  cwd: '/home/ana/src/billing',
  git_branch: 'fix/rounding',
  terminal: 'vscode',
  user: 'ana',
  host: 'ana-laptop',
  team_id: null,
  model: 'claude-sonnet-4-5',
  permission_mode: 'default',
  status: 'active',
  started_at: '2025-06-01T09:00:00.000Z',
  last_activity_at: '2025-06-01T09:14:00.000Z',
  ended_at: null,
  end_reason: null,
  idle_since: null,
  events: 23,
  prompts: 1,
  tool_calls: 7,
  failures: 1,
  subagents: 1,
  permission_denials: 0,
  stop_failures: 0,
  error_kind: null,
  error_message: null,
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_creation_tokens: 0,
  cost_usd: 0,
  unpriced_tokens: 0,
  task_id: null,
};

function events(): CanonicalEvent[] {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
  return lines.map((line, i) => {
    const wire = canonicalFromHook(JSON.parse(line), {
      source: 'claude-code',
      context: { project: 'billing', git_branch: 'fix/rounding' },
    });
    const at = new Date(Date.UTC(2025, 5, 1, 9, 0, i * 20)).toISOString();
    return {
      event_id: `e${i}`,
      session_id: String(wire.session_id),
      event_type: String(wire.event_type),
      timestamp: at,
      received_at: at,
      source: 'claude-code',
      workflow_id: null,
      phase_id: null,
      milestone_id: null,
      team_id: null,
      task_id: null,
      user: 'ana',
      host: 'ana-laptop',
      data: wire.data as Record<string, unknown>,
    };
  });
}

const c = (field: string, operator: Condition['operator'], value?: Condition['value']): Condition =>
  value === undefined ? { field, operator } : { field, operator, value };
const and = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ logic: 'and', conditions });
const or = (...conditions: ConditionGroup['conditions']): ConditionGroup => ({ logic: 'or', conditions });

/** 50 rules a team could write: every operator, groups up to four deep, both hook naming schemes. */
export function benchRules(): Rule[] {
  const rules: Omit<Rule, 'rule_id'>[] = [
    { name: 'Bash failed', hook_types: ['PostToolUseFailure'], conditions: and(c('data.tool_name', 'equals', 'Bash')) },
    {
      name: 'Dangerous command',
      hook_types: ['PreToolUse'],
      conditions: and(
        c('data.tool_name', 'equals', 'Bash'),
        c('data.tool_input.command', 'regex', String.raw`(?:^|\s)(?:rm\s+-rf|sudo|curl[^|]*\|\s*(?:ba)?sh)`),
      ),
    },
    {
      name: 'Test files edited',
      hook_types: ['tool_execution_completed'],
      conditions: and(
        c('data.tool_name', 'in', ['Edit', 'Write', 'MultiEdit']),
        c('data.tool_input.file_path', 'regex', String.raw`\.(test|spec)\.[jt]sx?$`),
      ),
    },
    { name: 'Slow tool', conditions: and(c('data.duration_ms', 'gt', 3000)) },
    {
      name: 'Deploy talk',
      hook_types: ['UserPromptSubmit'],
      conditions: and(c('data.prompt', 'regex', String.raw`(?i)\b(deploy|release|prod(uction)?)\b`)),
    },
    { name: 'Session ended', hook_types: ['session_ended'], conditions: and(c('data.reason', 'exists')) },
    { name: 'Stopped on failure', hook_types: ['Stop'], conditions: and(c('data.last_assistant_message', 'contains', 'fail')) },
    { name: 'MCP in billing', conditions: and(c('session.project', 'equals', 'billing'), c('data.tool_name', 'starts_with', 'mcp__')) },
    {
      name: 'Permission prompt',
      hook_types: ['Notification'],
      conditions: and(c('data.notification_type', 'equals', 'permission_prompt')),
    },
    {
      name: 'Unapproved model',
      conditions: and(c('session.model', 'exists'), c('session.model', 'not_in', ['claude-sonnet-4-5', 'claude-opus-4-1'])),
    },
    {
      name: 'Risky change',
      hook_types: ['PreToolUse', 'PostToolUse'],
      conditions: or(
        and(
          c('data.tool_name', 'equals', 'Bash'),
          or(c('data.tool_input.command', 'contains', 'git push'), c('data.tool_input.command', 'contains', 'npm publish')),
        ),
        and(
          c('data.tool_name', 'in', ['Edit', 'Write']),
          or(c('data.tool_input.file_path', 'ends_with', '.env'), c('data.tool_input.file_path', 'contains', '/secrets/')),
        ),
      ),
    },
    { name: 'Failing session', conditions: and(c('session.failures', 'gte', 3)) },
    {
      name: 'After hours',
      conditions: or(c('event.timestamp', 'lt', '2025-06-01T08:00:00.000Z'), c('event.timestamp', 'gte', '2025-06-01T20:00:00.000Z')),
    },
    {
      name: 'Real run',
      hook_types: ['tool_execution_started'],
      conditions: and(c('data.tool_name', 'equals', 'Bash'), c('data.tool_input.command', 'not_contains', '--dry-run')),
    },
    { name: 'Non-default permissions', conditions: and(c('data.permission_mode', 'not_equals', 'default')) },
    { name: 'No tool response', hook_types: ['PostToolUse'], conditions: and(c('data.tool_response', 'exists', false)) },
    { name: 'Early session', conditions: and(c('session.tool_calls', 'lt', 5), c('event.event_type', 'equals', 'tool_execution_started')) },
    { name: 'Fast tool', hook_types: ['PostToolUse'], conditions: and(c('data.duration_ms', 'lte', 10)) },
    { name: 'First edit', hook_types: ['PreToolUse'], conditions: and(c('data.tool_input.edits.0.old_string', 'exists')) },
    { name: 'Subagent explore', hook_types: ['SubagentStart', 'SubagentStop'], conditions: and(c('data.agent_type', 'equals', 'Explore')) },
    { name: 'Compaction', hook_types: ['context_compacted'], conditions: and() },
    {
      name: 'Main branch',
      conditions: and(c('data._hookd.git_branch', 'in', ['main', 'master']), c('data.tool_name', 'in', ['Edit', 'Write', 'Bash'])),
    },
    {
      name: 'Paths outside cwd',
      hook_types: ['PreToolUse'],
      conditions: and(c('data.tool_input.file_path', 'exists'), c('data.tool_input.file_path', 'not_contains', '/home/ana/src/billing/')),
    },
    {
      name: 'Secrets in prompt',
      hook_types: ['prompt_submitted'],
      conditions: or(c('data.prompt', 'contains', 'password'), c('data.prompt', 'regex', String.raw`\b(AKIA|ghp_)[A-Za-z0-9]{8,}`)),
    },
    {
      name: 'Deep group',
      conditions: and(
        c('event.source', 'equals', 'claude-code'),
        or(
          c('session.status', 'equals', 'idle'),
          and(c('session.events', 'gt', 10), or(c('data.tool_name', 'equals', 'Grep'), c('data.is_interrupt', 'equals', true))),
        ),
      ),
    },
  ];
  // The other half: the same shapes with other tools, thresholds and patterns, as a team with
  // several projects writes them.
  const tools = ['Read', 'Grep', 'Glob', 'WebFetch', 'Task'];
  tools.forEach((tool, i) => {
    rules.push({
      name: `${tool} failed`,
      hook_types: ['PostToolUseFailure', 'tool_execution_failed'],
      conditions: and(c('data.tool_name', 'equals', tool)),
    });
    rules.push({
      name: `${tool} slow`,
      hook_types: ['PostToolUse'],
      conditions: and(c('data.tool_name', 'equals', tool), c('data.duration_ms', 'gt', 500 * (i + 1))),
    });
    rules.push({
      name: `${tool} in project ${i}`,
      conditions: and(
        c('session.project', 'in', [`p${i}`, `q${i}`, 'billing']),
        c('data.tool_name', 'not_equals', tool),
        c('session.cwd', 'starts_with', '/home/'),
      ),
    });
    rules.push({
      name: `${tool} path ${i}`,
      hook_types: ['PreToolUse'],
      conditions: or(
        c('data.tool_input.path', 'regex', `^src/(api|db|v${i})/`),
        c('data.tool_input.file_path', 'ends_with', `.${['ts', 'js', 'py', 'go', 'rs'][i]}`),
      ),
    });
    rules.push({ name: `${tool} many calls`, conditions: and(c('session.tool_calls', 'gte', 20 + i), c('session.subagents', 'lte', i)) });
  });
  return rules.map((rule, i) => ({ rule_id: `bench_${String(i).padStart(2, '0')}`, ...rule }));
}

function round(evaluate: (ctx: RuleContext) => unknown[], contexts: RuleContext[], ms: number): number {
  const until = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  let passes = 0;
  let fired = 0;
  const started = process.hrtime.bigint();
  do {
    for (const ctx of contexts) fired += evaluate(ctx).length;
    passes++;
  } while (process.hrtime.bigint() < until);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Using the result keeps the work from being optimised away.
  if (fired < 0) throw new Error('unreachable');
  return (passes * contexts.length) / seconds;
}

export async function runRuleEvalBench(): Promise<{ evaluationsPerSecond: number }> {
  const rules = benchRules();
  const set = compileRules(rules);
  if (set.problems.length > 0) throw new Error(`bench rules do not validate: ${JSON.stringify(set.problems)}`);
  const contexts: RuleContext[] = events().map((event) => ({ event, session }));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const roundMs = Number(process.env.BENCH_ROUND_MS ?? 500);
  const evaluate = (ctx: RuleContext) => set.evaluate(ctx);

  const explained = contexts.flatMap((ctx) => set.explain(ctx));
  const ran = explained.filter((e) => e.hookTypeMatched).length;
  const fired = explained.filter((e) => e.fired).length;
  const operators = new Set(rules.flatMap((r) => JSON.stringify(r.conditions).match(/"operator":"\w+"/g) ?? []));

  round(evaluate, contexts, roundMs); // warm-up: let the closures reach the optimising compiler
  const perSecond: number[] = [];
  for (let r = 0; r < rounds; r++) perSecond.push(round(evaluate, contexts, roundMs) * rules.length);
  perSecond.sort((a, b) => a - b);
  const median = perSecond[Math.floor(perSecond.length / 2)]!;

  const rate = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `rule evaluation: ${rules.length} rules (${operators.size} operators) x ${contexts.length} recorded Claude Code events, ${rounds} rounds of ${roundMs} ms`,
  );
  console.log(`  ${ran} of ${explained.length} rule-event pairs pass hook_types and run their conditions; ${fired} fire`);
  console.log(
    `  median ${rate(median)} rule evaluations/s (min ${rate(perSecond[0]!)}, max ${rate(perSecond.at(-1)!)}), ${rate(median / rules.length)} events/s through all rules`,
  );
  console.log(`  floor >= ${rate(RULE_EVAL_FLOOR)}/s: ${median >= RULE_EVAL_FLOOR ? 'PASS' : 'FAIL'}`);
  return { evaluationsPerSecond: median };
}

if (import.meta.main) await runRuleEvalBench();
