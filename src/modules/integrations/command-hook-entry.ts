import { isHookdCommand } from './hookd-emit-command.ts';
import { isJsonObject } from './json-settings.ts';

/** The recognition rule for agents that run only command hooks (Codex, Gemini CLI): a command hook running hookd emit. */
export function isHookdCommandEntry(entry: unknown): boolean {
  return isJsonObject(entry) && entry.type === 'command' && isHookdCommand(entry.command);
}
