import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/app-error.ts';
import type { NodeExplanation } from '../modules/rules/rule-explanation.ts';
import type { RuleTestInput, RuleTestResult } from '../modules/automation/rule-test-service.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { oneLine, printJson, truncate } from './output.ts';

export interface RulesTestOptions {
  team?: string;
  config?: string;
  event?: string;
  json?: boolean;
}

function readJson(file: string | undefined, what: string): unknown {
  const text = !file || file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ field: file ?? '(stdin)', message: `${what} is not JSON: ${(error as Error).message}` }]);
  }
}

/** `hookd rules test --team T < event.json`: which rules fire and why, storing nothing. */
export async function rulesTestCommand(globals: GlobalOptions, options: RulesTestOptions): Promise<void> {
  const input: RuleTestInput = { event: readJson(options.event, 'the event') };
  if (options.team !== undefined) input.team_id = options.team;
  if (options.config !== undefined) {
    const config = readJson(options.config, 'the configuration') as Record<string, unknown> | null;
    // `hookd teams get T --json` output works as well as a bare configuration.
    input.configuration =
      config && typeof config === 'object' && 'configuration' in config && 'team_id' in config ? config.configuration : config;
  }
  const runtime = await openRuntime(readConfig(globals), { applicationName: 'hookd-rules', serverThreads: false }, 'rules');
  try {
    const result = await runtime.services.ruleTest.test(input, {});
    if (options.json) printJson(result);
    else process.stdout.write(formatRuleTest(result));
  } finally {
    await runtime.services.close();
  }
}

/** A verdict per rule, then its condition tree with ✓/✗ and the value each condition found. */
export function formatRuleTest(result: RuleTestResult): string {
  const lines: string[] = [];
  const e = result.event;
  const origin =
    result.revision === null
      ? 'configuration from --config'
      : result.revision === 0
        ? 'default configuration'
        : `revision ${result.revision}`;
  lines.push(`event ${e.event_type} (session ${e.session_id}, source ${e.source})`);
  if (result.team_id === null) {
    lines.push('no team: the event has no team_id, its session none, and no enabled team claims its project or source');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `team ${result.team_id}: ${origin}${result.enabled ? '' : ', DISABLED (nothing fires)'}, ${result.rules.length} rule${result.rules.length === 1 ? '' : 's'}`,
  );
  lines.push(`fired: ${result.fired.length ? result.fired.join(', ') : 'none'}`);
  for (const rule of result.rules) {
    const why = !rule.enabled
      ? 'rule disabled'
      : !rule.hook_type_matched
        ? 'not one of its hook_types'
        : rule.fired
          ? 'conditions matched'
          : 'conditions did not match';
    lines.push('', `${rule.fired && result.enabled ? 'FIRES' : 'no   '}  ${rule.rule_id} "${oneLine(rule.name)}": ${why}`);
    if (rule.error) lines.push(`      error: ${oneLine(rule.error)}`);
    for (const p of rule.problems ?? []) lines.push(`      problem at ${p.path}: ${oneLine(p.message)}`);
    if (rule.conditions) tree(rule.conditions, 1, lines);
  }
  return `${lines.join('\n')}\n`;
}

function tree(node: NodeExplanation, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth + 2);
  const mark = node.matched ? '✓' : '✗';
  if (node.kind === 'group') {
    lines.push(`${pad}${mark} ${node.logic.toUpperCase()}`);
    for (const child of node.conditions) tree(child, depth + 1, lines);
    return;
  }
  const expected = node.expected === undefined ? '' : ` ${truncate(oneLine(JSON.stringify(node.expected)), 60)}`;
  const actual = node.found ? truncate(oneLine(JSON.stringify(node.actual) ?? 'undefined'), 60) : 'missing';
  lines.push(`${pad}${mark} ${node.field} ${node.operator}${expected}  (found: ${actual})`);
}
