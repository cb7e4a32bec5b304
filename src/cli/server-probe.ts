import { cliConfig, type GlobalOptions } from './cli-config.ts';

export interface ServerState {
  url: string;
  answers: boolean;
  error?: string;
}

/**
 * Whether a hookd answers at --url, else at the HOST and PORT configured here. Liveness
 * only: it needs no token and no database, and its body tells hookd from another server.
 */
export async function probeServer(globals: GlobalOptions, url: string | undefined): Promise<ServerState> {
  let base = url;
  try {
    if (base === undefined) {
      const config = cliConfig(globals);
      // A server bound to every address is reached on loopback.
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      base = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
    }
  } catch (error) {
    return { url: '', answers: false, error: `no address to ask: ${(error as Error).message}` };
  }
  base = base.replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
    if (response.ok && body?.status === 'alive') return { url: base, answers: true };
    return { url: base, answers: false, error: `${base}/health/live answered ${response.status}, not as hookd does` };
  } catch (error) {
    // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, bad port).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === 'TimeoutError' ? 'no answer within 2 s' : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { url: base, answers: false, error: why };
  }
}
