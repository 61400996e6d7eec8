import type { Optimizer, Parameter } from '@diffstruct/core';

export type AdamOptions = {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Every gradient entry is clipped to [−clip, clip] before the update (0: no clipping). */
  readonly clip: number;
};

/**
 * Adam (Kingma & Ba, 2015) with elementwise clipping. Each entry keeps its own step count, so
 * bias correction is exact for a unit added mid-run: its entries start at step 0, like the
 * rest of its optimizer state, and a removed unit takes its counts with it.
 */
export class Adam implements Optimizer {
  readonly type = 'adam';
  constructor(private readonly options: AdamOptions) {}

  step(parameters: readonly Parameter[]): void {
    const { learningRate, beta1, beta2, epsilon, clip } = this.options;
    const limit = clip > 0 ? clip : Infinity;
    for (const p of parameters) {
      const value = p.value.data;
      const grad = p.grad.data;
      const first = p.slot('adam.m').data;
      const second = p.slot('adam.v').data;
      const steps = p.slot('adam.t').data;
      for (let i = 0, n = p.length; i < n; i++) {
        let g = grad[i];
        if (g > limit) g = limit;
        else if (g < -limit) g = -limit;
        grad[i] = g;
        const t = ++steps[i];
        first[i] = beta1 * first[i] + (1 - beta1) * g;
        second[i] = beta2 * second[i] + (1 - beta2) * g * g;
        const mHat = first[i] / (1 - beta1 ** t);
        const vHat = second[i] / (1 - beta2 ** t);
        value[i] -= (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
      }
    }
  }
}
