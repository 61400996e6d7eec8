import type { Parameter } from '../arrays/parameter.js';

/** A differentiable piece of a model: it owns parameters and their gradients. */
export interface Layer {
  /** Stable id, used in events, metrics columns and checkpoints. */
  readonly id: string;
  parameters(): readonly Parameter[];
}
