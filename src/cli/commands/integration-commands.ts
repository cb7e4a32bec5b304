import { Option, type Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerIntegrationCommands(program: Command): void {
  const install = program.command('install').description('Register hookd as the hook of a coding agent');
  const uninstall = program
    .command('uninstall')
    .description('Remove what `hookd install` added to a coding agent: the file as it was, or without hookd if it changed since');
  const target = (command: Command, file: string, folder: string): Command =>
    command
      .addOption(new Option('--user', `edit the user's ${file} (the default)`).conflicts('project'))
      .option('--project <dir>', `edit DIR/${folder} instead`)
      .option('--dry-run', 'print the change as a diff and write nothing');
  const server = (command: Command): Command =>
    command.addOption(new Option('--url <url>', 'command hooks whose `hookd emit` posts to the hookd server at this URL'));

  const claude = ['~/.claude/settings.json', '.claude/settings.json'] as const;
  server(target(install.command('claude-code').description('Register hookd for every observe-only Claude Code hook event'), ...claude))
    .addOption(new Option('--http <url>', 'HTTP hooks to the hookd server at this URL instead of running `hookd emit`').conflicts('url'))
    .option('--claude-version <version>', 'write for this Claude Code version instead of asking `claude --version`')
    .option('--telemetry', "also turn on Claude Code's OpenTelemetry export (tokens, cost) to the server at --url or --http")
    .action(async (options) => (await import('../install-command.ts')).installClaudeCode(options));
  target(uninstall.command('claude-code').description("Remove hookd's hooks from a Claude Code settings.json"), ...claude).action(
    async (options) => (await import('../install-command.ts')).uninstallClaudeCode(options),
  );

  const codex = ['~/.codex/hooks.json and config.toml', '.codex/hooks.json and config.toml'] as const;
  server(target(install.command('codex').description('Register hookd for every Codex hook event'), ...codex)).action(async (options) =>
    (await import('../install-command.ts')).installCodex(options),
  );
  target(uninstall.command('codex').description("Remove hookd's hooks and feature flag from Codex's configuration"), ...codex).action(
    async (options) => (await import('../install-command.ts')).uninstallCodex(options),
  );

  program
    .command('otel-headers', { hidden: true })
    .description("Print the telemetry export's HTTP headers (Claude Code's otelHeadersHelper)")
    .action(async () => (await import('../otel-headers-command.ts')).otelHeadersCommand());

  const gemini = ['~/.gemini/settings.json', '.gemini/settings.json'] as const;
  server(target(install.command('gemini').description('Register hookd for the observe-only Gemini CLI hook events'), ...gemini)).action(
    async (options) => (await import('../install-command.ts')).installGemini(options),
  );
  target(uninstall.command('gemini').description("Remove hookd's hooks from a Gemini CLI settings.json"), ...gemini).action(
    async (options) => (await import('../install-command.ts')).uninstallGemini(options),
  );
}
