/**
 * A ChannelMessage as an email: a subject, a plain-text part and an HTML part saying the
 * same. Everything from the message is escaped in the HTML, so no text of an agent's can
 * become markup, a link or a tracking image; the one link is hookd's own page, and only
 * when it is http(s).
 */
import type { ChannelMessage } from './channel-message.ts';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  /** With its angle brackets, as the header carries it. */
  messageId: string;
  headers: Record<string, string>;
}

// Long subjects are folded by the mailer but cut by most mail clients anyway.
const SUBJECT_MAX = 200;

/**
 * The Message-ID comes from the notification's id, so every attempt of one notification
 * carries the same one and a mailbox that got an earlier attempt through shows one message.
 */
export function emailMessage(message: ChannelMessage, notificationId: string, from: string): EmailContent {
  const title = oneLine(message.title) || 'hookd notification';
  const prefix = message.priority === 'critical' ? '[hookd] [critical] ' : '[hookd] ';
  const id = notificationId.replace(/[^A-Za-z0-9._-]/g, '_');
  const domain = asciiDomain(from.slice(from.lastIndexOf('@') + 1));
  const headers: Record<string, string> = {
    'X-Hookd-Notification-Id': id,
    // RFC 3834: an automatic message, so out-of-office replies are not sent back to it.
    'Auto-Submitted': 'auto-generated',
  };
  if (message.priority === 'critical') Object.assign(headers, { Importance: 'high', 'X-Priority': '1' });
  return {
    subject: cut(prefix + title, SUBJECT_MAX),
    text: plainText(message, title),
    html: html(message, title),
    messageId: `<${id}@${domain}>`,
    headers,
  };
}

function plainText(message: ChannelMessage, title: string): string {
  const parts = [title];
  if (message.text.trim()) parts.push(message.text.trim());
  if (message.fields.length > 0) parts.push(message.fields.map((f) => `${oneLine(f.name)}: ${f.value}`).join('\n'));
  const link = safeLink(message.url);
  if (link) parts.push(`Open in hookd: ${link}`);
  parts.push(footer(message));
  return `${parts.join('\n\n')}\n`;
}

function html(message: ChannelMessage, title: string): string {
  const cell = 'padding:4px 12px 4px 0;vertical-align:top;text-align:left';
  const rows = message.fields
    .map(
      (f) =>
        `<tr><th scope="row" style="${cell}">${escapeHtml(f.name)}</th><td style="${cell};white-space:pre-wrap">${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const link = safeLink(message.url);
  const color = message.priority === 'critical' ? '#b3261e' : '#1f1f1f';
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:14px;color:#1f1f1f">',
    `<h1 style="font-size:18px;color:${color}">${escapeHtml(title)}</h1>`,
    message.text.trim() ? `<p style="white-space:pre-wrap">${escapeHtml(message.text.trim())}</p>` : '',
    rows ? `<table role="presentation" style="border-collapse:collapse">${rows}</table>` : '',
    link ? `<p><a href="${escapeHtml(link)}">Open in hookd</a></p>` : '',
    `<p style="color:#666;font-size:12px">${escapeHtml(footer(message))}</p>`,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}

function footer(message: ChannelMessage): string {
  const { project, session_id, timestamp } = message.context;
  const parts = ['hookd'];
  if (project) parts.push(`project ${project}`);
  if (session_id) parts.push(`session ${session_id}`);
  parts.push(timestamp);
  return oneLine(parts.join(' · '));
}

/** Only an http(s) URL becomes a link: a javascript: or data: one would run in a webmail. */
function safeLink(url: string | undefined): string | null {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** Escapes the five characters that can end text or an attribute value in HTML. */
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Headers are ASCII: an internationalised domain goes in as its punycode. */
function asciiDomain(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname || 'hookd.invalid';
  } catch {
    return 'hookd.invalid';
  }
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
