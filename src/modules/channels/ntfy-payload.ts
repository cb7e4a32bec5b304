/**
 * A ChannelMessage as an ntfy publish (https://docs.ntfy.sh/publish/), on ntfy.sh or any
 * self-hosted server. It is published as JSON to the server's root with the topic in the
 * body rather than as a body with X-Title/X-Tags headers: header values are not reliably
 * UTF-8, and a title with an accent or an emoji would arrive mangled.
 */
import type { ChannelMessage, NotificationKind } from './channel-message.ts';

export interface NtfyTarget {
  /** The server's root (and any path prefix it lives under), where JSON is published. */
  publishUrl: string;
  topic: string;
}

export type NtfyUrl = { ok: true; target: NtfyTarget } | { ok: false; problem: string };

// ntfy's topic names; its server answers 400 to anything else.
const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
// ntfy turns a message over its message-size-limit (4096 bytes by default) into an
// attachment, or refuses it where attachments are off; cut below it instead.
const MESSAGE_MAX_BYTES = 4096;
const TITLE_MAX = 250;
const URL_MAX = 2000;

/** Emoji shortcodes ntfy shows before the title, so the kind reads at a glance on a lock screen. */
export const NTFY_TAGS: Record<NotificationKind, string> = {
  permission: 'warning',
  input: 'speech_balloon',
  stop: 'checkered_flag',
  session_end: 'end',
  failure: 'x',
  rule: 'bell',
};

/** `https://ntfy.sh/mytopic` → publish to `https://ntfy.sh/` with topic `mytopic`. */
export function parseNtfyUrl(url: string): NtfyUrl {
  const fail = (problem: string): NtfyUrl => ({ ok: false, problem });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return fail('must be http:// or https://');
  if (parsed.search || parsed.hash) return fail('must be the topic URL alone, without ?query or #fragment');
  const path = parsed.pathname.replace(/\/$/, '');
  const slash = path.lastIndexOf('/');
  const topic = path.slice(slash + 1);
  if (!TOPIC.test(topic)) return fail('must end in the topic: https://ntfy.sh/mytopic (1-64 of A-Z a-z 0-9 _ -)');
  return { ok: true, target: { publishUrl: `${parsed.origin}${path.slice(0, slash)}/`, topic } };
}

/** What an ntfy channel shows of its URL: the server and the topic's first two characters (on ntfy.sh the topic is the secret). */
export function ntfyUrlHint(url: string): string {
  const parsed = parseNtfyUrl(url);
  return parsed.ok ? `${parsed.target.publishUrl}${parsed.target.topic.slice(0, 2)}***` : '***';
}

export function ntfyPayload(message: ChannelMessage, topic: string): Record<string, unknown> {
  const title = oneLine(message.title) || 'hookd notification';
  const lines = [message.text.trim()];
  const fields = message.fields.map((field) => `${oneLine(field.name)}: ${field.value}`);
  if (fields.length > 0) lines.push(fields.join('\n'));
  const body = lines.filter(Boolean).join('\n\n') || title;
  const payload: Record<string, unknown> = {
    topic,
    title: cut(title, TITLE_MAX),
    message: cutBytes(body, MESSAGE_MAX_BYTES),
    priority: ntfyPriority(message),
    tags: message.priority === 'critical' ? ['rotating_light', NTFY_TAGS[message.kind]] : [NTFY_TAGS[message.kind]],
  };
  // A URL cut short would lead somewhere else, so an overlong one is left out.
  if (message.url && /^https?:\/\//i.test(message.url) && message.url.length <= URL_MAX) payload.click = message.url;
  return payload;
}

/** 5 (max: a long vibration burst) for critical; 4 (high) when the agent waits for someone; else 3. */
export function ntfyPriority(message: Pick<ChannelMessage, 'kind' | 'priority'>): number {
  if (message.priority === 'critical') return 5;
  return message.kind === 'permission' || message.kind === 'input' ? 4 : 3;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts to at most max UTF-16 units, ending with "…", never halving a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/** Cuts to at most max UTF-8 bytes, ending with "…" (3 bytes), never inside a character. */
function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > max - 3) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end)}…`;
}
