import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCapturePolicy, MIN_FIELD_BYTES, type CaptureMode, type CapturePolicy } from './capture-policy.ts';

const full: CapturePolicy = { mode: 'full', maxFieldBytes: 65536 };
const redacted: CapturePolicy = { mode: 'redacted', maxFieldBytes: 65536 };
const metadata: CapturePolicy = { mode: 'metadata', maxFieldBytes: 65536 };

const SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';

function postToolUse() {
  return {
    session_id: SESSION,
    transcript_path: `/home/ana/.claude/projects/-home-ana-src-billing/${SESSION}.jsonl`,
    cwd: '/home/ana/src/billing',
    permission_mode: 'default',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_use_id: 'toolu_01A',
    tool_input: { command: 'npm test -- invoice', description: 'Run the invoice tests' },
    tool_response: { stdout: 'Tests  4 passed (4)', stderr: '', interrupted: false },
    duration_ms: 1412,
  };
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

describe('applyCapturePolicy', () => {
  it('returns the input itself when nothing changes, in full and redacted mode', () => {
    const data = postToolUse();
    for (const policy of [full, redacted]) {
      const r = applyCapturePolicy(data, policy);
      expect(r.data).toBe(data);
      expect(r).toMatchObject({ redactions: 0, truncated: [] });
    }
  });

  it('redacts at any depth, a secret used as a key too, and never mutates the input', () => {
    const data = {
      ...postToolUse(),
      tool_input: { command: 'psql postgres://app:s3cr3t@db/billing', env: [{ AKIAIOSFODNN7EXAMPLE: 'value AKIAIOSFODNN7EXAMPLE' }] },
      tool_response: { headers: { Authorization: 'Bearer abc123def456', 'x-api-key': 'k-1' }, password: '' },
    };
    const before = structuredClone(data);
    const r = applyCapturePolicy(data, redacted);
    expect(data).toEqual(before);
    expect(r.redactions).toBe(5);
    expect(r.data.session_id).toBe(SESSION);
    expect(r.data.tool_input).toEqual({
      command: 'psql postgres://app:[REDACTED:url_password]@db/billing',
      env: [{ '[REDACTED:aws_access_key]': 'value [REDACTED:aws_access_key]' }],
    });
    expect(r.data.tool_response).toEqual({
      headers: { Authorization: 'Bearer [REDACTED:bearer]', 'x-api-key': '[REDACTED:assignment]' },
      password: '',
    });
    expect((r.data.tool_input as { env: unknown[] }).env).not.toBe(data.tool_input.env);
  });

  it('shares the untouched parts of a changed payload', () => {
    const data = { ...postToolUse(), prompt: 'my password=hunter2 please' };
    const r = applyCapturePolicy(data, redacted);
    expect(r.data).not.toBe(data);
    expect(r.data.prompt).toBe('my password=[REDACTED:assignment] please');
    expect(r.data.tool_input).toBe(data.tool_input);
    expect(Object.keys(r.data)).toEqual(Object.keys(data));
  });

  it('is idempotent', () => {
    const data = { ...postToolUse(), prompt: 'token=ghp_abc and sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv', error: 'AKIAIOSFODNN7EXAMPLE' };
    const once = applyCapturePolicy(data, redacted);
    expect(once.redactions).toBe(3);
    const twice = applyCapturePolicy(once.data, redacted);
    expect(twice).toEqual({ data: once.data, redactions: 0, truncated: [] });
    expect(twice.data).toBe(once.data);
  });

  it('does not redact in full mode', () => {
    const data = { ...postToolUse(), prompt: 'password=hunter2' };
    expect(applyCapturePolicy(data, full)).toEqual({ data, redactions: 0, truncated: [] });
  });

  it('keeps only names, ids, timings and outcomes in metadata mode', () => {
    const data = {
      ...postToolUse(),
      hook_event_name: 'PostToolUseFailure',
      error: 'Exit code 1',
      is_interrupt: false,
      agent_id: 'a1',
      agent_type: 'Explore',
      notification_type: 'idle',
      reason: 'other',
      source: 'startup',
      model: 'claude-opus',
      title: 'Claude Code',
      count: 3,
      prompt: 'é',
      message: null,
      future_text: 'x'.repeat(257),
      future_short: 'x'.repeat(256),
      future_flags: { fast: true },
      future_object: { lines: Array.from({ length: 40 }, (_, i) => `line ${i}`) },
      cwd: `/home/ana/src/${'deep/'.repeat(60)}`,
      note: 'password=hunter2',
    };
    const r = applyCapturePolicy(data, metadata);
    expect(r.data).toEqual({
      ...data,
      tool_input: { omitted: true, bytes: bytes(data.tool_input) },
      tool_response: { omitted: true, bytes: bytes(data.tool_response) },
      error: { omitted: true, bytes: 13 },
      prompt: { omitted: true, bytes: 4 },
      future_text: { omitted: true, bytes: 259 },
      future_object: { omitted: true, bytes: bytes(data.future_object) },
      note: 'password=[REDACTED:assignment]',
    });
    expect(r.redactions).toBe(1);
    expect(r.truncated).toEqual([]);
  });

  it('omits every content field in metadata mode', () => {
    const fields = [
      'prompt',
      'tool_input',
      'tool_response',
      'error',
      'last_assistant_message',
      'custom_instructions',
      'message',
      'permission_suggestions',
    ];
    const data = Object.fromEntries(fields.map((f) => [f, 'ab']));
    const r = applyCapturePolicy({ session_id: 's', ...data }, metadata);
    expect(r.data).toEqual({ session_id: 's', ...Object.fromEntries(fields.map((f) => [f, { omitted: true, bytes: 4 }])) });
  });

  it('truncates an oversized field to a preview that fits', () => {
    const big = 'x'.repeat(5000);
    const data = { ...postToolUse(), tool_response: { stdout: big } };
    const r = applyCapturePolicy(data, { mode: 'full', maxFieldBytes: 1000 });
    expect(r.truncated).toEqual(['tool_response']);
    const cut = r.data.tool_response as { truncated: boolean; bytes: number; preview: string };
    expect(cut.truncated).toBe(true);
    expect(cut.bytes).toBe(5013);
    expect(bytes(cut)).toBeLessThanOrEqual(1000);
    expect(bytes(cut)).toBeGreaterThan(990);
    expect(cut.preview.startsWith('{"stdout":"xxx')).toBe(true);
    expect(r.data.tool_input).toBe(data.tool_input);
  });

  it('keeps a field of exactly maxFieldBytes and cuts one byte more', () => {
    const at = applyCapturePolicy({ prompt: 'a'.repeat(98) }, { mode: 'full', maxFieldBytes: 100 });
    expect(at.truncated).toEqual([]);
    const over = applyCapturePolicy({ prompt: 'a'.repeat(99) }, { mode: 'full', maxFieldBytes: 100 });
    expect(over.truncated).toEqual(['prompt']);
    expect(over.data.prompt).toEqual({ truncated: true, bytes: 101, preview: `"${'a'.repeat(55)}` });
    expect(bytes(over.data.prompt)).toBe(100);
  });

  it('never splits a surrogate pair and counts escapes in the preview', () => {
    for (let max = 64; max < 84; max++) {
      const r = applyCapturePolicy({ message: '😀'.repeat(100), error: '"\\'.repeat(100) }, { mode: 'redacted', maxFieldBytes: max });
      expect(r.truncated).toEqual(['message', 'error']);
      const message = r.data.message as { preview: string; bytes: number };
      expect(message.bytes).toBe(402);
      expect(message.preview).toMatch(/^"(😀)*$/u);
      expect(bytes(r.data.message)).toBeLessThanOrEqual(max);
      expect(bytes(r.data.message)).toBeGreaterThan(max - 4);
      expect(bytes(r.data.error)).toBeLessThanOrEqual(max);
      expect(bytes(r.data.error)).toBeGreaterThan(max - 2);
    }
  });

  it('redacts before truncating, so a preview shows no secret', () => {
    const prompt = `AKIAIOSFODNN7EXAMPLE ${'y'.repeat(500)}`;
    const r = applyCapturePolicy({ prompt }, { mode: 'redacted', maxFieldBytes: 200 });
    expect(r.redactions).toBe(1);
    expect((r.data.prompt as { preview: string }).preview.startsWith('"[REDACTED:aws_access_key] yyy')).toBe(true);
  });

  it('redacts the preview text too and still fits, however small the limit', () => {
    const data = { tool_input: { api_token: 1234567, note: 'y'.repeat(300) } };
    for (const max of [0, 20, 64, 70, 80, 100]) {
      const r = applyCapturePolicy(data, { mode: 'redacted', maxFieldBytes: max });
      expect(r.truncated).toEqual(['tool_input']);
      const preview = (r.data.tool_input as { preview: string }).preview;
      expect(preview).not.toContain('1234567');
      // Below MIN_FIELD_BYTES the envelope alone would not fit, so the floor applies.
      expect(bytes(r.data.tool_input)).toBeLessThanOrEqual(Math.max(max, MIN_FIELD_BYTES));
      expect(applyCapturePolicy(r.data, { mode: 'redacted', maxFieldBytes: max }).data).toBe(r.data);
    }
    const roomy = applyCapturePolicy(data, { mode: 'redacted', maxFieldBytes: 100 });
    // 57 bytes of room: the first cut's redaction took 14 more, so the second cut is 14 shorter.
    expect((roomy.data.tool_input as { preview: string }).preview).toBe(`{"api_token":[REDACTED:assignment],"note":"${'y'.repeat(9)}`);
    expect(bytes(roomy.data.tool_input)).toBe(100);
    expect(roomy.redactions).toBe(1);
  });

  it('is idempotent in metadata mode', () => {
    const data = { ...postToolUse(), future: 'z'.repeat(300), note: 'token=abc' };
    const once = applyCapturePolicy(data, metadata);
    expect(once.data.future).toEqual({ omitted: true, bytes: 302 });
    expect(applyCapturePolicy(once.data, metadata)).toEqual({ data: once.data, redactions: 0, truncated: [] });
    expect(applyCapturePolicy(once.data, metadata).data).toBe(once.data);
  });

  it('keeps a __proto__ property an own data property', () => {
    const data = JSON.parse('{"__proto__": {"token": "abc"}, "prompt": "password=x1"}') as Record<string, unknown>;
    const r = applyCapturePolicy(data, redacted);
    expect(JSON.stringify(r.data)).toBe('{"__proto__":{"token":"[REDACTED:assignment]"},"prompt":"password=[REDACTED:assignment]"}');
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
  });
});

const PLANTED: [secret: string, core: string][] = [
  ['AKIAIOSFODNN7EXAMPLE', 'IOSFODNN7EXAMPLE'],
  ['ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5', 'aB3dE5gH7jK9mN1pQ3sT'],
  ['sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv', 'AbCdEfGhIjKlMnOpQrStUv'],
  ['sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm', 'Zx9Yw8Vu7Ts6Rq5Po4Nm'],
  ['xoxb-123456789012-QwErTyUiOp', 'QwErTyUiOp'],
  ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', '4eC39HqLyjWDarjtT1zdp7dc'],
  ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'SyD-9tSrke72PouQMnMX'],
  ['postgres://app:Hunter2Pw@db/x', 'Hunter2Pw'],
  ['Authorization: Bearer Qz81Lm02Kx', 'Qz81Lm02Kx'],
  ['Bearer Qz81Lm02Kq', 'Qz81Lm02Kq'],
  ['DB_PASSWORD=CorrectHorse9', 'CorrectHorse9'],
  ['"api_key": "Cx7Vb6Nm5"', 'Cx7Vb6Nm5'],
  ['-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkq\n-----END PRIVATE KEY-----', 'MIIBVQIBADANBgkq'],
  ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.Sig9Nature8Xy', 'Sig9Nature8Xy'],
];

// Text built from the pieces the rules care about (quotes, separators, secret words, markers,
// PEM lines, surrogates) finds far more edge cases than uniformly random characters.
const PIECES = [
  '"',
  "'",
  '`',
  ':',
  '=',
  '\\',
  '\\"',
  '-',
  '--',
  '@',
  '/',
  '://',
  ' ',
  '\n',
  '\t',
  '{',
  '}',
  '[',
  ']',
  '(',
  ',',
  ';',
  '&',
  '$',
  '_',
  'a',
  'Z',
  '1',
  'true',
  'token',
  'password',
  'api_key',
  'secret',
  'Key',
  'Bearer',
  'Basic',
  'Authorization',
  'sk-',
  'sk_live_',
  'eyJ',
  'ghp_',
  'xoxb-',
  'AKIA',
  'AIza',
  '-----BEGIN PRIVATE KEY-----',
  '-----END PRIVATE KEY-----',
  '[REDACTED:x]',
  '[REDAC',
  'x:',
  'u:p@',
  '😀',
  '\ud800',
  'é',
];
const noisy = fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }).map((parts) => parts.join(''));
const planted = fc
  .tuple(noisy, fc.constantFrom(...PLANTED.map(([s]) => s)), noisy)
  .map(([before, secret, after]) => `${before} ${secret} ${after}`);
