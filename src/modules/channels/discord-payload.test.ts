import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './channel-message.ts';
import { DISCORD_COLORS, discordPayload } from './discord-payload.ts';

function message(overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    kind: 'stop',
    priority: 'normal',
    title: 'Agent stopped',
    text: 'Finished the refactor.',
    fields: [
      { name: 'Tool', value: 'Edit' },
      { name: 'Summary', value: 'A longer value that is clearly over forty characters long.' },
    ],
    url: 'https://hookd.example/sessions/s-1',
    context: {
      session_id: 's-1',
      event_id: 'e-1',
      event_type: 'Stop',
      team_id: null,
      rule_id: null,
      project: 'billing',
      timestamp: '2025-03-04T05:06:07Z',
    },
    ...overrides,
  };
}

type Embed = {
  title: string;
  description?: string;
  color: number;
  timestamp?: string;
  url?: string;
  footer: { text: string };
  fields?: { name: string; value: string; inline: boolean }[];
};
const embedOf = (m: ChannelMessage) => {
  const payload = discordPayload(m);
  const embeds = payload.embeds as Embed[];
  expect(embeds).toHaveLength(1);
  return embeds[0]!;
};
const embedSize = (e: Embed) =>
  e.title.length +
  (e.description?.length ?? 0) +
  e.footer.text.length +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

describe('discordPayload', () => {
  it('builds one embed with mentions switched off', () => {
    const payload = discordPayload(message());
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload).not.toHaveProperty('content');
    expect(payload.embeds).toEqual([
      {
        title: 'Agent stopped',
        description: 'Finished the refactor.',
        color: DISCORD_COLORS.stop,
        footer: { text: 'hookd · billing' },
        fields: [
          { name: 'Tool', value: 'Edit', inline: true },
          { name: 'Summary', value: 'A longer value that is clearly over forty characters long.', inline: false },
        ],
        timestamp: '2025-03-04T05:06:07.000Z',
        url: 'https://hookd.example/sessions/s-1',
      },
    ]);
  });

  it('omits url, description and fields when there are none, and the project from the footer', () => {
    const embed = embedOf(message({ url: undefined, text: '', fields: [], context: { ...message().context, project: null } }));
    expect(embed).not.toHaveProperty('url');
    expect(embed).not.toHaveProperty('description');
    expect(embed).not.toHaveProperty('fields');
    expect(embed.footer.text).toBe('hookd');
  });

  it('colours by kind, and red for failures and anything critical', () => {
    const colors = new Set(Object.values(DISCORD_COLORS));
    expect(colors.size).toBe(Object.keys(DISCORD_COLORS).length);
    expect(embedOf(message({ kind: 'failure' })).color).toBe(0xed4245);
    expect(embedOf(message({ kind: 'permission' })).color).toBe(DISCORD_COLORS.permission);
    expect(embedOf(message({ kind: 'stop', priority: 'critical' })).color).toBe(0xed4245);
    expect(embedOf(message({ kind: 'stop' })).color).not.toBe(0xed4245);
  });

  it('gives empty field names and values a zero-width blank, which Discord requires', () => {
    const embed = embedOf(message({ fields: [{ name: '', value: '' }] }));
    expect(embed.fields).toEqual([{ name: '\u200b', value: '\u200b', inline: true }]);
  });

  it('cuts title, description and fields to their limits with an ellipsis', () => {
    const embed = embedOf(
      message({
        title: 'T'.repeat(300),
        text: 'd'.repeat(5000),
        fields: Array.from({ length: 30 }, (_, i) => ({ name: `${i}`.padEnd(300, 'n'), value: 'v'.repeat(2000) })),
      }),
    );
    expect(embed.title).toHaveLength(256);
    expect(embed.title.endsWith('T…')).toBe(true);
    expect(embed.fields!.length).toBeLessThanOrEqual(25);
    for (const field of embed.fields!) {
      expect(field.name).toHaveLength(256);
      expect(field.value).toHaveLength(1024);
      expect(field.value.endsWith('v…')).toBe(true);
      expect(field.inline).toBe(false);
    }
    expect(embedSize(embed)).toBeLessThanOrEqual(6000);
  });

  it('trims the description first to keep the embed under 6000 characters', () => {
    const fields = Array.from({ length: 3 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(1000) }));
    const embed = embedOf(message({ title: 'Title', text: 'd'.repeat(4096), fields }));
    // Fields and title fit whole; the description gets what is left.
    expect(embed.fields!.map((f) => f.value.length)).toEqual([1000, 1000, 1000]);
    expect(embed.description!.endsWith('d…')).toBe(true);
    expect(embedSize(embed)).toBe(6000);
  });

  it('keeps the full description when everything fits', () => {
    const embed = embedOf(message({ text: 'd'.repeat(4096) }));
    expect(embed.description).toBe('d'.repeat(4096));
  });

  it('drops fields from the end when they alone exceed the total', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(1024) }));
    const embed = embedOf(message({ fields }));
    expect(embed.fields!.length).toBeLessThan(25);
    expect(embed.fields![0]!.name).toBe('F0');
    expect(embedSize(embed)).toBeLessThanOrEqual(6000);
  });

  it('passes mention syntax through as text, relying on allowed_mentions', () => {
    const payload = discordPayload(message({ title: '@everyone look', text: '<@123> @here <@&456>' }));
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect((payload.embeds as Embed[])[0]!.description).toBe('<@123> @here <@&456>');
  });

  it('leaves out a timestamp it cannot read', () => {
    const embed = embedOf(message({ context: { ...message().context, timestamp: 'not a time' } }));
    expect(embed).not.toHaveProperty('timestamp');
  });
});
