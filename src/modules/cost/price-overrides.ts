import { ConfigError } from '../../core/app-error.ts';
import { MODEL_PRICES, type ModelPrice } from './model-prices.ts';

let cached: { raw: string | undefined; prices: Readonly<Record<string, ModelPrice>> } | undefined;

/**
 * The price table with HOOKD_MODEL_PRICES laid over it: a JSON object of model name (or
 * prefix) to `{"input", "output", "cache_read", "cache_write"}` in US dollars per million
 * tokens, e.g. `{"claude-opus-5": {"input": 5, "output": 25, "cache_read": 0.5, "cache_write":
 * 6.25}}`. Read from the environment, which the SQLite write thread shares, so every
 * process and thread that derives prices alike; the server checks it at start.
 */
export function currentModelPrices(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, ModelPrice>> {
  const raw = env.HOOKD_MODEL_PRICES;
  if (cached !== undefined && cached.raw === raw) return cached.prices;
  const prices = raw === undefined || raw.trim() === '' ? MODEL_PRICES : { ...MODEL_PRICES, ...parseModelPrices(raw) };
  cached = { raw, prices };
  return prices;
}

const FIELDS = { input: 'input', output: 'output', cache_read: 'cacheRead', cache_write: 'cacheWrite' } as const;

export function parseModelPrices(raw: string): Record<string, ModelPrice> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError('HOOKD_MODEL_PRICES must be a JSON object of model name to {"input", "output", "cache_read", "cache_write"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError('HOOKD_MODEL_PRICES must be a JSON object of model name to prices');
  const prices: Record<string, ModelPrice> = {};
  for (const [model, entry] of Object.entries(value)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ConfigError(`HOOKD_MODEL_PRICES.${model} must be an object with input, output, cache_read and cache_write`);
    const price: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    for (const [field, key] of Object.entries(FIELDS)) {
      const n = (entry as Record<string, unknown>)[field] ?? 0;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
        throw new ConfigError(`HOOKD_MODEL_PRICES.${model}.${field} must be a number of US dollars per million tokens, at least 0`);
      price[key] = n;
    }
    prices[model] = price;
  }
  return prices;
}
