import type { Growable } from './growable.js';
import type { Layer } from './layer.js';
import type { StateValue } from './stateful.js';
import type { ExampleRequest } from './task.js';

/** A trainable network: layers with parameters, some of them growable. */
export interface Model<E = unknown> {
  readonly type: string;
  readonly layers: readonly Layer[];
  /**
   * The growables now; a model whose structure changes (residual blocks come and go) returns a
   * new array after each change. Those that remove other growables' units come last.
   */
  readonly growables: readonly Growable[];
  /**
   * Every growable family the model may ever have, fixed for its life: the metrics columns and
   * the keys `policies:` may use. The families of `growables` when absent.
   */
  readonly families?: readonly string[];
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
  /** A changing structure (e.g. which blocks exist), saved with checkpoints and restored before any parameter. */
  saveStructure?(): StateValue;
  loadStructure?(state: StateValue): void;
}

/** The family of a growable: its metrics column and `policies:` key. */
export const familyOf = (g: { readonly id: string; readonly family?: string }): string => g.family ?? g.id;

/** The families a model may ever have, in a fixed order. */
export function modelFamilies(model: Model): readonly string[] {
  return model.families ?? [...new Set(model.growables.map(familyOf))];
}
