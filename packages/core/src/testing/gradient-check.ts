import type { Parameter } from '../arrays/parameter.js';

export interface GradientCheckResult {
  /** Largest |analytic − numeric| / max(|analytic| + |numeric|, floor) over every entry checked. */
  readonly maxRelativeError: number;
  readonly worst: { readonly parameter: string; readonly index: number; readonly analytic: number; readonly numeric: number };
  readonly checked: number;
}

/**
 * Compares the analytic gradients already in `parameters[*].grad` with central finite
 * differences of `loss()`, entry by entry. `loss` must not change any state of its own.
 */
export function checkGradients(parameters: readonly Parameter[], loss: () => number, step = 1e-5, floor = 1e-7): GradientCheckResult {
  let maxRelativeError = 0;
  let worst = { parameter: '', index: -1, analytic: 0, numeric: 0 };
  let checked = 0;
  for (const p of parameters) {
    const value = p.value.data;
    const analyticGrad = p.grad.toArray();
    for (let i = 0; i < p.length; i++) {
      const saved = value[i];
      value[i] = saved + step;
      const up = loss();
      value[i] = saved - step;
      const down = loss();
      value[i] = saved;
      const numeric = (up - down) / (2 * step);
      const analytic = analyticGrad[i];
      const error = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), floor);
      checked++;
      if (error > maxRelativeError) {
        maxRelativeError = error;
        worst = { parameter: p.name, index: i, analytic, numeric };
      }
    }
  }
  return { maxRelativeError, worst, checked };
}
