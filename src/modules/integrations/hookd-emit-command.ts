export interface EmitCommandOptions {
  /** `--source NAME`; none for Claude Code, emit's default source. */
  source?: string;
  /** A `HOOKD_URL='...'` prefix, for agents whose configuration has no environment of its own. */
  url?: string;
}

/** Absolute paths, so the hook never depends on the PATH the agent hands its hooks. */
export function hookdEmitCommand(nodePath: string, mainPath: string, options: EmitCommandOptions = {}): string {
  const source = options.source === undefined ? '' : ` --source ${options.source}`;
  const emit = `${shellQuote(nodePath)} ${shellQuote(mainPath)} emit${source}`;
  return options.url === undefined ? emit : `HOOKD_URL=${shellQuote(options.url)} ${emit}`;
}

/** Claude Code's otelHeadersHelper: `hookd otel-headers` by the same absolute paths. */
export function hookdHeadersHelperCommand(nodePath: string, mainPath: string): string {
  return `${shellQuote(nodePath)} ${shellQuote(mainPath)} otel-headers`;
}

/** Single quotes keep everything literal in /bin/sh; an embedded quote closes, escapes and reopens. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// The recognition rule, so uninstall and a re-install find hookd's entries without a
// side file: a command that ends with hookd's entry point followed by the `emit`
// subcommand and at most a `--source NAME` (`.../dist/cli/main.js' emit --source codex`).
// Where the clone lives is not part of the rule, so entries written from a checkout that
// has since moved are still replaced and removed; a user's own command that merely
// mentions hookd (a wrapper script, `hookd emit | tee log`) ends differently and is left alone.
const HOOKD_COMMAND = /\/dist\/cli\/main\.js'?\s+emit(?:\s+--source(?:\s+|=)'?[\w.-]+'?)?\s*$/;

export function isHookdCommand(command: unknown): boolean {
  return typeof command === 'string' && HOOKD_COMMAND.test(command);
}
