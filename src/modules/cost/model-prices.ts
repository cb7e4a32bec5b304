/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  /** Writing the prompt cache (Anthropic's 5-minute cache); 0 where a provider charges none. */
  cacheWrite: number;
}

/** When the table below was taken from the providers' price lists. */
export const PRICES_AS_OF = '2026-12-08';

/**
 * The price of each model family, matched by the longest prefix of the model name (agents
 * report dated names such as claude-sonnet-4-5-20250929). Only tokens the agents did not
 * price themselves are priced here: Claude Code's telemetry reports its own cost, which is
 * taken as reported. A model none of these match is left unpriced (cost unknown), never
 * guessed. Overridden per model with HOOKD_MODEL_PRICES (price-overrides.ts).
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-7': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-8': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  'gpt-5-codex': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
  // Up to 200k tokens of prompt; longer prompts cost more, which a token count alone cannot tell.
  'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.31, cacheWrite: 0 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.075, cacheWrite: 0 },
};

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** The price of a model name: an exact entry, else the longest prefix followed by `-` or the end. */
export function priceOf(model: string | null, prices: Readonly<Record<string, ModelPrice>> = MODEL_PRICES): ModelPrice | null {
  if (!model) return null;
  const name = model.toLowerCase();
  let best: string | null = null;
  for (const prefix of Object.keys(prices)) {
    const p = prefix.toLowerCase();
    const matches = name === p || (name.startsWith(p) && /[-_.@:]/.test(name.charAt(p.length)));
    if (matches && (best === null || p.length > best.length)) best = prefix;
  }
  return best === null ? null : prices[best]!;
}

/** What the tokens cost at `price`, in US dollars. */
export function costOf(tokens: TokenCounts, price: ModelPrice): number {
  const micro =
    tokens.inputTokens * price.input +
    tokens.outputTokens * price.output +
    tokens.cacheReadTokens * price.cacheRead +
    tokens.cacheCreationTokens * price.cacheWrite;
  return micro / 1_000_000;
}
