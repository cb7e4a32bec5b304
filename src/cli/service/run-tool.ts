import { execFile } from 'node:child_process';

export interface ToolResult {
  /** The command line as a person would type it. */
  command: string;
  ok: boolean;
  /** Exit status; null when the program did not run or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it failed, on one line: what it said, or that it is not on PATH. */
  problem: string | null;
}

/**
 * Runs systemctl or launchctl and reports instead of throwing: a failure is something to
 * tell the user along with what to run by hand. The timeout covers a user bus that never
 * answers.
 */
export function runTool(argv: readonly string[], timeoutMs = 30_000): Promise<ToolResult> {
  const [program, ...args] = argv as [string, ...string[]];
  const command = argv.join(' ');
  return new Promise((resolve) => {
    execFile(program, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ command, ok: true, code: 0, stdout, stderr, problem: null });
      const code = typeof error.code === 'number' ? error.code : null;
      let problem: string;
      if (error.code === 'ENOENT') problem = `${program} was not found on PATH`;
      else if (error.killed) problem = `no answer within ${timeoutMs / 1000} s`;
      else problem = message(stderr) || message(stdout) || `exit status ${code ?? error.signal}`;
      resolve({ command, ok: false, code, stdout, stderr, problem });
    });
  });
}

/** What the program said, on one line. */
function message(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ')
    .slice(0, 500);
}
