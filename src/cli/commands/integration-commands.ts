import { Option, type Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerIntegrationCommands(program: Command): void {
  const target = (command: Command): Command =>
    command
      .addOption(new Option('--user', "edit the user's ~/.claude/settings.json (the default)").conflicts('project'))
      .option('--project <dir>', 'edit DIR/.claude/settings.json instead')
      .option('--dry-run', 'print the change as a diff and write nothing');
  target(
    program
      .command('install')
      .description('Register hookd as the hook of a coding agent')
      .command('claude-code')
      .description('Register hookd for every Claude Code hook event in a settings.json'),
  )
    .option('--http <url>', 'HTTP hooks to the hookd server at this URL instead of running `hookd emit`')
    .action(async (options) => (await import('../install-command.ts')).installClaudeCode(options));
  target(
    program
      .command('uninstall')
      .description('Remove what `hookd install` added to a coding agent')
      .command('claude-code')
      .description("Remove hookd's hooks from a Claude Code settings.json, keeping everything else"),
  ).action(async (options) => (await import('../install-command.ts')).uninstallClaudeCode(options));
}
