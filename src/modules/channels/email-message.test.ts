import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './channel-message.ts';
import { emailMessage } from './email-message.ts';

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

describe('emailMessage', () => {
  it('makes subject, headers and a Message-ID from the notification id', () => {
    const mail = emailMessage(message(), 'ntf_01J9ZX', 'hookd@example.com');
    expect(mail.subject).toBe('[hookd] Permission requested: Bash');
    expect(mail.messageId).toBe('<ntf_01J9ZX@example.com>');
    expect(mail.headers).toEqual({ 'X-Hookd-Notification-Id': 'ntf_01J9ZX', 'Auto-Submitted': 'auto-generated' });
    // The same notification gives the same Message-ID on every attempt.
    expect(emailMessage(message(), 'ntf_01J9ZX', 'hookd@example.com').messageId).toBe(mail.messageId);
  });

  it('marks critical ones in the subject and as high importance', () => {
    const mail = emailMessage(message({ priority: 'critical' }), 'n1', 'hookd@example.com');
    expect(mail.subject).toBe('[hookd] [critical] Permission requested: Bash');
    expect(mail.headers).toMatchObject({ Importance: 'high', 'X-Priority': '1' });
  });

  it('writes the text part: title, text, fields, the link and where it came from', () => {
    const parts = [
      'Permission requested: Bash',
      'rm -rf build',
      'Tool: Bash\nBranch: main',
      'Open in hookd: https://hookd.example/sessions/s-1',
      'hookd · project billing · session s-1 · 2025-03-04T05:06:07.000Z',
    ];
    expect(emailMessage(message(), 'n1', 'hookd@example.com').text).toBe(`${parts.join('\n\n')}\n`);
  });

  it('lays the HTML part out with the fields as a table and the url as a link', () => {
    const { html } = emailMessage(message(), 'n1', 'hookd@example.com');
    expect(html).toContain('>Permission requested: Bash</h1>');
    expect(html).toContain('>rm -rf build</p>');
    expect(html).toMatch(/<tr><th scope="row"[^>]*>Tool<\/th><td[^>]*>Bash<\/td><\/tr><tr><th scope="row"[^>]*>Branch<\/th>/);
    expect(html).toContain('<a href="https://hookd.example/sessions/s-1">Open in hookd</a>');
  });

  it('escapes everything from the message in the HTML, so nothing becomes markup or a link', () => {
    const hostile = `<img src=x onerror="alert(1)"> & 'quoted' <a href="https://evil.example">click</a>`;
    const { html, subject } = emailMessage(
      message({
        title: `Done <script>alert(1)</script>`,
        text: hostile,
        fields: [{ name: '<b>Tool</b>', value: hostile }],
        context: { ...message().context, project: '<i>p</i>' },
      }),
      'n1',
      'hookd@example.com',
    );
    expect(html).not.toMatch(/<(script|img|b|i)\b/);
    expect(html).not.toContain('href="https://evil.example"');
    expect(html).toContain('Done &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39;');
    expect(html).toContain('&lt;b&gt;Tool&lt;/b&gt;');
    expect(html).toContain('&lt;i&gt;p&lt;/i&gt;');
    // The subject is a header: the mailer encodes it, and it is one line whatever the title holds.
    expect(subject).toBe('[hookd] Done <script>alert(1)</script>');
  });

  it('links only an http(s) url, and folds a title with line breaks onto one subject line', () => {
    const mail = emailMessage(message({ url: 'javascript:alert(1)', title: 'a\r\nBcc: x@evil.example' }), 'n1', 'h@example.com');
    expect(mail.html).not.toContain('<a ');
    expect(mail.text).not.toContain('javascript:');
    expect(mail.subject).toBe('[hookd] a Bcc: x@evil.example');
    expect(emailMessage(message({ url: undefined }), 'n1', 'h@example.com').html).not.toContain('<a ');
  });

  it('keeps the Message-ID a valid header: odd id characters replaced, an international domain in punycode', () => {
    expect(emailMessage(message(), 'test_<x> y', 'h@bücher.example').messageId).toBe('<test__x__y@xn--bcher-kva.example>');
  });

  it('leaves out empty text and fields, and cuts a long subject', () => {
    const mail = emailMessage(message({ text: '', fields: [], title: 'x'.repeat(300) }), 'n1', 'h@example.com');
    expect(mail.html).not.toContain('<table');
    expect(mail.html).not.toContain('white-space:pre-wrap">');
    expect(mail.subject).toHaveLength(200);
    expect(mail.subject.endsWith('…')).toBe(true);
  });
});
