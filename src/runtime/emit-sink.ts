import type { EmitSettings } from '../modules/emit/emit-settings.ts';
import type { EventSink } from '../modules/emit/event-sink.ts';

/**
 * The sink for these settings: HTTP when HOOKD_URL is set, else the SQLite file. Each is
 * loaded only when used: every module is start-up time a hook pays.
 */
export async function openSink(settings: EmitSettings, env: NodeJS.ProcessEnv, deadline?: number): Promise<EventSink> {
  if (settings.url) {
    const { httpSink } = await import('../modules/emit/http-sink.ts');
    return httpSink({ url: settings.url, token: settings.token, timeoutMs: settings.timeoutMs, deadline });
  }
  // Only the SQLite side of storage: no server, no PostgreSQL driver.
  const [{ loadConfig }, { openSqliteSink }] = await Promise.all([import('../core/config.ts'), import('./sqlite-sink.ts')]);
  return openSqliteSink(loadConfig(env, {}, { prefixedOnly: true }), deadline);
}
