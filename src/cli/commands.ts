import { Option, type Command } from 'commander';
import { registerHookCommands } from './hook-commands.ts';
import { intIn } from './int-option.ts';

// Loaded on every run, `hookd emit` inside an agent's hook included: only registrations
// and argument parsers here; each command's module is imported when it runs.

/** Command groups beyond serve and migrate; each registers itself and loads lazily. */
export async function registerCommands(program: Command): Promise<void> {
  registerTokenCommands(program);
  registerEventCommands(program);
  registerPartitionCommands(program);
  registerIntegrationCommands(program);
  registerEmitCommands(program);
  registerSessionCommands(program);
  registerStatsCommands(program);
  registerRebuildCommand(program);
  registerHookCommands(program);
}

function registerSessionCommands(program: Command): void {
  const sessions = program
    .command('sessions')
    .description('List agent sessions, most recently active first')
    .addOption(new Option('--status <status>', 'only these').choices(['active', 'idle', 'ended', 'open']))
    .option('--project <name>', 'only this project')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--limit <n>', 'sessions per page, 1-500', intIn('--limit', 1, 500), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as the HTTP API does')
    .action(async (options) => (await import('./sessions-command.ts')).sessionsCommand(program.opts(), options));
  // Commander hands a `--json` after the subcommand to `sessions` itself, which has its own.
  const withJson = <T extends { json?: boolean }>(options: T): T => ({ ...options, json: options.json || sessions.opts().json === true });
  sessions
    .command('show')
    .description('One session: its details, tool calls in order and counts')
    .argument('<id>', 'session id')
    .option('--json', 'print the session as GET /sessions/{id} does')
    .action(async (id: string, options) =>
      (await import('./sessions-command.ts')).sessionShowCommand(program.opts(), id, withJson(options)),
    );
  sessions
    .command('end')
    .description('End a session now, as POST /sessions/{id}/end does (recorded as a session_ended event)')
    .argument('<id>', 'session id')
    .option('--reason <reason>', 'the end_reason to record', 'cli')
    .option('--json', 'print the session as the HTTP API returns it')
    .action(async (id: string, options) =>
      (await import('./sessions-command.ts')).sessionEndCommand(program.opts(), id, withJson(options)),
    );
  sessions
    .command('delete')
    .description('Delete a session with its tool uses and all its events; this cannot be undone')
    .argument('<id>', 'session id')
    .action(async (id: string) => (await import('./sessions-command.ts')).sessionDeleteCommand(program.opts(), id));
}

const STATS_FILTERS = ['since', 'from', 'to', 'source', 'project', 'team'] as const;

function addStatsFilters(command: Command): Command {
  return command
    .option('--since <duration>', 'this long back from now, e.g. 90m, 24h, 7d, 4w (instead of --from)')
    .option('--from <time>', 'from this time, inclusive (ISO-8601 or epoch ms)')
    .option('--to <time>', 'until this time, exclusive (ISO-8601 or epoch ms)')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--project <name>', 'only this project')
    .option('--team <team>', 'only this team');
}

