import { type Optimizer, type OptionsOf, optionsSchema, type Parameter } from '@diffstruct/core';
import { CLIP_OPTION, clipBound, clipped } from './clip.js';
import { SimdAdagrad } from './simd-adagrad.js';

export const ADAGRAD_OPTIONS = optionsSchema({
  learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.1, description: 'step size' },
  epsilon: { type: 'number', minimum: 0, maximum: 1, default: 1e-8, description: 'added under the square root' },
  clip: CLIP_OPTION,
});
export type AdagradOptions = OptionsOf<typeof ADAGRAD_OPTIONS>;

/**
 * Adagrad: memory += g²; value −= lr · g / √(memory + ε), with g clipped elementwise
 * (docs/method.md#adagrad). Runs in WebAssembly SIMD (simd-adagrad.ts), bit for bit `adagradStep`.
 */
export class Adagrad implements Optimizer {
  readonly type = 'adagrad';
  private readonly kernel = new SimdAdagrad();
  constructor(private readonly options: AdagradOptions) {}

  step(parameters: readonly Parameter[]): void {
    const { learningRate, epsilon, clip } = this.options;
    const bound = clipBound(clip);
    for (const p of parameters) this.kernel.step(p.value.data, p.grad.data, p.slot('adagrad').data, p.length, learningRate, epsilon, bound);
  }
}

/** The update of the first `count` entries in plain TypeScript (grad is left clipped): the reference the SIMD kernel is tested against. */
export function adagradStep(
  value: Float64Array,
  grad: Float64Array,
  memory: Float64Array,
  count: number,
  learningRate: number,
  epsilon: number,
  bound: number,
): void {
  for (let i = 0; i < count; i++) {
    const g = clipped(grad[i], bound);
    grad[i] = g;
    memory[i] += g * g;
    value[i] -= (learningRate * g) / Math.sqrt(memory[i] + epsilon);
  }
}
