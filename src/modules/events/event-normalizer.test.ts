import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { normalizeEvent } from './event-normalizer.ts';

const limits = loadConfig({ HOOKD_HOME: '/h' }).limits;
const now = Date.UTC(2026, 10, 24, 12);
const ctx = { receivedAt: now, limits, path: '' };

describe('normalizeEvent', () => {
  it('applies defaults and keeps the payload as sent', () => {
    const r = normalizeEvent({ event_type: 't', session_id: 's', data: { b: 1, a: [true, null] }, extra: 'ignored' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({ eventType: 't', sessionId: 's', source: 'unknown', ts: now, receivedAt: now, workflowId: null });
    expect(r.event.dataJson).toBe('{"b":1,"a":[true,null]}');
  });

  it('reads ISO times without an offset as UTC and keeps milliseconds', () => {
    const r = normalizeEvent({ event_type: 't', session_id: 's', timestamp: '2026-05-01T10:20:30.456' }, ctx);
    expect(r.ok && r.event.ts).toBe(Date.UTC(2026, 4, 1, 10, 20, 30, 456));
  });

  it('names every bad field', () => {
    const r = normalizeEvent(
      { event_type: '', session_id: 5, timestamp: 'yesterday', data: [], source: 'x'.repeat(101) },
      { ...ctx, path: '[2]', index: 2 },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field).sort()).toEqual(['[2].data', '[2].event_type', '[2].session_id', '[2].source', '[2].timestamp']);
    expect(r.problems.every((p) => p.index === 2)).toBe(true);
  });

  it('refuses NUL anywhere and names the path', () => {
    const r = normalizeEvent({ event_type: 't', session_id: 's', data: { a: { b: ['ok', 'bad\u0000'] } } }, ctx);
    expect(!r.ok && r.problems[0]!.field).toBe('data.a.b[1]');
  });

  it('accepts nesting up to the limit and refuses deeper', () => {
    const nest = (n: number): unknown => (n === 0 ? 'leaf' : { n: nest(n - 1) });
    expect(normalizeEvent({ event_type: 't', session_id: 's', data: nest(limits.maxDataDepth - 1) as object }, ctx).ok).toBe(true);
    const deep = normalizeEvent({ event_type: 't', session_id: 's', data: nest(limits.maxDataDepth + 5) as object }, ctx);
    expect(!deep.ok && deep.problems[0]!.message).toMatch(/nested deeper/);
  });

  it('refuses times before 2000 and too far in the future', () => {
    expect(normalizeEvent({ event_type: 't', session_id: 's', timestamp: '1999-12-31T23:59:59Z' }, ctx).ok).toBe(false);
    expect(normalizeEvent({ event_type: 't', session_id: 's', timestamp: '2000-01-01T00:00:00Z' }, ctx).ok).toBe(true);
    expect(normalizeEvent({ event_type: 't', session_id: 's', timestamp: now + limits.maxFutureSkewMs + 1 }, ctx).ok).toBe(false);
  });

  it('marks events over the size limit as too large', () => {
    // One big field is cut to HOOKD_MAX_FIELD_BYTES (below); many fields under it add up.
    const field = 'é'.repeat(limits.capture.maxFieldBytes / 2 - 16);
    const fields = Math.ceil(limits.maxEventBytes / limits.capture.maxFieldBytes) + 1;
    const data = Object.fromEntries(Array.from({ length: fields }, (_, i) => [`f${i}`, field]));
    const r = normalizeEvent({ event_type: 't', session_id: 's', data }, ctx);
    expect(!r.ok && r.tooLarge).toBe(true);
  });

  it('cuts one field over HOOKD_MAX_FIELD_BYTES to a preview instead of refusing the event', () => {
    const r = normalizeEvent({ event_type: 't', session_id: 's', data: { big: 'é'.repeat(limits.maxEventBytes / 2), small: 1 } }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const data = JSON.parse(r.event.dataJson);
    expect(data).toMatchObject({ big: { truncated: true, bytes: limits.maxEventBytes + 2 }, small: 1, _hookd: { truncated: ['big'] } });
    expect(Buffer.byteLength(JSON.stringify(data.big))).toBeLessThanOrEqual(limits.capture.maxFieldBytes);
    expect(r.event.facts.truncated).toBe(true);
  });

  it('stores any JSON object without NUL faithfully with HOOKD_CAPTURE=full (property)', () => {
    // Redacted mode would rightly change a generated `{"token": "..."}`.
    const full = { ...ctx, limits: { ...limits, capture: { mode: 'full' as const, maxFieldBytes: limits.maxEventBytes } } };
    const noNul = fc.string().filter((s) => !s.includes('\u0000'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        noNul,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tie('object'),
        fc.array(tie('value'), { maxLength: 4 }),
      ),
      object: fc.dictionary(noNul, tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(json.object, (data) => {
        const r = normalizeEvent({ event_type: 't', session_id: 's', data }, full);
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.parse(r.event.dataJson)).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });
});