const key = fc.oneof(
  noisy,
  fc.constantFrom('prompt', 'tool_input', 'tool_response', 'message', 'session_id', 'cwd', 'token', 'Authorization', 'future'),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    noisy,
    planted,
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
}));
const payload = fc.dictionary(key, tree, { maxKeys: 6 });
const mode = fc.constantFrom<CaptureMode>('full', 'redacted', 'metadata');

describe('applyCapturePolicy properties', () => {
  it('yields JSON whose every field fits maxFieldBytes, and is idempotent in every mode', () => {
    fc.assert(
      fc.property(
        fc.oneof(payload, fc.dictionary(fc.string(), fc.jsonValue())),
        mode,
        fc.integer({ min: MIN_FIELD_BYTES, max: 2000 }),
        (data, m, max) => {
          const policy = { mode: m, maxFieldBytes: max };
          const r = applyCapturePolicy(data, policy);
          expect(JSON.parse(JSON.stringify(r.data))).toBeTypeOf('object');
          for (const k of Object.keys(r.data)) expect(bytes(r.data[k] ?? null)).toBeLessThanOrEqual(max);
          for (const k of r.truncated) expect(r.data[k]).toMatchObject({ truncated: true });
          const again = applyCapturePolicy(r.data, policy);
          expect(again.data).toBe(r.data);
          expect(again.redactions).toBe(0);
          expect(again.truncated).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns the identical object in full mode when nothing is oversized', () => {
    fc.assert(
      fc.property(fc.oneof(payload, fc.dictionary(fc.string(), fc.jsonValue())), (data) => {
        const r = applyCapturePolicy(data, { mode: 'full', maxFieldBytes: 1 << 30 });
        expect(r.data).toBe(data);
        expect(r).toMatchObject({ redactions: 0, truncated: [] });
      }),
    );
  });

  it('never lets a planted secret through in redacted or metadata mode', () => {
    fc.assert(
      fc.property(payload, fc.constantFrom<CaptureMode>('redacted', 'metadata'), fc.integer({ min: 70, max: 65536 }), (data, m, max) => {
        const text = JSON.stringify(applyCapturePolicy(data, { mode: m, maxFieldBytes: max }).data);
        for (const [, core] of PLANTED) expect(text).not.toContain(core);
      }),
      { numRuns: 500 },
    );
  });
});
