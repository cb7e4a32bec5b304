import { describe, expect, it } from 'vitest';
import { jsonProblem, wellFormedJson, wellFormedValue } from './json-guard.ts';

const deep = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

describe('jsonProblem', () => {
  it('names the first value past the depth limit without overflowing, however deep', () => {
    expect(jsonProblem(deep(3), 3)).toBeNull();
    expect(jsonProblem(deep(4), 3)).toEqual({ field: 'a.a.a', message: 'is nested deeper than 3 levels' });
    expect(jsonProblem(deep(100_000), 128, 'data')!.field).toMatch(/^data(\.a){128}$/);
    expect(jsonProblem([[[1]]], 2)).toEqual({ field: '[0][0]', message: 'is nested deeper than 2 levels' });
  });

  it('names a NUL in a value or a key, at any depth', () => {
    expect(jsonProblem({ a: [1, { b: 'x\u0000' }] }, 10)).toMatchObject({
      field: 'a[1].b',
      message: expect.stringMatching(/^value contains the NUL/),
    });
    expect(jsonProblem([{ 'k\u0000': 1 }], 10, '')).toMatchObject({
      field: '[0].k\u0000',
      message: expect.stringMatching(/^key contains/),
    });
    expect(jsonProblem('a\u0000', 10, 'session_id')).toMatchObject({ field: 'session_id' });
    expect(jsonProblem({ a: 'fine', b: [null, 1, true] }, 10)).toBeNull();
  });
});

describe('wellFormedJson', () => {
  it('makes lone surrogates U+FFFD and leaves pairs and escaped backslashes alone', () => {
    const text = JSON.stringify({ cut: 'emoji \ud83d', pair: '\ud83d\ude00', 'k\udc00': 1, literal: '\\ud83d', both: '\\\ud83d' });
    expect(JSON.parse(wellFormedJson(text))).toEqual({
      cut: 'emoji \ufffd',
      pair: '\ud83d\ude00',
      'k\ufffd': 1,
      literal: '\\ud83d',
      both: '\\\ufffd',
    });
    const clean = JSON.stringify({ a: 'plain' });
    expect(wellFormedJson(clean)).toBe(clean);
  });

  it('returns the value itself when nothing needs replacing', () => {
    const value = { a: ['b'] };
    expect(wellFormedValue(value)).toBe(value);
    expect(wellFormedValue({ a: 'x\udfff' })).toEqual({ a: 'x\ufffd' });
  });
});