function registerStatsCommands(program: Command): void {
  const stats = addStatsFilters(
    program.command('stats').description('Analytics of sessions, tools, workflow patterns and subagents, as /analytics answers them'),
  ).option('--json', 'print JSON as the HTTP API does');
  // Commander hands an option `stats` also has to `stats` wherever it stands, so
  // `hookd stats tools --since 7d --json` arrives there; the subcommands repeat the
  // options for their --help and take them from `stats`.
  const merged = <T extends Record<string, unknown>>(options: T): T => {
    const all: Record<string, unknown> = { ...options };
    for (const [key, value] of Object.entries(stats.opts())) if (all[key] === undefined) all[key] = value;
    return all as T;
  };
  /** For reads the filters do not apply to: refused rather than silently ignored. */
  const noFilters = <T extends Record<string, unknown>>(command: Command, what: string, options: T, instead: string): T => {
    const given = STATS_FILTERS.find((key) => options[key] !== undefined);
    if (given) command.error(`error: --${given} does not apply to \`hookd stats ${what}\`; ${instead}`);
    return options;
  };
  const load = () => import('./stats-command.ts');

  addStatsFilters(stats.command('sessions').description('Session summaries (pattern, score, tool calls), newest start first'))
    .option('--pattern <pattern>', 'only this workflow pattern, e.g. "edit-test loop"')
    .option('--limit <n>', 'sessions per page, 1-1000', intIn('--limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as GET /analytics/sessions does')
    .action(async (options) => (await load()).statsSessionsCommand(program.opts(), merged(options)));
  stats
    .command('session')
    .description("One session's summary, workflow pattern and score, and its calls per tool")
    .argument('<id>', 'session id')
    .option('--json', 'print the session as GET /analytics/sessions/{id} does')
    .action(async (id: string, options, command: Command) =>
      (await load()).statsSessionCommand(program.opts(), id, noFilters(command, 'session', merged(options), 'it covers the whole session')),
    );
  addStatsFilters(stats.command('tools').description('Success rate, durations and most common error per tool, most used first'))
    .option('--json', 'print {items} as GET /analytics/tools does')
    .action(async (options) => (await load()).statsToolsCommand(program.opts(), merged(options)));
  addStatsFilters(
    stats
      .command('tool')
      .description('One tool over a period (default the last 7 days): totals, change against the period before, day by day'),
  )
    .argument('<name>', 'tool name, e.g. Bash')
    .option('--json', 'print the figures as GET /analytics/tools/{name} does')
    .action(async (name: string, options) => (await load()).statsToolCommand(program.opts(), name, merged(options)));
  addStatsFilters(stats.command('workflows').description('Sessions per workflow pattern (chat, explore, editing, edit-test loop, ...)'))
    .option('--recent <days>', 'of the sessions started in the last N days, as GET /analytics/workflows/recent', intIn('--recent', 1, 3650))
    .option('--json', 'print the distribution as GET /analytics/workflows does')
    .action(async (options, command: Command) => {
      const all = merged(options);
      if (all.recent !== undefined) noFilters(command, 'workflows --recent', all, 'for filtered figures use --since instead');
      return (await load()).statsWorkflowsCommand(program.opts(), all);
    });
  addStatsFilters(stats.command('agents').description('Subagent calls per subagent type: sessions, success rate, durations'))
    .option('--json', 'print {items} as GET /analytics/agents does')
    .action(async (options) => (await load()).statsAgentsCommand(program.opts(), merged(options)));
  addStatsFilters(stats.command('quality').description('Percentiles of session scores per source and of durations per tool'))
    .option('--json', 'print the distributions as GET /analytics/quality does')
    .action(async (options) => (await load()).statsQualityCommand(program.opts(), merged(options)));
}

function registerRebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description('Recompute sessions and tool uses from the stored events (e.g. after an adapter change); safe to repeat')
    .option('--session <id>', 'only this session')
    .option('--json', 'print the summary as JSON')
    .action(async (options) => (await import('./rebuild-command.ts')).rebuildCommand(program.opts(), options));
}

function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Create, list and revoke API tokens');
  token
    .command('create')
    .description('Create an API token; it is printed once and stored only as a hash')
    .requiredOption('--scope <scopes>', 'comma-separated: ingest, read, admin')
    .option('--team <team>', 'restrict the token to one team')
    .option('--session <session>', 'restrict the token to one session')
    .option('--name <name>', 'a label to recognise it by in `token list`')
    .option('--json', 'print the token record and the token as JSON')
    .action(async (options) => (await import('./token-command.ts')).tokenCreate(program.opts(), options));
  token
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./token-command.ts')).tokenList(program.opts(), options));
  token
    .command('revoke')
    .description('Revoke an API token by id; it stops working within a second')
    .argument('<id>', 'token id, as `token list` shows it (tok_...)')
    .action(async (id: string) => (await import('./token-command.ts')).tokenRevoke(program.opts(), id));
}

function addFilterOptions(command: Command): Command {
  return command
    .option('--session <id>', 'only this session')
    .option('--type <type>', 'only this event type')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--workflow <id>', 'only this workflow')
    .option('--from <time>', 'events at or after this time (ISO-8601 or epoch ms)')
    .option('--to <time>', 'events before this time (ISO-8601 or epoch ms)');
}

