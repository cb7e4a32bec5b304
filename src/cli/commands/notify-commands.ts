import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerNotifyCommands(program: Command): void {
  const notify = program.command('notify').description("One person's notifications, set up in one command");
  notify
    .command('setup')
    .description(
      "Add a channel, notify it on the kinds given for every event (the installation team's rules), send a test message, and check that a server runs to deliver",
    )
    .option('--slack <url>', 'a Slack incoming webhook URL (- reads it from stdin)')
    .option('--discord <url>', 'a Discord webhook URL (- reads it from stdin)')
    .option('--email <smtp-url>', 'smtp://user@host:587?from=hookd@example.com&to=me@example.com (the password with --secret)')
    .option('--ntfy <topic-url>', 'an ntfy topic URL, e.g. https://ntfy.sh/my-topic')
    .option('--secret <secret>', 'the email password or the ntfy access token (- reads it from stdin)')
    .option('--on <kinds>', 'permission, input, stop, session_end, failure (comma-separated)', 'permission,input,stop')
    .option('--channel <channel_id>', 'the channel id (default: notify-<kind>)')
    .option('--digest-minutes <n>', 'send what follows within n minutes of a notification as one digest (0: off, the default)')
    .option('--quiet <HH:MM-HH:MM>', 'quiet hours: hold all but critical notifications, then send them as a digest')
    .option('--time-zone <zone>', "the IANA time zone of the quiet hours (default: this machine's)")
    .option('--no-test', 'send no test message')
    .option('--url <url>', 'the server to check for (default: http://HOST:PORT of the settings here)')
    .option('--json', 'print what was set up as JSON')
    .action(async (options) => (await import('../notify-command.ts')).notifySetupCommand(program.opts(), options));
}
