import type { StateValue } from '../contracts/stateful.js';

/**
 * StateValue ⇄ JSON text, exactly: typed arrays become base64 of their little-endian bytes and
 * non-finite numbers are spelled out, so a restored run computes the very same numbers.
 */
export function encodeState(value: StateValue): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v instanceof Float64Array) return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Int32Array) return { $i32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
}

export function decodeState(text: string): StateValue {
  return JSON.parse(text, (_, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$f64 === 'string') return typedArray(o.$f64, Float64Array, 8);
      if (typeof o.$i32 === 'string') return typedArray(o.$i32, Int32Array, 4);
      if (typeof o.$num === 'string') return Number(o.$num);
    }
    return v;
  }) as StateValue;
}

function typedArray<T>(base64: string, Type: new (buffer: ArrayBuffer) => T, bytes: number): T {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length % bytes !== 0) throw new Error(`a typed array of ${raw.length} bytes is not a whole number of ${bytes}-byte values`);
  const copy = new ArrayBuffer(raw.length);
  new Uint8Array(copy).set(raw);
  return new Type(copy);
}

/** Reads a field of a saved state, failing loudly when it is not what the loader expects. */
export function field<T extends StateValue>(state: StateValue, key: string, check: (v: StateValue) => boolean, what: string): T {
  const value =
    state !== null && typeof state === 'object' && !ArrayBuffer.isView(state) && !Array.isArray(state) ? (state as Record<string, StateValue>)[key] : undefined;
  if (value === undefined || !check(value)) throw new Error(`saved state: expected ${key} to be ${what}`);
  return value as T;
}

export const isNumber = (v: StateValue): boolean => typeof v === 'number';
export const isString = (v: StateValue): boolean => typeof v === 'string';
export const isFloat64Array = (v: StateValue): boolean => v instanceof Float64Array;
export const isList = (v: StateValue): boolean => Array.isArray(v);
export const isRecord = (v: StateValue): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
