// V8's compiled code for hookd's modules, kept on disk (os.tmpdir()/node-compile-cache) and
// reused by the next start: a hook process loads some 30 modules and pays for each compile.
process.getBuiltinModule('node:module').enableCompileCache?.();

// `hookd emit` runs inside every agent hook, so it starts before anything else is loaded:
// commander and the command table alone would cost more than emit's start-up budget
// (docs/performance.md).
// `--help` still goes through commander, which prints it.
if (process.argv[2] === 'emit' && !process.argv.includes('--help') && !process.argv.includes('-h')) {
  await (await loadEmitCommand()).emitCommand(process.argv.slice(3));
  // Whatever a failed request left open must not keep the hook waiting.
  process.exit(0);
}

// The transcript reader emit starts after a Stop (emit-usage-command.ts): no commander
// either, and not in the help, since only emit runs it.
if (process.argv[2] === 'emit-usage') {
  await (await import('./emit-usage-command.ts')).emitUsageCommand(process.argv.slice(3));
  process.exit(0);
}

/**
 * emit as one file (dist/emit-bundle.js, written by build/bundle-emit.ts): resolving and
 * linking its modules one by one is a cost every hook would pay. The modules themselves
 * where there is no bundle (dist built by tsc alone).
 */
async function loadEmitCommand(): Promise<typeof import('./emit-command.ts')> {
  try {
    return (await import(new URL('../emit-bundle.js', import.meta.url).href)) as typeof import('./emit-command.ts');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return import('./emit-command.ts');
  }
}

// `hookd sessions | head`: once the reader of stdout is gone there is nothing left to print
// for, so every command ends quietly instead of dying on EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [{ Command, Option }, { version }] = await Promise.all([import('commander'), import('../core/version.ts')]);

/**
 * Entry point of bin/hookd. Command modules are imported only when their command runs,
 * so a short command does not pay for loading the server.
 */
const program = new Command('hookd')
  .description('Store and control room for the hooks of AI coding agents')
  // With the Node it runs on: bin/hookd picks the pinned one, whatever PATH finds.
  .version(`${version()} (Node ${process.version})`, '-V, --version')
  .showHelpAfterError()
  .addOption(new Option('--database-url <url>', 'postgres://... or sqlite:PATH (env DATABASE_URL)'))
  .addOption(new Option('--storage <type>', 'auto | sqlite | postgres | jsonl (env STORAGE_TYPE)'));

program
  .command('serve')
  .description('Start the HTTP server (migrations are applied first)')
  .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
  .option('--port <port>', 'port (env PORT, default 8080)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace (env LOG_LEVEL)')
  .option('--jsonl-path <path>', 'file for jsonl storage (env JSONL_PATH)')
  .action(async (options) => (await import('./serve-command.ts')).serve({ ...program.opts(), ...options }));

const migrate = program.command('migrate').description('Apply, revert or check database migrations');
migrate
  .command('up')
  .description('apply pending migrations (refused while an applied one was edited, as verify reports)')
  .option('--allow-edited', 'apply even though an applied migration was edited or lost its file (logged)')
  .action(async (options) => (await import('./migrate-command.ts')).migrateCommand('up', program.opts(), options));
for (const [name, description] of [
  ['status', 'list migrations and their state'],
  ['verify', 'fail when an applied migration was edited or its file is missing'],
] as const) {
  migrate
    .command(name)
    .description(description)
    .action(async () => (await import('./migrate-command.ts')).migrateCommand(name, program.opts(), {}));
}
migrate
  .command('down')
  .description('revert the newest migration, or every migration above --to N')
  .option('--to <version>', 'keep migrations up to and including this version')
  .action(async (options) => (await import('./migrate-command.ts')).migrateCommand('down', program.opts(), options));

await (await import('./commands.ts')).registerCommands(program);

program.parseAsync(process.argv).catch(async (error: unknown) => {
  (await import('./fail.ts')).fail(error);
});
