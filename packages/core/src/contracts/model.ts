import type { Growable } from './growable.js';
import type { Layer } from './layer.js';
import type { ExampleRequest } from './task.js';

/** A trainable network: layers with parameters, some of them growable. */
export interface Model<E = unknown> {
  readonly type: string;
  readonly layers: readonly Layer[];
  readonly growables: readonly Growable[];
  /** Loss of a uniform guess over the outputs on one example: where the smooth loss starts. */
  readonly chanceLoss: number;
  /** The example size this model trains on. */
  readonly exampleRequest: ExampleRequest;
  /** Forward and backward on one example: overwrites every gradient and returns the loss. */
  trainStep(example: E): number;
  /** Forward only: the loss on `example`, leaving gradients and carried state as they were. */
  evaluateLoss(example: E): number;
  /** Forgets carried state (e.g. the hidden state), as at a task switch. */
  resetState(): void;
}
export const Model = Symbol('Model');
