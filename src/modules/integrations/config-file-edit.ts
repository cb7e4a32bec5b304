import type { InstallRecord } from './install-record.ts';

export interface InstallOutcome {
  /** The file's new text; null: the file is missing and needs creating for nothing. */
  text: string | null;
  /** What was done, without the file: "registered hookd for 26 Claude Code hook events". */
  done: string;
  unchanged: string;
  /** The HOOKD_URL install wrote into the file's `env`, for the record; null: none. */
  url: string | null;
  /** Lines for the person running install: a setting of theirs that keeps hooks from running... */
  notes: string[];
}

export interface StripOutcome {
  /** The text without hookd's part; the current text itself when there is nothing of hookd's. */
  text: string;
  /** "removed hookd from 12 Claude Code hook events". */
  done: string;
  unchanged: string;
}

/**
 * One configuration file an install edits, as the runtime (src/cli/install-files.ts)
 * needs it: it reads the file and its install record, asks for the new text, and writes
 * the file and the record. Both functions throw SettingsFileError for a file they will
 * not edit.
 */
export interface ConfigFileEdit {
  /** Names the record: `claude-code`, `codex`, `gemini`. */
  agent: string;
  /** The file as the person named it (symlinks unresolved), for messages. */
  file: string;
  install(current: string | null, record: InstallRecord | null): InstallOutcome;
  /** Removes hookd's part structurally: for a file changed since install, or without a record. */
  strip(current: string, record: InstallRecord | null): StripOutcome;
}
