import { InvalidArgumentError } from 'commander';
import { parse } from 'yaml';
import type { ConfigSetting } from '@diffstruct/core/host';

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

/** `key=value` of a --set flag, the value parsed as YAML; `what` says in an error what a key and value are. */
export function keyValue(written: string, what: string): { key: string; value: unknown } {
  const at = written.indexOf('=');
  const key = written.slice(0, at).trim();
  if (at < 0 || !key) throw new InvalidArgumentError(`--set: expected key=value (${what}), found "${written}"`);
  try {
    return { key, value: parse(written.slice(at + 1)) };
  } catch (error) {
    throw new InvalidArgumentError(`--set ${written}: the value is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** run's `--set KEY=VALUE`: a config key (keys joined by dots, a list's item by its number) and its value in YAML. */
export function configSetting(written: string, previous: readonly ConfigSetting[] = []): ConfigSetting[] {
  const { key, value } = keyValue(written, 'a config key, dotted, and its value in YAML, e.g. model.kernel=simd-f32');
  const parts = key.split('.');
  if (parts.some((part) => part.trim() === '')) throw new InvalidArgumentError(`--set ${written}: expected keys joined by single dots, found "${key}"`);
  const path = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return [...previous, { path, value, written: `--set ${written}` }];
}
