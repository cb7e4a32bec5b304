import type { ConfigFileEdit } from './config-file-edit.ts';

/**
 * The line that turns hooks on for Codex versions that keep them behind a feature flag.
 * Newer versions run hooks by default and still read `codex_hooks` (a deprecated alias
 * of `hooks`), so the one line serves both.
 */
export const CODEX_HOOKS_FLAG = 'codex_hooks = true';

const TABLE_HEADER = /^\s*\[/;
const FEATURES_HEADER = /^\s*\[\s*features\s*\]\s*(#.*)?$/;
const HOOKS_KEY = /^\s*(codex_hooks|hooks)\s*=\s*([^#\s]*)/;
/** `features.x = ...` or `features = {...}` before any table: a [features] table of hookd's would redefine it. */
const ROOT_FEATURES = /^\s*features\s*[.=]/;

/**
 * Codex's config.toml, edited as text: hookd writes no TOML parser's layout over the
 * user's comments and order, it only inserts one line into [features] (or appends the
 * table when there is none) and leaves a file that already says anything about hooks
 * as it is.
 */
export function codexFeatureFlagEdit(file: string): ConfigFileEdit {
  return {
    agent: 'codex',
    file,
    install(current) {
      const text = current ?? '';
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const lines = text.split(/\r?\n/);
      const unchanged = (why: string, notes: string[] = []) => ({ text: current, done: '', unchanged: why, url: null, notes });
      const rootEnd = lines.findIndex((line) => TABLE_HEADER.test(line));
      if (lines.slice(0, rootEnd === -1 ? lines.length : rootEnd).some((line) => ROOT_FEATURES.test(line)))
        return unchanged('features are set inline, which hookd leaves as they are', [
          `${file} defines features as dotted keys or an inline table: if your Codex needs it, add codex_hooks = true there yourself`,
        ]);
      const header = lines.findIndex((line) => FEATURES_HEADER.test(line));
      if (header !== -1) {
        const end = lines.findIndex((line, i) => i > header && TABLE_HEADER.test(line));
        const setting = lines.slice(header + 1, end === -1 ? lines.length : end).find((line) => HOOKS_KEY.test(line));
        if (setting !== undefined) {
          const value = HOOKS_KEY.exec(setting)![2];
          return unchanged(
            `[features] already sets ${setting.trim()}`,
            value === 'false' ? [`${file} turns Codex hooks off (${setting.trim()}): hookd's hooks will not run until it says true`] : [],
          );
        }
        const next = [...lines.slice(0, header + 1), CODEX_HOOKS_FLAG, ...lines.slice(header + 1)].join(eol);
        return turnedOn(next);
      }
      // No [features] yet: the table goes last, after a blank line, so no other table's keys run into it.
      const separator = text === '' ? '' : /\n$/.test(text) ? eol : `${eol}${eol}`;
      return turnedOn(`${text}${separator}[features]${eol}${CODEX_HOOKS_FLAG}${eol}`);
    },
    strip(current, record) {
      const none = { text: current, done: '', unchanged: `no line of hookd's found` };
      // Without a record nobody knows whether the line was the user's own, so it stays.
      if (record === null || (record.before !== null && hasHookdFlag(record.before))) return none;
      const eol = current.includes('\r\n') ? '\r\n' : '\n';
      const lines = current.split(/\r?\n/);
      const header = lines.findIndex((line) => FEATURES_HEADER.test(line));
      const flag = lines.findIndex((line, i) => i > header && line === CODEX_HOOKS_FLAG);
      const end = lines.findIndex((line, i) => i > header && TABLE_HEADER.test(line));
      if (header === -1 || flag === -1 || (end !== -1 && flag > end)) return none;
      const kept = lines.filter((_, i) => i !== flag);
      const hadFeatures = record.before?.split(/\r?\n/).some((line) => FEATURES_HEADER.test(line)) === true;
      const bodyEnd = end === -1 ? kept.length : end - 1;
      const emptyTable = kept.slice(header + 1, bodyEnd).every((line) => line.trim() === '');
      if (!hadFeatures && emptyTable && end === -1) {
        // The table install appended, last in the file: it goes with the blank line before it.
        let start = header;
        if (start > 0 && kept[start - 1] === '') start--;
        const text = `${kept.slice(0, start).join(eol)}${start > 0 ? eol : ''}`;
        return { text, done: 'removed the [features] table hookd added', unchanged: none.unchanged };
      }
      return { text: kept.join(eol), done: `removed hookd's ${CODEX_HOOKS_FLAG}`, unchanged: none.unchanged };
    },
  };
}

function turnedOn(text: string) {
  return {
    text,
    done: `turned Codex hooks on ([features] ${CODEX_HOOKS_FLAG})`,
    unchanged: 'Codex hooks are already on',
    url: null,
    notes: [],
  };
}

function hasHookdFlag(text: string): boolean {
  return text.split(/\r?\n/).some((line) => line === CODEX_HOOKS_FLAG);
}
