// Guards for YAML that becomes plain data: keys that would set a prototype, and aliases that
// make a value contain itself.

/** Keys that would set an object's prototype when the YAML becomes plain data. */
export const FORBIDDEN_KEYS = new Set(['__proto__']);

/** A key never allowed (FORBIDDEN_KEYS) anywhere in a value, if any. */
export function forbiddenKeyIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = FORBIDDEN_KEYS.has(key) ? key : forbiddenKeyIn(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a value contains itself (an alias inside the node it refers to). */
export function hasCycle(value: unknown, ancestors: unknown[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.includes(value)) return true;
  ancestors.push(value);
  const cyclic = Object.values(value).some((child) => hasCycle(child, ancestors));
  ancestors.pop();
  return cyclic;
}
