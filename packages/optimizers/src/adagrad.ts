import type { Optimizer, Parameter } from '@diffstruct/core';

export type AdagradOptions = {
  readonly learningRate: number;
  readonly epsilon: number;
  /** Every gradient entry is clipped to [−clip, clip] before the update (0: no clipping). */
  readonly clip: number;
};

/** Adagrad: memory += g²; value −= lr · g / √(memory + ε), with g clipped elementwise (SPEC §1). */
export class Adagrad implements Optimizer {
  readonly type = 'adagrad';
  constructor(private readonly options: AdagradOptions) {}

  step(parameters: readonly Parameter[]): void {
    const { learningRate, epsilon, clip } = this.options;
    const limit = clip > 0 ? clip : Infinity;
    for (const p of parameters) {
      const value = p.value.data;
      const grad = p.grad.data;
      const memory = p.slot('adagrad').data;
      for (let i = 0, n = p.length; i < n; i++) {
        let g = grad[i];
        if (g > limit) g = limit;
        else if (g < -limit) g = -limit;
        grad[i] = g;
        memory[i] += g * g;
        value[i] -= (learningRate * g) / Math.sqrt(memory[i] + epsilon);
      }
    }
  }
}
