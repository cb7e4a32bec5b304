import { describe, expect, it } from 'vitest';
import { costOf, MODEL_PRICES, priceOf } from './model-prices.ts';
import { currentModelPrices, parseModelPrices } from './price-overrides.ts';

describe('model prices', () => {
  it('match dated model names by the longest prefix, and nothing else', () => {
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual(MODEL_PRICES['claude-sonnet-4']);
    expect(priceOf('claude-opus-4-1-20250805')).toEqual(MODEL_PRICES['claude-opus-4-1']);
    expect(priceOf('claude-opus-4-20250514')).toEqual(MODEL_PRICES['claude-opus-4']);
    expect(priceOf('claude-opus-4-5')).toEqual(MODEL_PRICES['claude-opus-4-5']);
    expect(priceOf('gpt-5-codex')).toEqual(MODEL_PRICES['gpt-5-codex']);
    expect(priceOf('GPT-5')).toEqual(MODEL_PRICES['gpt-5']);
    // A prefix must end at a separator: claude-opus-45 is not claude-opus-4.
    expect(priceOf('claude-opus-45')).toBeNull();
    expect(priceOf('some-new-model')).toBeNull();
    expect(priceOf(null)).toBeNull();
  });

  it('price every kind of token', () => {
    const tokens = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheCreationTokens: 1_000_000 };
    expect(costOf(tokens, MODEL_PRICES['claude-haiku-4-5']!)).toBeCloseTo(1 + 5 + 0.1 + 1.25, 9);
  });

  it('take overrides from HOOKD_MODEL_PRICES and refuse a malformed one, naming the field', () => {
    const prices = currentModelPrices({ HOOKD_MODEL_PRICES: '{"claude-opus-5": {"input": 5, "output": 25, "cache_read": 0.5}}' });
    expect(priceOf('claude-opus-5-5', prices)).toEqual({ input: 5, output: 25, cacheRead: 0.5, cacheWrite: 0 });
    expect(priceOf('claude-haiku-4-5', prices)).toEqual(MODEL_PRICES['claude-haiku-4-5']);
    expect(() => parseModelPrices('not json')).toThrow(/HOOKD_MODEL_PRICES must be a JSON object/);
    expect(() => parseModelPrices('{"m": {"input": -1}}')).toThrow('HOOKD_MODEL_PRICES.m.input must be a number');
    expect(() => parseModelPrices('[1]')).toThrow(/JSON object/);
  });
});
