import type { Parameter } from '../arrays/parameter.js';

/** Updates parameters from their gradients; its per-entry state lives in `Parameter.slot`. */
export interface Optimizer {
  readonly type: string;
  step(parameters: readonly Parameter[]): void;
}
