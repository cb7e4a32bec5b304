import type { Rule } from '../modules/rules/rule.ts';

/** What `hookd notify setup --on` takes: the kinds of moment a person wants to hear about. */
export const PRESET_KINDS = ['permission', 'input', 'stop', 'session_end', 'failure'] as const;
export type PresetKind = (typeof PRESET_KINDS)[number];

/** The preset's rules carry this prefix: a later setup replaces them and leaves other rules alone. */
export const PRESET_RULE_PREFIX = 'notify-';

const ALWAYS = { logic: 'and', conditions: [] } as const;

/**
 * One rule per kind, naming the channel, on canonical event types so that every agent's
 * events match. Claude Code reports a permission prompt as a PermissionRequest and as a
 * Notification of type permission_prompt (the outbox merges the two), Gemini CLI as a
 * Notification of type ToolPermission; any other notification is the agent waiting for input.
 */
export function presetRules(kinds: readonly PresetKind[], channelId: string): Rule[] {
  const rule = (kind: PresetKind, name: string, hookTypes: string[], conditions: Rule['conditions']): Rule => ({
    rule_id: `${PRESET_RULE_PREFIX}${kind}`,
    name,
    hook_types: hookTypes,
    channels: [channelId],
    conditions,
  });
  return kinds.map((kind) => {
    switch (kind) {
      case 'permission':
        return rule(kind, 'The agent asks for permission', ['permission_requested', 'notification'], {
          logic: 'or',
          conditions: [
            { field: 'event.event_type', operator: 'equals', value: 'permission_requested' },
            { field: 'data.notification_type', operator: 'equals', value: 'permission_prompt' },
            { field: 'data.notification_type', operator: 'equals', value: 'ToolPermission' },
          ],
        });
      case 'input':
        return rule(kind, 'The agent waits for input', ['notification'], {
          logic: 'and',
          conditions: [
            { field: 'data.notification_type', operator: 'not_equals', value: 'permission_prompt' },
            { field: 'data.notification_type', operator: 'not_equals', value: 'ToolPermission' },
          ],
        });
      case 'stop':
        return rule(kind, 'The agent finished its turn', ['agent_stopped'], { ...ALWAYS, conditions: [] });
      case 'session_end':
        return rule(kind, 'A session ended', ['session_ended'], { ...ALWAYS, conditions: [] });
      default:
        return rule(kind, 'A tool call or a turn failed', ['tool_execution_failed', 'agent_stop_failed'], { ...ALWAYS, conditions: [] });
    }
  });
}

/** `--on permission,input,stop`: the kinds, or the names that are not kinds. */
export function parsePresetKinds(list: string): { kinds: PresetKind[]; unknown: string[] } {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const kinds = [...new Set(names.filter((n): n is PresetKind => (PRESET_KINDS as readonly string[]).includes(n)))];
  return { kinds, unknown: names.filter((n) => !(PRESET_KINDS as readonly string[]).includes(n)) };
}

/** `--quiet 22:00-08:00`. */
export function parseQuietHours(value: string): { start: string; end: string } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return m ? { start: `${m[1]}:${m[2]}`, end: `${m[3]}:${m[4]}` } : null;
}
