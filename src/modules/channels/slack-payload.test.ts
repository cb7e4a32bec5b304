import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './channel-message.ts';
import { slackPayload } from './slack-payload.ts';

function message(overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    kind: 'permission',
    priority: 'normal',
    title: 'Permission requested: Bash',
    text: 'rm -rf build',
    fields: [
      { name: 'Tool', value: 'Bash' },
      { name: 'Branch', value: 'main' },
    ],
    url: 'https://hookd.example/sessions/s-1',
    context: {
      session_id: 's-1',
      event_id: 'e-1',
      event_type: 'PermissionRequest',
      team_id: null,
      rule_id: null,
      project: 'billing',
      timestamp: '2025-03-04T05:06:07.000Z',
    },
    ...overrides,
  };
}

type Block = { type: string; text?: { type: string; text: string; verbatim?: boolean }; fields?: { text: string }[]; elements?: any[] };
const blocks = (payload: Record<string, unknown>) => payload.blocks as Block[];
const block = (payload: Record<string, unknown>, type: string, nth = 0) => blocks(payload).filter((b) => b.type === type)[nth];
/** Every string Slack will parse as mrkdwn: the fallback text and all mrkdwn objects. */
function mrkdwnTexts(payload: Record<string, unknown>): string[] {
  const texts = [payload.text as string];
  JSON.stringify(payload, (_key, value) => {
    if (value && typeof value === 'object' && value.type === 'mrkdwn') texts.push(value.text);
    return value;
  });
  return texts;
}

describe('slackPayload', () => {
  it('lays out header, text, fields, context and the dashboard button', () => {
    const payload = slackPayload(message());
    expect(payload.text).toBe('Permission requested: Bash');
    expect(blocks(payload).map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(block(payload, 'header')!.text).toEqual({ type: 'plain_text', text: 'Permission requested: Bash', emoji: true });
    expect(block(payload, 'section')!.text).toEqual({ type: 'mrkdwn', text: 'rm -rf build', verbatim: true });
    expect(block(payload, 'section', 1)!.fields!.map((f) => f.text)).toEqual(['*Tool*\nBash', '*Branch*\nmain']);
    const context = block(payload, 'context')!.elements!.map((e) => e.text);
    expect(context[0]).toBe('*Project* billing');
    expect(context[1]).toBe('*Session* `s-1`');
    expect(context[2]).toBe('<!date^1741064767^{date_short_pretty} {time_secs}|2025-03-04T05:06:07.000Z>');
    expect(block(payload, 'actions')!.elements).toEqual([
      {
        type: 'button',
        action_id: 'open_hookd',
        text: { type: 'plain_text', text: 'Open in hookd' },
        url: 'https://hookd.example/sessions/s-1',
      },
    ]);
  });

  it('leaves out the button without a url, and empty text and fields', () => {
    const payload = slackPayload(message({ url: undefined, text: '  ', fields: [] }));
    expect(blocks(payload).map((b) => b.type)).toEqual(['header', 'context']);
  });

  it('prefixes critical titles with the siren', () => {
    const payload = slackPayload(message({ priority: 'critical', kind: 'failure', title: 'Tool failed' }));
    expect(payload.text).toBe(':rotating_light: Tool failed');
    expect(block(payload, 'header')!.text!.text).toBe(':rotating_light: Tool failed');
  });

  it('escapes &, < and > so text cannot become mentions or links', () => {
    const hostile = 'ping <!channel> <!here|here> <@U123> <https://evil.example|click> a&b';
    const payload = slackPayload(
      message({
        title: `Done <!everyone>`,
        text: hostile,
        fields: [{ name: '<!subteam^S1>', value: hostile }],
        context: { ...message().context, project: '<!channel>' },
      }),
    );
    for (const text of mrkdwnTexts(payload)) {
      // Our own <!date…> token is the only markup allowed through.
      expect(text.replace(/<!date\^\d+\^[^|>]*\|[^>]*>/, '')).not.toMatch(/[<>]/);
    }
    expect(block(payload, 'section')!.text!.text).toBe(
      'ping &lt;!channel&gt; &lt;!here|here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; a&amp;b',
    );
    expect(payload.text).toBe('Done &lt;!everyone&gt;');
    expect(block(payload, 'section', 1)!.fields![0]!.text.startsWith('*&lt;!subteam^S1&gt;*\n')).toBe(true);
    expect(block(payload, 'context')!.elements![0].text).toBe('*Project* &lt;!channel&gt;');
  });

  it('marks every mrkdwn object verbatim so Slack does not auto-link @names', () => {
    const payload = slackPayload(message({ text: '@channel @here' }));
    const objects: any[] = [];
    JSON.stringify(payload, (_key, value) => (value?.type === 'mrkdwn' && objects.push(value), value));
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) expect(object.verbatim).toBe(true);
  });

  it("cuts to Slack's limits with an ellipsis", () => {
    const payload = slackPayload(
      message({
        priority: 'critical',
        title: 'T'.repeat(400),
        text: 'x'.repeat(5000),
        fields: Array.from({ length: 14 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(3000) })),
      }),
    );
    const header = block(payload, 'header')!.text!.text;
    expect(header).toHaveLength(150);
    expect(header.startsWith(':rotating_light: TTT')).toBe(true);
    expect(header.endsWith('T…')).toBe(true);
    const text = block(payload, 'section')!.text!.text;
    expect(text).toHaveLength(3000);
    expect(text.endsWith('x…')).toBe(true);
    const fields = block(payload, 'section', 1)!.fields!;
    expect(fields).toHaveLength(10);
    for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    expect(fields[9]!.text.startsWith('*F9*\nvvv')).toBe(true);
    expect(fields[9]!.text.endsWith('v…')).toBe(true);
  });

  it('counts the escaped length and never cuts inside an entity', () => {
    // 2999 characters, then "<": escaped, the text is over 3000 and the cut falls in "&lt;".
    const payload = slackPayload(message({ text: `${'a'.repeat(2998)}<<` }));
    const text = block(payload, 'section')!.text!.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toBe(`${'a'.repeat(2998)}…`);
  });

  it('does not split a surrogate pair at the cut', () => {
    const text = block(slackPayload(message({ text: `${'a'.repeat(2998)}😀😀` })), 'section')!.text!.text;
    expect(text).toBe(`${'a'.repeat(2998)}…`);
    expect(text.isWellFormed()).toBe(true);
  });
});
