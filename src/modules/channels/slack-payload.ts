/**
 * A ChannelMessage as a Slack incoming-webhook body in Block Kit. Everything from the
 * message is escaped (& < >) so no text of an agent's can become a link, a mention or an
 * `<!channel>`; mrkdwn objects are `verbatim` so Slack does not auto-link names either.
 */
import type { ChannelMessage } from './channel-message.ts';

// Slack rejects a message whose blocks exceed these (Block Kit reference).
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;
const URL_MAX = 3000;

export function slackPayload(message: ChannelMessage): Record<string, unknown> {
  const heading = message.title.trim() || 'hookd notification';
  const title = message.priority === 'critical' ? `:rotating_light: ${heading}` : heading;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: cut(title, HEADER_MAX), emoji: true } }];
  if (message.text.trim() !== '') blocks.push({ type: 'section', text: mrkdwn(escapeCut(message.text, SECTION_MAX)) });
  const fields = message.fields.slice(0, FIELDS_MAX).map((field) => {
    const name = `*${escapeCut(field.name, 100)}*\n`;
    return mrkdwn(name + escapeCut(field.value, FIELD_MAX - name.length));
  });
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  blocks.push({ type: 'context', elements: contextElements(message) });
  // A URL cut short would lead somewhere else, so an overlong one gets no button.
  if (message.url && message.url.length <= URL_MAX) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'open_hookd', text: { type: 'plain_text', text: 'Open in hookd' }, url: message.url }],
    });
  }
  // The top-level text is what notifications and screen readers show: mrkdwn, so escaped too.
  return { text: escapeCut(title, SECTION_MAX), blocks };
}

function contextElements(message: ChannelMessage): Record<string, unknown>[] {
  const { project, session_id, timestamp } = message.context;
  const elements: Record<string, unknown>[] = [];
  if (project) elements.push(mrkdwn(`*Project* ${escapeCut(project, 500)}`));
  if (session_id) elements.push(mrkdwn(`*Session* \`${escapeCut(session_id, 500)}\``));
  const seconds = Math.floor(Date.parse(timestamp) / 1000);
  // <!date> shows the time in each reader's own timezone; the ISO text is its fallback.
  elements.push(
    mrkdwn(
      Number.isFinite(seconds)
        ? `<!date^${seconds}^{date_short_pretty} {time_secs}|${new Date(seconds * 1000).toISOString()}>`
        : escapeCut(timestamp, 100),
    ),
  );
  return elements;
}

function mrkdwn(text: string): Record<string, unknown> {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Escapes Slack's control characters, then cuts to max without splitting an entity. */
function escapeCut(text: string, max: number): string {
  const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  if (escaped.length <= max) return escaped;
  let kept = cut(escaped, max).slice(0, -1);
  const amp = kept.lastIndexOf('&');
  if (amp >= 0 && !kept.includes(';', amp)) kept = kept.slice(0, amp);
  return `${kept}…`;
}

/** Cuts to at most max UTF-16 units, ending with "…", never halving a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}
