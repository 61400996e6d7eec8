export const ACTIVATIONS = ['tanh', 'relu', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** a = f(z) over the first `length` entries. */
export function activate(f: Activation, z: Float64Array, a: Float64Array, length: number): void {
  if (f === 'tanh') for (let i = 0; i < length; i++) a[i] = Math.tanh(z[i]);
  else if (f === 'relu') for (let i = 0; i < length; i++) a[i] = z[i] > 0 ? z[i] : 0;
  else if (a !== z) for (let i = 0; i < length; i++) a[i] = z[i];
}

/** d ← d · f′(z), written with a = f(z) already known. */
export function activationBackward(f: Activation, a: Float64Array, d: Float64Array, length: number): void {
  if (f === 'tanh') for (let i = 0; i < length; i++) d[i] *= 1 - a[i] * a[i];
  else if (f === 'relu') for (let i = 0; i < length; i++) if (a[i] <= 0) d[i] = 0;
}
