// The benchmarks' BENCH_* environment settings, read strictly: a typo must stop the run,
// not silently measure something else.

export function numberSetting(name: string, fallback: number, integer = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value)))
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`);
  return value;
}

/** A comma-separated list, or undefined when the variable is not set. */
export const listSetting = (name: string): string[] | undefined =>
  process.env[name]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A comma-separated list of positive integers, or undefined when the variable is not set. */
export const integerListSetting = (name: string): number[] | undefined =>
  listSetting(name)?.map((raw) => {
    const value = Number(raw);
    if (!(value > 0) || !Number.isInteger(value)) throw new Error(`${name} must list positive integers (got "${raw}")`);
    return value;
  });
