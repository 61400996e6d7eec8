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
  /**
   * A sequence model's step-by-step forward, for sampling from a trained network (`diffstruct
   * sample`): the very function `evaluateLoss` computes, one symbol at a time, with a state of its
   * own. Speed does not matter here; agreement with the model's loss does.
   */
  sequenceSampler?(): SequenceSampler;
  /**
   * A table model's outputs for each row of `example` (forward only, no gradient or state touched):
   * `batchSize` × the task's `outputSize`, row-major, into `outputs`: each class's probability for
   * classes, the predicted values for values (`diffstruct predict`).
   */
  predict?(example: E, outputs: Float64Array): void;
  /** Forgets carried state (e.g. the hidden state), as at a task switch. */
  resetState(): void;
  /** A changing structure (e.g. which blocks exist), saved with checkpoints and restored before any parameter. */
  saveStructure?(): StateValue;
  loadStructure?(state: StateValue): void;
}

/** A sequence model run one symbol at a time, from a zero state of its own. */
export interface SequenceSampler {
  /** Back to the zero state (as after `Model.resetState`). */
  reset(): void;
  /** Feeds `symbol` and writes the probability of each next symbol (the vocabulary's size of them) into `probabilities`. */
  next(symbol: number, probabilities: Float64Array): void;
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
