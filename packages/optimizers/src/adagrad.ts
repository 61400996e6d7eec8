import { type Optimizer, type OptionsOf, optionsSchema, type Parameter } from '@diffstruct/core';
import { CLIP_OPTION, clipBound, clipped } from './clip.js';

export const ADAGRAD_OPTIONS = optionsSchema({
  learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.1, description: 'step size' },
  epsilon: { type: 'number', minimum: 0, maximum: 1, default: 1e-8, description: 'added under the square root' },
  clip: CLIP_OPTION,
});
export type AdagradOptions = OptionsOf<typeof ADAGRAD_OPTIONS>;

/** Adagrad: memory += g²; value −= lr · g / √(memory + ε), with g clipped elementwise (docs/method.md#adagrad). */
export class Adagrad implements Optimizer {
  readonly type = 'adagrad';
  constructor(private readonly options: AdagradOptions) {}

  step(parameters: readonly Parameter[]): void {
    const { learningRate, epsilon, clip } = this.options;
    const bound = clipBound(clip);
    for (const p of parameters) {
      const value = p.value.data;
      const grad = p.grad.data;
      const memory = p.slot('adagrad').data;
      for (let i = 0, n = p.length; i < n; i++) {
        const g = clipped(grad[i], bound);
        grad[i] = g;
        memory[i] += g * g;
        value[i] -= (learningRate * g) / Math.sqrt(memory[i] + epsilon);
      }
    }
  }
}
