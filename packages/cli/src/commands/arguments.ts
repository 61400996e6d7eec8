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
