import { type Optimizer, type OptionsOf, optionsSchema, type Parameter } from '@diffstruct/core';
import { CLIP_OPTION, clipBound, clipped } from './clip.js';

export const ADAM_OPTIONS = optionsSchema({
  learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.001, description: 'step size' },
  beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'decay of the gradient average' },
  beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'decay of the squared-gradient average' },
  epsilon: { type: 'number', minimum: 0, maximum: 1, default: 1e-8, description: 'added to the denominator' },
  clip: CLIP_OPTION,
});
export type AdamOptions = OptionsOf<typeof ADAM_OPTIONS>;

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
    const bound = clipBound(clip);
    // The bias corrections depend only on an entry's step count, which nearly every entry of a
    // parameter shares: computing them once per count (not two powers per entry) makes the step
    // several times faster on wide layers, with the same expressions, so the same bits.
    let correctedStep = -1;
    let correction1 = 1;
    let correction2 = 1;
    for (const p of parameters) {
      const value = p.value.data;
      const grad = p.grad.data;
      const first = p.slot('adam.m').data;
      const second = p.slot('adam.v').data;
      const steps = p.slot('adam.t').data;
      for (let i = 0, n = p.length; i < n; i++) {
        const g = clipped(grad[i], bound);
        grad[i] = g;
        const t = ++steps[i];
        first[i] = beta1 * first[i] + (1 - beta1) * g;
        second[i] = beta2 * second[i] + (1 - beta2) * g * g;
        if (t !== correctedStep) {
          correctedStep = t;
          correction1 = 1 - beta1 ** t;
          correction2 = 1 - beta2 ** t;
        }
        const mHat = first[i] / correction1;
        const vHat = second[i] / correction2;
        value[i] -= (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
      }
    }
  }
}
