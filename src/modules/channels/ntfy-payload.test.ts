import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './channel-message.ts';
import { ntfyPayload, ntfyPriority, ntfyUrlHint, parseNtfyUrl } from './ntfy-payload.ts';

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

describe('parseNtfyUrl', () => {
  it('publishes to the root of ntfy.sh or a self-hosted server, path prefix kept', () => {
    expect(parseNtfyUrl('https://ntfy.sh/mytopic')).toEqual({ ok: true, target: { publishUrl: 'https://ntfy.sh/', topic: 'mytopic' } });
    expect(parseNtfyUrl('http://push.example.com:8080/ntfy/team_ops-1/')).toEqual({
      ok: true,
      target: { publishUrl: 'http://push.example.com:8080/ntfy/', topic: 'team_ops-1' },
    });
  });

  it.each([
    ['ftp://ntfy.sh/x', /http:\/\/ or https:\/\//],
    ['https://ntfy.sh/', /must end in the topic/],
    ['https://ntfy.sh/my.topic', /must end in the topic/],
    [`https://ntfy.sh/${'a'.repeat(65)}`, /must end in the topic/],
    ['https://ntfy.sh/mytopic?auth=abc', /without \?query/],
    ['https://ntfy.sh/mytopic#x', /without \?query or #fragment/],
    ['nope', /is not a URL/],
  ])('refuses %s', (url, expected) => {
    const parsed = parseNtfyUrl(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(expected);
  });
});

describe('ntfyUrlHint', () => {
  it('shows the server and only the start of the topic, which on ntfy.sh is the secret', () => {
    expect(ntfyUrlHint('https://ntfy.sh/hookd-ops-9f3k2q')).toBe('https://ntfy.sh/ho***');
    expect(ntfyUrlHint('https://push.example.com/ntfy/x')).toBe('https://push.example.com/ntfy/x***');
    expect(ntfyUrlHint('nope')).toBe('***');
  });
});

describe('ntfyPayload', () => {
  it('sends topic, title, the text with the fields, priority, a tag for the kind and the click-through', () => {
    expect(ntfyPayload(message(), 'ops')).toEqual({
      topic: 'ops',
      title: 'Permission requested: Bash',
      message: 'rm -rf build\n\nTool: Bash\nBranch: main',
      priority: 4,
      tags: ['warning'],
      click: 'https://hookd.example/sessions/s-1',
    });
  });

  it('rates what needs someone higher: critical 5, permission and input 4, the rest 3', () => {
    expect(ntfyPriority({ kind: 'stop', priority: 'critical' })).toBe(5);
    expect(ntfyPriority({ kind: 'input', priority: 'normal' })).toBe(4);
    for (const kind of ['stop', 'session_end', 'failure', 'rule'] as const) expect(ntfyPriority({ kind, priority: 'normal' })).toBe(3);
  });

  it('tags each kind with an emoji, the siren first when critical', () => {
    const tags = (overrides: Partial<ChannelMessage>) => ntfyPayload(message(overrides), 't').tags;
    expect(tags({ kind: 'input' })).toEqual(['speech_balloon']);
    expect(tags({ kind: 'stop' })).toEqual(['checkered_flag']);
    expect(tags({ kind: 'failure' })).toEqual(['x']);
    expect(tags({ kind: 'rule' })).toEqual(['bell']);
    expect(tags({ kind: 'failure', priority: 'critical' })).toEqual(['rotating_light', 'x']);
  });

  it('keeps UTF-8 as it is, and folds a title onto one line', () => {
    const payload = ntfyPayload(message({ title: 'Fertig:\n Überprüfung 🎉', text: 'naïve café — 完了' }), 't');
    expect(payload.title).toBe('Fertig: Überprüfung 🎉');
    expect(payload.message).toBe('naïve café — 完了\n\nTool: Bash\nBranch: main');
  });

  it('falls back to the title when there is no text, and leaves out a click that is not http(s)', () => {
    const payload = ntfyPayload(message({ text: ' ', fields: [], url: 'javascript:alert(1)' }), 't');
    expect(payload.message).toBe('Permission requested: Bash');
    expect(payload).not.toHaveProperty('click');
    expect(ntfyPayload(message({ url: undefined }), 't')).not.toHaveProperty('click');
  });

  it("cuts the message below ntfy's 4096-byte limit without splitting a character", () => {
    const payload = ntfyPayload(message({ text: '€'.repeat(3000), fields: [] }), 't');
    const text = payload.message as string;
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(4096);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toContain('\uFFFD');
    expect((ntfyPayload(message({ title: 'x'.repeat(400) }), 't').title as string).length).toBe(250);
  });
});
