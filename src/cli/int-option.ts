import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole-number option within [min, max], naming the flag when it is not. */
export function intIn(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}
