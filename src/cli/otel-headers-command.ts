import { join } from 'node:path';
import { hookdHome, readTokenFile, TOKEN_FILE } from '../modules/emit/emit-settings.ts';

/**
 * `hookd otel-headers`: Claude Code's otelHeadersHelper (written by `hookd install
 * claude-code --telemetry`). It prints the HTTP headers of the telemetry export as a JSON
 * object: the ingest token from HOOKD_TOKEN, else from $HOOKD_HOME/token (`hookd token
 * save`), read each time Claude Code asks, so no token is ever written into the settings.
 * No token: `{}`, which a server without tokens takes. Problems go to stderr, which Claude
 * Code shows in its debug output.
 */
export function otelHeadersCommand(env: NodeJS.ProcessEnv = process.env): void {
  const problems: string[] = [];
  const fromEnv = env.HOOKD_TOKEN?.trim();
  const token = fromEnv || readTokenFile(join(hookdHome(env), TOKEN_FILE), problems);
  for (const problem of problems) process.stderr.write(`hookd otel-headers: ${problem}\n`);
  const valid = token !== undefined && /^[\x21-\x7e]+$/.test(token);
  process.stdout.write(`${JSON.stringify(valid ? { Authorization: `Bearer ${token}` } : {})}\n`);
}
