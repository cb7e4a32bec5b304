/**
 * A ChannelMessage as a Discord webhook body: one embed, cut to Discord's limits (a body
 * over any of them is refused with 400, and a retry would never succeed). Mentions are
 * switched off with allowed_mentions, so no text of an agent's can ping @everyone.
 */
import type { ChannelMessage, NotificationKind } from './channel-message.ts';

// Discord's embed limits (developer docs, "Embed Limits").
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELDS_MAX = 25;
const FIELD_NAME_MAX = 256;
const FIELD_VALUE_MAX = 1024;
const FOOTER_MAX = 2048;
const EMBED_TOTAL_MAX = 6000;
/** Values up to this long sit side by side; longer ones get a row of their own. */
const INLINE_MAX = 40;

/** Discord's brand palette, so the colours read as native: red for what needs a person now. */
export const DISCORD_COLORS: Record<NotificationKind, number> = {
  permission: 0xfee75c,
  input: 0x5865f2,
  stop: 0x57f287,
  session_end: 0x99aab5,
  failure: 0xed4245,
  rule: 0xeb459e,
};
const CRITICAL_COLOR = 0xed4245;

// Discord refuses empty field names and values; a zero-width space is its usual blank.
const BLANK = '\u200b';

export function discordPayload(message: ChannelMessage): Record<string, unknown> {
  const title = cut(message.title.trim() || 'hookd notification', TITLE_MAX);
  const footer = cut(message.context.project ? `hookd · ${message.context.project}` : 'hookd', FOOTER_MAX);
  const fields = message.fields.slice(0, FIELDS_MAX).map((field) => {
    const value = cut(field.value, FIELD_VALUE_MAX) || BLANK;
    return { name: cut(field.name, FIELD_NAME_MAX) || BLANK, value, inline: value.length <= INLINE_MAX && !value.includes('\n') };
  });
  // The 6000 total counts title, description, fields and footer: the description gives way
  // first, then fields from the end, so the title and footer always arrive.
  const fieldsSize = () => fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  while (title.length + footer.length + fieldsSize() > EMBED_TOTAL_MAX) fields.pop();
  const room = EMBED_TOTAL_MAX - title.length - footer.length - fieldsSize();
  const description = cut(message.text, Math.min(DESCRIPTION_MAX, room));

  const embed: Record<string, unknown> = {
    title,
    color: message.priority === 'critical' ? CRITICAL_COLOR : DISCORD_COLORS[message.kind],
    footer: { text: footer },
  };
  if (description !== '') embed.description = description;
  if (fields.length > 0) embed.fields = fields;
  const time = Date.parse(message.context.timestamp);
  if (Number.isFinite(time)) embed.timestamp = new Date(time).toISOString();
  if (message.url) embed.url = message.url;
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Cuts to at most max UTF-16 units, ending with "…", never halving a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}
