// A seeded pseudo-random generator and the few draws built on it: the benchmark's
// synthetic data must be the same from run to run, so Math.random() is never used.

export type Random = () => number;

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export const hex = (r: Random, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
export const uuid = (r: Random) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
