import {
  type ExampleRequest,
  type Growable,
  type Layer,
  type Model,
  type OptionsOf,
  optionsSchema,
  Parameter,
  type Random,
  type TableExample,
  type TaskShape,
  UnitPopulation,
} from '@diffstruct/core';
import { activate, activationBackward, affine, affineBackward, atLeast, fanInNormalDraw, fanInScale, fillNormal, TableLoss } from '@diffstruct/layers';

/** The options a config may set under `model:` (validated, with these defaults filled in). */
export const __CONSTANT___OPTIONS = optionsSchema({
  hidden: { type: 'integer', minimum: 1, maximum: 1000, default: 2, description: 'hidden neurons at the start' },
  maxHidden: { type: 'integer', minimum: 1, maximum: 1000, default: 64, description: 'the cap on hidden neurons' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: "the initial neurons' multiplier" },
  batchSize: { type: 'integer', minimum: 1, maximum: 4096, default: 32, description: 'rows per training cycle' },
});
export type __Class__Options = OptionsOf<typeof __CONSTANT___OPTIONS>;

/** The one growable family: its metrics column and its `policies:` key. */
export const HIDDEN = 'hidden';

/**
 * Table rows → one layer of tanh neurons, each scaled by a learned multiplier m (under L1: the
 * growable, whose width the policy learns) → linear outputs → the task's loss (softmax
 * cross-entropy for classes, squared error for values): out = W2 (m ⊙ tanh(W1 x + b1)) + b2.
 * A neuron owns its row of W1 and b1, its multiplier and its column of W2, so growth keeps every
 * array (and optimizer state) consistent. The kernels come from @diffstruct/layers.
 */
export class __Class__ implements Model<TableExample> {
  readonly type = '__type__';
  readonly layers: readonly Layer[];
  readonly growables: readonly Growable[];
  readonly families = [HIDDEN];
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  private readonly W1: Parameter;
  private readonly b1: Parameter;
  private readonly m: Parameter;
  private readonly W2: Parameter;
  private readonly b2: Parameter;
  private readonly loss: TableLoss;
  // Scratch for one batch, grown only when a batch or the layer outgrows it (no allocation per cycle).
  /** tanh(W1 x + b1), batch × neurons. */
  private activations: Float64Array = new Float64Array(0);
  /** m ⊙ activations: what W2 reads. */
  private scaled: Float64Array = new Float64Array(0);
  private outputs: Float64Array = new Float64Array(0);
  private dOutputs: Float64Array = new Float64Array(0);
  private dScaled: Float64Array = new Float64Array(0);

  constructor(options: __Class__Options, shape: TaskShape, random: Random) {
    const units = options.hidden;
    // Room for twice the starting width, so the first additions do not reallocate.
    const capacity = Math.min(options.maxHidden, 2 * units);
    this.W1 = new Parameter('W1', units, shape.inputSize, capacity * shape.inputSize);
    this.b1 = new Parameter('b1', units, 1, capacity);
    this.m = new Parameter('m', units, 1, capacity);
    this.W2 = new Parameter('W2', shape.outputSize, units, shape.outputSize * capacity);
    this.b2 = new Parameter('b2', shape.outputSize, 1);
    // Weights N(0, 1/fan-in), drawn from the run's init stream, so a seed fixes them; new neurons alike.
    fillNormal(this.W1.value.data, this.W1.length, random, fanInScale(1, shape.inputSize));
    fillNormal(this.W2.value.data, this.W2.length, random, fanInScale(1, units));
    this.m.value.fill(options.initialMultiplier);
    const parameters = [this.W1, this.b1, this.m, this.W2, this.b2];
    this.layers = [{ id: 'dense', parameters: () => parameters }];
    const population = new UnitPopulation(HIDDEN, {
      size: units,
      maxSize: options.maxHidden,
      l1Steps: 1,
      multipliers: this.m,
      axes: [
        { parameter: this.W1, axis: 'row', draw: fanInNormalDraw(random, 1, () => this.W1.cols) },
        // A bias starts at 0 and is not taken from a deleted unit whose weights a policy re-uses.
        { parameter: this.b1, axis: 'row', inherits: false },
        { parameter: this.W2, axis: 'column', draw: fanInNormalDraw(random, 1, () => this.m.rows) },
      ],
      states: [],
    });
    this.growables = [population];
    this.loss = new TableLoss(shape);
    this.chanceLoss = this.loss.chanceLoss;
    this.exampleRequest = { batchSize: options.batchSize };
  }

  trainStep(example: TableExample): number {
    this.forward(example);
    const { batchSize: batch } = example;
    const units = this.m.rows;
    const inputs = this.W1.cols;
    const outputs = this.W2.rows;
    const n = batch * units;
    this.dOutputs = atLeast(this.dOutputs, batch * outputs);
    this.dScaled = atLeast(this.dScaled, n);
    const loss = this.loss.of(this.outputs, example, this.dOutputs);
    // Backward through W2, then m, tanh and W1; every gradient is overwritten.
    affineBackward(this.dOutputs, batch, outputs, this.scaled, units, this.W2.value.data, this.W2.grad.data, this.b2.grad.data, this.dScaled);
    const m = this.m.value.data;
    const dm = this.m.grad.data;
    const d = this.dScaled;
    dm.fill(0, 0, units);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < units; j++) {
        dm[j] += d[r * units + j] * this.activations[r * units + j];
        d[r * units + j] *= m[j];
      }
    }
    activationBackward('tanh', this.activations, d, n);
    affineBackward(d, batch, units, example.inputs, inputs, this.W1.value.data, this.W1.grad.data, this.b1.grad.data, null);
    return loss;
  }

  evaluateLoss(example: TableExample): number {
    this.forward(example);
    return this.loss.of(this.outputs, example, null);
  }

  /** Nothing is carried from one batch to the next. */
  resetState(): void {}

  /** Fills `activations`, `scaled` and `outputs` for the example's rows. */
  private forward(example: TableExample): void {
    const batch = example.batchSize;
    const units = this.m.rows;
    const inputs = this.W1.cols;
    const outputs = this.W2.rows;
    const n = batch * units;
    this.activations = atLeast(this.activations, n);
    this.scaled = atLeast(this.scaled, n);
    this.outputs = atLeast(this.outputs, batch * outputs);
    // Read afresh every cycle: a parameter's data is replaced when growth outgrows its capacity.
    affine(example.inputs, batch, inputs, this.W1.value.data, units, this.b1.value.data, this.activations);
    activate('tanh', this.activations, this.activations, n);
    const m = this.m.value.data;
    for (let r = 0; r < batch; r++) for (let j = 0; j < units; j++) this.scaled[r * units + j] = m[j] * this.activations[r * units + j];
    affine(this.scaled, batch, units, this.W2.value.data, outputs, this.b2.value.data, this.outputs);
  }
}
