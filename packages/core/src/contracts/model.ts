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
  /**
   * Forward only on a held-out example, adding its predictions to `tally`. Touches no training
   * state, gradient or carried state: a model that carries state keeps one of its own for
   * evaluation, starting from zero when `continued` is false, else from where its previous
   * `evaluate` ended (consecutive windows of one held-out text).
   */
  evaluate?(example: E, tally: EvaluationTally, continued: boolean): void;
  /** Forgets carried state (e.g. the hidden state), as at a task switch. */
  resetState(): void;
  /** A changing structure (e.g. which blocks exist), saved with checkpoints and restored before any parameter. */
  saveStructure?(): StateValue;
  loadStructure?(state: StateValue): void;
}

/** What a held-out evaluation adds up over its predictions (one per predicted symbol, one per row). */
export interface EvaluationTally {
  /** The summed loss of every prediction: cross-entropy in nats for classes, the training loss of one row for values. */
  loss: number;
  predictions: number;
  /** Predictions whose most probable class is the true one (0 when the targets are values). */
  correct: number;
}

/** The family of a growable: its metrics column and `policies:` key. */
export const familyOf = (g: { readonly id: string; readonly family?: string }): string => g.family ?? g.id;

/** The families a model may ever have, in a fixed order. */
export function modelFamilies(model: Model): readonly string[] {
  return model.families ?? [...new Set(model.growables.map(familyOf))];
}
