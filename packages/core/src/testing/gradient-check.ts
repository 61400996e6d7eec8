import type { Parameter } from '../arrays/parameter.js';

export interface GradientCheckOptions {
  /** Finite-difference step h: n = (loss(θ + h) − loss(θ − h)) / 2h. Default 1e-5. */
  readonly step?: number;
  /** Absolute floor of the error's denominator, for gradients that are all near zero. Default 1e-7. */
  readonly floor?: number;
  /**
   * Floor of the error's denominator as a fraction of the largest |a| + |n| over every entry
   * checked. Default 1e-3. A central difference carries round-off of about ε·|loss| / h
   * (2e-11·|loss| at h = 1e-5) whatever the entry's size, so an entry far smaller than the
   * largest (a weight squared, at small weights) shows it as a large relative error. Against
   * 1e-3 of the largest |a| + |n|, round-off of a loss up to ~50 times that stays below a
   * tolerance of 1e-6 (the char RNN at weights of 5e-4: 1e-4 with the fixed floor, 1e-6 with a
   * relative floor of 1e-4, 1e-7 with 1e-3).
   * What it hides: an entry below the floor passes while it is wrong by less than
   * tolerance × floor (1e-9 of the largest |a| + |n| at a tolerance of 1e-6), even when that is all
   * of it; check at weights where every term of the gradient is sizable.
   */
  readonly relativeFloor?: number;
}

export interface GradientCheckResult {
  /**
   * Largest |a − n| / max(|a| + |n|, floor') over every entry checked (a analytic, n numeric),
   * where floor' = max(floor, relativeFloor × the largest |a| + |n|).
   */
  readonly maxRelativeError: number;
  readonly worst: { readonly parameter: string; readonly index: number; readonly analytic: number; readonly numeric: number };
  readonly checked: number;
  /** floor' above: the denominator every entry smaller than it was measured against. */
  readonly floor: number;
}

const GRADIENT_CHECK_DEFAULTS: Required<GradientCheckOptions> = { step: 1e-5, floor: 1e-7, relativeFloor: 1e-3 };

/**
 * Compares the analytic gradients already in `parameters[*].grad` with central finite
 * differences of `loss()`, entry by entry. `loss` must not change any state of its own.
 */
export function checkGradients(parameters: readonly Parameter[], loss: () => number, options: GradientCheckOptions = {}): GradientCheckResult {
  const { step, floor, relativeFloor } = { ...GRADIENT_CHECK_DEFAULTS, ...options };
  const entries: { parameter: string; index: number; analytic: number; numeric: number }[] = [];
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
      entries.push({ parameter: p.name, index: i, analytic: analyticGrad[i], numeric: (up - down) / (2 * step) });
    }
  }
  // The floor scales with the largest entry, so every numeric gradient is needed before any error.
  let largest = 0;
  for (const e of entries) {
    const size = Math.abs(e.analytic) + Math.abs(e.numeric);
    if (Number.isFinite(size)) largest = Math.max(largest, size);
  }
  const scaledFloor = Math.max(floor, relativeFloor * largest);
  let maxRelativeError = 0;
  let worst = { parameter: '', index: -1, analytic: 0, numeric: 0 };
  for (const e of entries) {
    const ratio = Math.abs(e.analytic - e.numeric) / Math.max(Math.abs(e.analytic) + Math.abs(e.numeric), scaledFloor);
    // A non-finite gradient gives NaN, which no tolerance may accept.
    const error = Number.isNaN(ratio) ? Infinity : ratio;
    if (error > maxRelativeError) {
      maxRelativeError = error;
      worst = e;
    }
  }
  return { maxRelativeError, worst, checked: entries.length, floor: scaledFloor };
}
