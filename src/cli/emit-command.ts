import { createEmitLog, describeError, type EmitLog } from '../modules/emit/emit-log.ts';
import { runEmit } from '../modules/emit/emit-service.ts';
import { openSink } from '../runtime/emit-sink.ts';
import { emitSettings } from '../modules/emit/emit-settings.ts';
import { fs } from '../core/builtin-fs.ts';

// `hookd emit` is what an agent's command hook runs (and Codex's `notify` program, which
// passes the event as its last argument). Claude Code reads a hook's stdout, stderr and
// exit code (2 blocks the action), so this command prints nothing, always exits 0, and
// reports its problems to $HOOKD_HOME/emit.log instead. main.ts calls it before loading
// commander; keep this file's imports to what emit needs.

export const DEFAULT_SOURCE = 'claude-code';

/** `hookd emit [--source NAME]`, args after `emit`. */
export async function emitCommand(args: readonly string[]): Promise<void> {
  const settings = emitSettings(process.env);
  const log = createEmitLog(settings.home, [settings.token]);
  keepQuiet(log);
  try {
    const { source, payload, problems } = parseEmitArgs(args);
    for (const problem of problems) log(problem);
    // The agent fired the hook when it started this process: process.uptime() counts from then.
    const firedAt = Math.round(Date.now() - process.uptime() * 1000);
    await runEmit(payload ?? (await readStdin()), { source, settings, env: process.env, log, openSink, firedAt });
  } catch (error) {
    log(`emit failed: ${describeError(error)}`);
  }
  process.exitCode = 0;
}

/**
 * `payload`: a last argument starting with `{` is the event itself, as Codex's `notify`
 * program gets it (with no stdin); otherwise the event comes on stdin.
 */
export function parseEmitArgs(args: readonly string[]): { source: string; payload?: string; problems: string[] } {
  let source = DEFAULT_SOURCE;
  let payload: string | undefined;
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--source' && i + 1 < args.length) source = args[++i]!;
    else if (arg.startsWith('--source=')) source = arg.slice('--source='.length);
    else if (i === args.length - 1 && arg.trimStart().startsWith('{')) payload = arg;
    else problems.push(`ignored argument "${arg.slice(0, 100)}" (emit takes only --source NAME and a JSON payload last)`);
  }
  return payload === undefined ? { source, problems } : { source, payload, problems };
}

/** Warnings and stray errors go to the log: anything on stderr would reach the agent. */
function keepQuiet(log: EmitLog): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log(`node warning: ${warning.name}: ${warning.message}`));
  const bail = (error: unknown) => {
    log(`emit failed: ${describeError(error)}`);
    process.exit(0);
  };
  process.on('uncaughtException', bail);
  process.on('unhandledRejection', bail);
}

async function readStdin(): Promise<string> {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A non-blocking stdin (a parent's choice) cannot be read synchronously: stream it.
    if (code === 'EAGAIN') return readStream(process.stdin);
    // No stdin at all (closed): the same as an empty one.
    if (code === 'EBADF' || code === 'EINVAL' || code === 'ENXIO' || code === 'EOF') return '';
    throw error;
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
