import { hookHeaders, type CapturedEvent } from './captured-event.ts';
import { describeError } from './emit-log.ts';
import { postJson, type HttpReply } from './emit-client.ts';
import type { EventSink, SendResult } from './event-sink.ts';

export interface HttpSinkOptions {
  /** HOOKD_URL: the server's base URL. */
  url: string;
  /** HOOKD_TOKEN, sent as a bearer token when set. */
  token?: string | undefined;
  timeoutMs: number;
  /** Date.now() past which no request starts; each request's timeout ends there too. */
  deadline?: number;
}

/** Delivers events one by one to POST {HOOKD_URL}/hooks/{source}, in order. */
export function httpSink(options: HttpSinkOptions): EventSink {
  const base = options.url.replace(/\/+$/, '');
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  return {
    target: base,
    async send(events) {
      const results: SendResult[] = [];
      for (const event of events) {
        const timeoutMs = options.deadline === undefined ? options.timeoutMs : Math.min(options.timeoutMs, options.deadline - Date.now());
        if (timeoutMs < 1) {
          results.push({ status: 'retry', reason: 'out of time for this run' });
          break;
        }
        const result = await sendOne(base, event, auth, timeoutMs);
        results.push(result);
        if (result.status === 'retry') break;
      }
      return results;
    },
    async close() {},
  };
}

async function sendOne(base: string, event: CapturedEvent, auth: Record<string, string>, timeoutMs: number): Promise<SendResult> {
  let body: string;
  try {
    body = JSON.stringify(event.payload);
  } catch (error) {
    // Not the network's fault: this event cannot be sent at all, whatever the server.
    return { status: 'failed', reason: `the payload cannot be serialised: ${describeError(error)}` };
  }
  let reply: HttpReply;
  try {
    reply = await postJson(new URL(`${base}/hooks/${event.source}`), body, { ...hookHeaders(event), ...auth }, timeoutMs);
  } catch (error) {
    return { status: 'retry', reason: `${base} unreachable: ${describeError(error)}` };
  }
  return classify(reply, base);
}

// Waiting cures these: an outage, a proxy between restarts, overload, a slow request.
const PASSING = new Set([408, 429, 502, 503, 504]);

/**
 * Which replies count towards giving up on an event (`failed`): a 500 and the 4xx that
 * judge the event itself. A refused token, a wrong URL and an outage never do, so a long
 * outage or a misconfiguration sets nothing aside.
 */
export function classify(reply: HttpReply, base: string): SendResult {
  const { status } = reply;
  if (status >= 200 && status < 300) return { status: 'sent' };
  const said = `${base} answered ${status}${errorMessage(reply.body)}`;
  if (status === 401 || status === 403) return { status: 'retry', reason: said, auth: true };
  if (PASSING.has(status) || status < 200 || (status >= 300 && status < 400)) return { status: 'retry', reason: said };
  // A 404 that is not hookd's answer about the event (route_not_found, or a page that is
  // not hookd's JSON) means HOOKD_URL points at the wrong place: fixing it stores the event.
  if (status === 404 && errorCode(reply.body) !== 'session_not_found') return { status: 'retry', reason: said };
  return { status: 'failed', reason: said };
}

function errorCode(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** `: code: message` from a hookd error body `{error: {code, message}}`, else the start of the body. */
function errorMessage(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    if (error && typeof error.message === 'string') return `: ${String(error.code ?? 'error')}: ${error.message}`;
  } catch {
    // Not hookd's JSON: a proxy's page, say.
  }
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return text ? `: ${text}` : '';
}
