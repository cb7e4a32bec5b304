import type { HookTarget } from './claude-code-hook-entry.ts';
import { installClaudeCodeHooks, uninstallClaudeCodeHooks } from './claude-code-settings.ts';
import type { ConfigFileEdit } from './config-file-edit.ts';
import { installHistory } from './install-history.ts';
import { jsonFormatOf, parseJsonSettings, serializeJsonSettings } from './json-settings.ts';

/** A Claude Code settings.json as `hookd install claude-code` edits it. */
export function claudeCodeFileEdit(
  file: string,
  target: HookTarget,
  url: string | null,
  telemetry: { headersHelper: string } | null = null,
): ConfigFileEdit {
  return {
    agent: 'claude-code',
    file,
    install(current, record) {
      const { settings, summary } = installClaudeCodeHooks(
        parseJsonSettings(current ?? ''),
        target,
        url,
        installHistory(record),
        telemetry,
      );
      const count = `${summary.events} Claude Code hook events${telemetry ? ' and its telemetry export' : ''}`;
      return {
        text: serializeJsonSettings(settings, jsonFormatOf(current)),
        done: `registered hookd for ${count}`,
        unchanged: `hookd is already registered for ${count}`,
        url,
        notes: [],
      };
    },
    strip(current, record) {
      const { settings, summary } = uninstallClaudeCodeHooks(parseJsonSettings(current), installHistory(record));
      const plural = summary.events === 1 ? 'event' : 'events';
      const parts = [
        ...(summary.entries > 0 ? [`hookd from ${summary.events} Claude Code hook ${plural}`] : []),
        ...(summary.removedUrl ? ['HOOKD_URL from env'] : []),
      ];
      const changed = parts.length > 0;
      return {
        text: changed ? serializeJsonSettings(settings, jsonFormatOf(current)) : current,
        done: `removed ${parts.join(' and ')}`,
        unchanged: 'no hookd hooks found',
      };
    },
  };
}
