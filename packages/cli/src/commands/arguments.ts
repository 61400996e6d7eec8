import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number in 1..max, with a message naming the flag. */
export function positiveInteger(flag: string, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag}: expected a whole number from 1 to ${max}, found "${value}"`);
    }
    return n;
  };
}

/** A commander parser for a whole number in 0..max. */
export function nonNegativeInteger(flag: string, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > max) {
      throw new InvalidArgumentError(`${flag}: expected a whole number from 0 to ${max}, found "${value}"`);
    }
    return n;
  };
}

/** A commander parser for a number above 0 (and at most `max`). */
export function positiveNumber(flag: string, max = Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`${flag}: expected a number above 0${max < Infinity ? ` (at most ${max})` : ''}, found "${value}"`);
    return n;
  };
}

/** `--shard i/n`: shard i (1-based) of n. */
export function shardArgument(value: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > 100000 || index < 1 || index > count) {
    throw new InvalidArgumentError(`--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/8), found "${value}"`);
  }
  return { index, count };
}
