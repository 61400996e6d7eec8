import type { Stateful } from './stateful.js';

/** The kinds of example a task may give: 'sequence', windows of symbol indices; 'table', batches of feature rows with targets. */
export const TASK_KINDS = ['sequence', 'table'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** What a task produces, so a model can size its input and output. */
export interface TaskShape {
  readonly kind: TaskKind;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Symbol names, for sequence tasks. */
  readonly vocabulary?: readonly string[];
  /** The index of the symbol standing for whatever is outside the vocabulary (the text task's unknown), when there is one: no text starts with it. */
  readonly unknownSymbol?: number;
  /** What a table task's rows predict: a class (`outputSize` classes) or `outputSize` real values. */
  readonly targets?: 'classes' | 'values';
  /** Class names of a classification table task, when it has them. */
  readonly classes?: readonly string[];
}

/** The held-out parts of a task's data: `validation` is evaluated while training (`eval:`), `test` once at the end. */
export const HELD_OUT_SPLITS = ['validation', 'test'] as const;
export type HeldOutSplit = (typeof HELD_OUT_SPLITS)[number];

/** How big an example the model wants: a window of `length` symbols (or `sequences` of them), or `batchSize` rows. */
export interface ExampleRequest {
  readonly length?: number;
  /**
   * Windows per example for a sequence task (B, default 1): `symbols` then holds B windows of
   * `length` one after another. Window b of each cycle continues window b of the cycle before (a
   * stream position of its own), so a model can carry a hidden state per window.
   */
  readonly sequences?: number;
  readonly batchSize?: number;
}

/**
 * The request of a held-out example: one window of the model's length however many it trains on
 * at once (held-out windows are evaluated one at a time, `continued` carrying the state), or rows.
 */
export function heldOutRequest(request: ExampleRequest): ExampleRequest {
  return (request.sequences ?? 1) === 1 ? request : { ...request, sequences: 1 };
}

/**
 * A seeded stream of training examples, generated on the fly from the run's data stream. Its
 * state (beyond the data stream, which the run saves) is checkpointed, so a resumed run sees
 * the very same examples.
 */
export interface Task<E = unknown> extends Stateful {
  readonly type: string;
  readonly shape: TaskShape;
  /** The loss a perfect predictor reaches per example of the requested size, if known. */
  entropyFloor(request: ExampleRequest, cycle: number): number | undefined;
  /** A buffer that `next` refills, so drawing an example allocates nothing. */
  createExample(request: ExampleRequest): E;
  next(example: E, cycle: number): void;
  /** Name of the sub-task in force at `cycle`; when it changes the trainer resets carried state. */
  phase(cycle: number): string;
  /**
   * How many held-out examples `split` holds at `request`'s size: windows of `request.length`
   * symbols (consecutive windows share one symbol, so every symbol after the split's first is
   * predicted exactly once), or rows. 0, or no method, when the task has no such split.
   */
  heldOutSize?(split: HeldOutSplit, request: ExampleRequest): number;
  /**
   * Fills `example` (made for `heldOutRequest`: one window) with `split`'s held-out examples from
   * number `first` on: window `first`, or rows `first` to `first + batchSize - 1`. The same on
   * every call; draws from no random stream.
   */
  fillHeldOut?(split: HeldOutSplit, example: E, first: number): void;
  /** A table task's encoding of new rows, so a trained model can predict them (`diffstruct predict`). */
  rowEncoder?(): RowEncoder;
}

/** How a table task turns the columns of a row into a model's inputs, exactly as it encoded its training rows. */
export interface RowEncoder {
  /** The feature columns, in the order of the inputs: their names in the training file (`column <i>` without a header). */
  readonly features: readonly string[];
  /** The label column's name: a file of new rows may hold it; it is ignored. */
  readonly label: string;
  /** Whether columns are matched by name (the training file had a header) or by position (`labelIndex` then tells where the label is). */
  readonly header: boolean;
  /** The label's 0-based position among the training file's columns. */
  readonly labelIndex: number;
  /** The values every feature took in training, when bounded: a new row outside is refused, with `hint` (e.g. how to rescale). */
  readonly range?: { readonly min: number; readonly max: number; readonly hint: string };
  /** One row's feature values, in `features` order → `inputs` (`features.length` of them, from `offset`). */
  encode(values: Float64Array, inputs: Float64Array, offset: number): void;
}

/**
 * The example of a sequence task: `length` symbol indices (B · `length` for `sequences: B`, window
 * b at b · `length`); the model predicts each from the ones before in its window.
 */
export interface SequenceExample {
  readonly symbols: Int32Array;
}

/**
 * The example of a table task: `batchSize` rows of `inputSize` features (row-major), each with a
 * class (`labels`, when `shape.targets` is 'classes') or `outputSize` values (`targets`).
 */
export interface TableExample {
  readonly batchSize: number;
  readonly inputs: Float64Array;
  readonly labels: Int32Array;
  readonly targets: Float64Array;
}

/** A zeroed table example of `batchSize` rows for a task of this shape. */
export function createTableExample(shape: TaskShape, batchSize: number): TableExample {
  const values = shape.targets === 'values';
  return {
    batchSize,
    inputs: new Float64Array(batchSize * shape.inputSize),
    labels: new Int32Array(values ? 0 : batchSize),
    targets: new Float64Array(values ? batchSize * shape.outputSize : 0),
  };
}
