import {
  DiffstructError,
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
 * growable, whose width the policy learns) → linear outputs → softmax cross-entropy:
 * logits = W2 (m ⊙ tanh(W1 x + b1)) + b2. A neuron owns its row of W1 and b1, its multiplier
 * and its column of W2, so growth keeps every array (and optimizer state) consistent.
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
  /** tanh(W1 x + b1) of the last forward batch, batch × neurons. */
  private activations = new Float64Array(0);
  private logits = new Float64Array(0);

  constructor(options: __Class__Options, shape: TaskShape, random: Random) {
    if (shape.kind !== 'table' || shape.targets === 'values')
      throw new DiffstructError(
        `the __type__ model needs a table task with classes (checkerboard, parity, spirals, ...); this task gives ${shape.kind} examples`,
      );
    const units = options.hidden;
    // Room for twice the starting width, so the first additions do not reallocate.
    const capacity = Math.min(options.maxHidden, 2 * units);
    this.W1 = new Parameter('W1', units, shape.inputSize, capacity * shape.inputSize);
    this.b1 = new Parameter('b1', units, 1, capacity);
    this.m = new Parameter('m', units, 1, capacity);
    this.W2 = new Parameter('W2', shape.outputSize, units, shape.outputSize * capacity);
    this.b2 = new Parameter('b2', shape.outputSize, 1);
    // Weights N(0, 1/fan-in), drawn from the run's init stream, so a seed fixes them; new neurons alike.
    const draw = (fanIn: () => number) => () => random.normal() / Math.sqrt(Math.max(1, fanIn()));
    const drawW1 = draw(() => this.W1.cols);
    const drawW2 = draw(() => this.m.rows);
    for (let i = 0; i < this.W1.length; i++) this.W1.value.data[i] = drawW1();
    for (let i = 0; i < this.W2.length; i++) this.W2.value.data[i] = drawW2();
    this.m.value.fill(options.initialMultiplier);
    const parameters = [this.W1, this.b1, this.m, this.W2, this.b2];
    this.layers = [{ id: 'dense', parameters: () => parameters }];
    const population = new UnitPopulation(HIDDEN, {
      size: units,
      maxSize: options.maxHidden,
      l1Steps: 1,
      multipliers: this.m,
      axes: [
        { parameter: this.W1, axis: 'row', draw: drawW1 },
        { parameter: this.b1, axis: 'row' },
        { parameter: this.W2, axis: 'column', draw: drawW2 },
      ],
      states: [],
    });
    this.growables = [population];
    this.chanceLoss = Math.log(shape.outputSize);
    this.exampleRequest = { batchSize: options.batchSize };
  }

  trainStep(example: TableExample): number {
    this.forward(example);
    const { batchSize: batch } = example;
    const [units, inputs, outputs] = [this.m.rows, this.W1.cols, this.W2.rows];
    // Read afresh every step: a parameter's data is replaced when growth outgrows its capacity.
    const [m, W2] = [this.m.value.data, this.W2.value.data];
    const [dW1, db1, dm, dW2, db2] = [this.W1, this.b1, this.m, this.W2, this.b2].map((p) => {
      p.zeroGrad();
      return p.grad.data;
    });
    // From here on `logits` holds ∂loss/∂logits; backpropagate it through W2, m, tanh and W1.
    const loss = softmaxCrossEntropy(this.logits, example.labels, batch, outputs, true);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < outputs; o++) db2[o] += this.logits[r * outputs + o];
      for (let j = 0; j < units; j++) {
        const a = this.activations[r * units + j];
        let dOut = 0; // ∂loss/∂(m_j a_j)
        for (let o = 0; o < outputs; o++) {
          const dLogit = this.logits[r * outputs + o];
          dW2[o * units + j] += dLogit * m[j] * a;
          dOut += dLogit * W2[o * units + j];
        }
        dm[j] += dOut * a;
        const dz = dOut * m[j] * (1 - a * a);
        db1[j] += dz;
        for (let i = 0; i < inputs; i++) dW1[j * inputs + i] += dz * example.inputs[r * inputs + i];
      }
    }
    return loss;
  }

  evaluateLoss(example: TableExample): number {
    this.forward(example);
    return softmaxCrossEntropy(this.logits, example.labels, example.batchSize, this.W2.rows, false);
  }

  /** Nothing is carried from one batch to the next. */
  resetState(): void {}

  /** Fills `activations` and `logits` for the example's rows. */
  private forward(example: TableExample): void {
    const { batchSize: batch } = example;
    const [units, inputs, outputs] = [this.m.rows, this.W1.cols, this.W2.rows];
    const [W1, b1, m, W2, b2] = [this.W1, this.b1, this.m, this.W2, this.b2].map((p) => p.value.data);
    if (this.activations.length < batch * units) this.activations = new Float64Array(2 * batch * units);
    if (this.logits.length < batch * outputs) this.logits = new Float64Array(batch * outputs);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < units; j++) {
        let z = b1[j];
        for (let i = 0; i < inputs; i++) z += W1[j * inputs + i] * example.inputs[r * inputs + i];
        this.activations[r * units + j] = Math.tanh(z);
      }
      for (let o = 0; o < outputs; o++) {
        let logit = b2[o];
        for (let j = 0; j < units; j++) logit += W2[o * units + j] * m[j] * this.activations[r * units + j];
        this.logits[r * outputs + o] = logit;
      }
    }
  }
}

/**
 * The mean over `batch` rows of −log softmax(logits)[label]. With `gradient`, each row's logits
 * are replaced by the loss's gradient with respect to them: (softmax − one-hot) / batch.
 */
function softmaxCrossEntropy(logits: Float64Array, labels: Int32Array, batch: number, classes: number, gradient: boolean): number {
  let loss = 0;
  for (let r = 0; r < batch; r++) {
    const row = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[row + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
    loss += Math.log(sum) + max - logits[row + labels[r]];
    if (!gradient) continue;
    for (let c = 0; c < classes; c++) logits[row + c] = Math.exp(logits[row + c] - max) / sum / batch;
    logits[row + labels[r]] -= 1 / batch;
  }
  return loss / batch;
}
