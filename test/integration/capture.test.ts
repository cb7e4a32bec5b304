import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedText } from '../support/stored-text.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

// Shaped like the real thing, valid for no service.
const SECRETS = {
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  bearer: 'abc123def456ghi789jkl',
  urlPassword: 'hunter2-s3cret',
  keyBody: 'MIIEowIBAAKCAQEA7yq3Xn2Vb4ZpLr9tKjH0sWq8uYcFd1mNe6Tg5Bv',
};
const CONTENT = 'echo visible-content-42';

const base = (event: string, extra: Record<string, unknown> = {}) => ({
  session_id: 'capture-1',
  transcript_path: '/home/ana/.claude/projects/x/capture-1.jsonl',
  cwd: '/home/ana/src/billing',
  permission_mode: 'default',
  hook_event_name: event,
  ...extra,
});

const SESSION = [
  base('UserPromptSubmit', { prompt: `deploy with ${SECRETS.aws} to postgres://app:${SECRETS.urlPassword}@db.internal:5432/app` }),
  base('PreToolUse', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_1',
    tool_input: { command: `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://api.example.com && ${CONTENT}` },
  }),
  base('PostToolUse', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_1',
    tool_input: { command: `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://api.example.com && ${CONTENT}` },
    tool_response: {
      stdout: `-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.keyBody}\n-----END RSA PRIVATE KEY-----\n`,
      stderr: '',
      interrupted: false,
    },
  }),
  base('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_2', tool_input: { command: 'git push' } }),
  base('PostToolUseFailure', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_2',
    tool_input: { command: 'git push' },
    error: `remote: invalid credentials for https://${SECRETS.github}@github.com/acme/billing.git`,
  }),
];

async function replay(t: TestApp, events: unknown[]): Promise<void> {
  for (const event of events) {
    const res = await t.app.inject({ method: 'POST', url: '/hooks/claude-code', headers: JSON_HEADERS, payload: JSON.stringify(event) });
    expect(res.statusCode, res.body).toBe(200);
  }
}

async function session(t: TestApp, id: string) {
  const res = await t.app.inject({ url: `/sessions/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function eventsOf(t: TestApp, id: string): Promise<Record<string, any>[]> {
  const res = await t.app.inject({ url: `/events?session_id=${id}&limit=100` });
  expect(res.statusCode).toBe(200);
  // Newest first from the API; oldest first reads like the session.
  return (res.json().items as Record<string, any>[]).reverse();
}

describeEachDialect('capture policy', (dialect) => {
  describe('redacted (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('stores no secret anywhere, keeps the rest, and counts what it redacted', async () => {
      await replay(t, SESSION);
      const text = await storedText(t.url);
      for (const [kind, secret] of Object.entries(SECRETS)) expect(text, kind).not.toContain(secret);
      expect(text).toContain('[REDACTED:');
      expect(text).toContain(CONTENT);

      const events = await eventsOf(t, 'capture-1');
      expect(events).toHaveLength(SESSION.length);
      const redactions = events.reduce((sum, e) => sum + (e.data._hookd?.redactions ?? 0), 0);
      expect(redactions).toBeGreaterThanOrEqual(5);

      // The derived rows are read from the redacted payload too.
      const s = await session(t, 'capture-1');
      expect(s).toMatchObject({ tool_calls: 2, failures: 1 });
      const [curl, push] = s.tool_uses;
      expect(curl).toMatchObject({ tool_name: 'Bash', status: 'succeeded', truncated: false });
      expect(curl.input_summary).toContain('curl');
      expect(push).toMatchObject({ status: 'failed' });
      expect(push.error).toContain('github.com/acme/billing.git');
    });
  });

  describe('full', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { HOOKD_CAPTURE: 'full' });
    });
    afterAll(async () => t?.close());

    it('keeps every value as sent', async () => {
      await replay(t, SESSION);
      const text = await storedText(t.url);
      for (const [kind, secret] of Object.entries(SECRETS)) expect(text, kind).toContain(secret);
      expect(text).not.toContain('[REDACTED:');
    });
  });

  describe('metadata', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { HOOKD_CAPTURE: 'metadata' });
    });
    afterAll(async () => t?.close());

    it('keeps names, ids, timings and outcomes, and no content', async () => {
      await replay(t, SESSION);
      const text = await storedText(t.url);
      for (const [kind, secret] of Object.entries(SECRETS)) expect(text, kind).not.toContain(secret);
      expect(text).not.toContain(CONTENT);
      expect(text).not.toContain('git push');

      const [prompt, pre] = await eventsOf(t, 'capture-1');
      expect(prompt!.data.prompt).toEqual({ omitted: true, bytes: expect.any(Number) });
      expect(pre!.data).toMatchObject({ tool_name: 'Bash', tool_use_id: 'toolu_1', cwd: '/home/ana/src/billing' });
      expect(pre!.data.tool_input).toMatchObject({ omitted: true });

      const s = await session(t, 'capture-1');
      expect(s).toMatchObject({ project: 'billing', tool_calls: 2, failures: 1, prompts: 1 });
      expect(s.tool_uses.map((u: { status: string }) => u.status)).toEqual(['succeeded', 'failed']);
      expect(s.tool_uses[0].input_summary).toBeNull();
    });
  });

  describe('oversized fields', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { HOOKD_MAX_FIELD_BYTES: '4096' });
    });
    afterAll(async () => t?.close());

    it('cuts a 5 MB tool_response to HOOKD_MAX_FIELD_BYTES, marks the event and the tool use, never fails', async () => {
      const stdout = `${'x'.repeat(5 * 1024 * 1024)} ${SECRETS.github}`;
      await replay(t, [
        base('PreToolUse', { session_id: 'huge', tool_name: 'Bash', tool_use_id: 'toolu_big', tool_input: { command: 'cat big.log' } }),
        base('PostToolUse', {
          session_id: 'huge',
          tool_name: 'Bash',
          tool_use_id: 'toolu_big',
          tool_input: { command: 'cat big.log' },
          tool_response: { stdout, stderr: '', interrupted: false },
        }),
      ]);
      const [, post] = await eventsOf(t, 'huge');
      expect(post!.data.tool_response).toMatchObject({ truncated: true, bytes: expect.any(Number) });
      expect(post!.data.tool_response.bytes).toBeGreaterThan(5 * 1024 * 1024);
      expect(post!.data.tool_response.preview.startsWith('{"stdout":"xxx')).toBe(true);
      expect(JSON.stringify(post!.data.tool_response).length).toBeLessThanOrEqual(4096);
      // The secret at the end was redacted before the cut, so it is counted though not in the preview.
      expect(post!.data._hookd).toEqual({ truncated: ['tool_response'], redactions: 1 });
      expect(post!.data.tool_input).toEqual({ command: 'cat big.log' });

      const [use] = (await session(t, 'huge')).tool_uses;
      expect(use).toMatchObject({ status: 'succeeded', truncated: true, input_summary: 'cat big.log' });
      const text = await storedText(t.url);
      expect(text.length).toBeLessThan(64 * 1024);
      expect(text).not.toContain(SECRETS.github);
    });
  });
});