function registerEventCommands(program: Command): void {
  addFilterOptions(program.command('events').description('List stored events, newest first'))
    .option('--limit <n>', 'events per page, 1-1000', intIn('--limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as the HTTP API does')
    .action(async (options) => (await import('./events-command.ts')).eventsCommand(program.opts(), options));

  program
    .command('import')
    .description('Import events from a JSONL file (one event per line); re-importing stores nothing twice')
    .argument('<file>', 'JSONL file, as `hookd export` or jsonl storage writes it')
    .option('--batch <n>', 'events per transaction, 1-10000', intIn('--batch', 1, 10_000), 500)
    .action(async (file: string, options) => (await import('./import-command.ts')).importCommand(program.opts(), file, options));

  program
    .command('tail')
    .description('Follow new events live from the running server (GET /events/stream); resumes after a dropped connection')
    .option('--session <id>', 'only this session')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--type <type>', 'only this event type')
    .option('--json', 'print each event as one line of JSON, as the HTTP API returns it')
    .option('--url <url>', 'the server (default: HOOKD_URL, else http://HOST:PORT)')
    .action(async (options) => (await import('./tail-command.ts')).tailCommand(program.opts(), options));

  addFilterOptions(program.command('export').description('Write every matching event, oldest first'))
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (options) => (await import('./export-command.ts')).exportCommand(program.opts(), options));
}

function registerPartitionCommands(program: Command): void {
  const partitions = program.command('partitions').description('Monthly partitions of the events table (PostgreSQL)');
  partitions
    .command('list')
    .description('List partitions with estimated rows and size')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('./partitions-command.ts')).partitionsList(program.opts(), options));
  partitions
    .command('create')
    .description('Create the partition for a month ahead of need, e.g. before a backfill')
    .argument('<month>', 'YYYY-MM')
    .action(async (month: string) => (await import('./partitions-command.ts')).partitionsCreate(program.opts(), month));
  partitions
    .command('detach')
    .description('Remove partitions wholly older than N months (dropped unless --keep)')
    .requiredOption('--older-than <months>', 'keep this many months before the current one', intIn('--older-than', 1, 1200))
    .option('--keep', 'only detach: keep each partition as a standalone table')
    .action(async (options) => (await import('./partitions-command.ts')).partitionsDetach(program.opts(), options));
}

function registerIntegrationCommands(program: Command): void {
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
    .action(async (options) => (await import('./install-command.ts')).installClaudeCode(options));
  target(
    program
      .command('uninstall')
      .description('Remove what `hookd install` added to a coding agent')
      .command('claude-code')
      .description("Remove hookd's hooks from a Claude Code settings.json, keeping everything else"),
  ).action(async (options) => (await import('./install-command.ts')).uninstallClaudeCode(options));
}

function registerEmitCommands(program: Command): void {
  // Reached only when global options come before `emit`: main.ts runs a plain
  // `hookd emit` before commander is loaded. Unknown arguments must not make a hook fail.
  program
    .command('emit')
    .description('Store the hook event on stdin (what a Claude Code command hook runs); prints nothing, always exits 0')
    .option('--source <name>', 'the agent that fired the hook', 'claude-code')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (options: { source: string }) => (await import('./emit-command.ts')).emitCommand(['--source', options.source]));
  const spool = program
    .command('spool')
    .description('Events `hookd emit` could not deliver yet ($HOOKD_HOME/spool.jsonl) and those it gave up on (spool-dead.jsonl)')
    .option('--json', 'print the counts and the dead letters as JSON')
    .action(async (options: { json?: boolean }) => (await import('./spool-command.ts')).spoolStatus(options));
  spool
    .command('flush')
    .description('Replay the spool now to HOOKD_URL (else the local database) and report counts')
    .action(async () => (await import('./spool-command.ts')).spoolFlush());
  spool
    .command('retry')
    .description('Put the dead letters back into the spool, their tries reset, and replay it')
    .requiredOption('--dead', 'the dead letters (the only kind there is to retry)')
    .action(async () => (await import('./spool-command.ts')).spoolRetryDead());
}

/** Checked while parsing, so a bad number is reported with the usage before any work. */
