import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/app-error.ts';
import type { NodeExplanation } from '../modules/rules/rule-explanation.ts';
import type { RulePreviewInput, RulePreviewResult } from '../modules/automation/rule-preview-service.ts';
import type { RuleTestInput, RuleTestResult } from '../modules/automation/rule-test-service.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from '../modules/channels/channel-message.ts';
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
  return parseJson(text, file ?? '(stdin)', what);
}

function parseJson(text: string, field: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ field, message: `${what} is not JSON: ${(error as Error).message}` }]);
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

export interface RulesPreviewOptions {
  template?: string;
  title?: string;
  event?: string;
  eventFile?: string;
  eventJson?: string;
  kind?: string;
  json?: boolean;
}

/** `hookd rules preview --template '...' --event ID`: a template rendered into the message a firing would send. */
export async function rulesPreviewCommand(globals: GlobalOptions, options: RulesPreviewOptions): Promise<void> {
  const input = previewInput(options);
  const runtime = await openRuntime(readConfig(globals), { applicationName: 'hookd-rules', serverThreads: false }, 'rules');
  try {
    const result = await runtime.services.rulePreview.preview(input, {});
    if (options.json) printJson(result);
    else {
      process.stdout.write(formatRulePreview(result));
      for (const p of result.problems) process.stderr.write(`warning: ${p.field}: ${oneLine(p.message)}\n`);
    }
  } finally {
    await runtime.services.close();
  }
}

function previewInput(options: RulesPreviewOptions): RulePreviewInput {
  if (options.template === undefined && options.title === undefined) {
    throw new ValidationError([{ field: '--template', message: 'give --template (the text), --title, or both' }]);
  }
  const sources = [options.event, options.eventFile, options.eventJson].filter((v) => v !== undefined);
  if (sources.length !== 1) {
    throw new ValidationError([
      { field: '--event', message: 'give one of --event <event_id>, --event-file <path> or --event-json <json|->' },
    ]);
  }
  const input: RulePreviewInput = {
    // The text alone stays a string, as a rule's `template` most often is.
    template:
      options.title === undefined
        ? options.template
        : { title: options.title, ...(options.template !== undefined ? { text: options.template } : {}) },
  };
  if (options.event !== undefined) input.event_id = options.event;
  else if (options.eventFile !== undefined) input.event = readJson(options.eventFile, 'the event');
  else input.event = options.eventJson === '-' ? readJson('-', 'the event') : parseJson(options.eventJson!, '--event-json', 'the event');
  if (options.kind !== undefined) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(options.kind)) {
      throw new ValidationError([{ field: '--kind', message: `expected one of ${NOTIFICATION_KINDS.join(', ')}` }]);
    }
    input.kind = options.kind as NotificationKind;
  }
  return input;
}

/** The title, a blank line, the text: as a reader would see the message. */
export function formatRulePreview(result: RulePreviewResult): string {
  return `${result.title}\n\n${result.text}\n`;
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
