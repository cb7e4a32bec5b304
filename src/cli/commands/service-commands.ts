import { Option, type Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerServiceCommands(program: Command): void {
  const service = program
    .command('service')
    .description('A user service that keeps `hookd serve` running: a systemd user unit on Linux, a launchd agent on macOS');
  const load = () => import('../service-command.ts');
  const platform = () => new Option('--platform <platform>', 'linux or darwin (default: this system)').choices(['linux', 'darwin']);
  service
    .command('install')
    .description('Write the service with the HOOKD_ settings set now, then enable and start it; again replaces it')
    .addOption(platform())
    .option('--no-start', 'write the files only; leave systemctl or launchctl alone')
    .action(async (options) => (await load()).serviceInstall(program.opts(), options));
  service
    .command('uninstall')
    .description('Stop and disable the service, and remove its files')
    .addOption(platform())
    .action(async (options) => (await load()).serviceUninstall(program.opts(), options));
  service
    .command('status')
    .description("Where the service's file is, what the service manager says, and whether a server answers")
    .addOption(platform())
    .option('--url <url>', 'the server to ask (default: http://HOST:PORT of the settings here)')
    .option('--json', 'print the status as JSON')
    .action(async (options) => (await load()).serviceStatus(program.opts(), options));
}
