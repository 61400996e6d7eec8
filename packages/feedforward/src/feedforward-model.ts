import type { EvaluationTally, ExampleRequest, Growable, Layer, Model, Random, TableExample, TaskShape } from '@diffstruct/core';
import { atLeast, createDenseKernel, TableLoss } from '@diffstruct/layers';
import { type FeedforwardOptions, feedforwardFamilies } from './model-options.js';
import { NeuronLayer } from './neuron-layer.js';

const EMPTY = new Float64Array(0);

/**
 * Features → dense hidden layers whose neurons carry output multipliers → linear outputs.
 * Each hidden layer is a growable (`hidden1`, `hidden2`, ...): its width is learned.
 */
export class FeedforwardModel implements Model<TableExample> {
  readonly type = 'feedforward';
  readonly layers: readonly Layer[];
  readonly growables: readonly Growable[];
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  readonly hidden: readonly NeuronLayer[];
  readonly output: NeuronLayer;
  private readonly stack: readonly NeuronLayer[];
  private readonly loss: TableLoss;
  private gradients: Float64Array[] = [];

  constructor(options: FeedforwardOptions, shape: TaskShape, random: Random) {
    const capacity = Math.min(options.maxHidden, 2 * Math.max(...options.hidden, 8));
    const common = { initScale: options.initScale, initialMultiplier: options.initialMultiplier, dense: createDenseKernel(options.kernel) };
    const ids = feedforwardFamilies(options);
    let inputs = shape.inputSize;
    this.hidden = options.hidden.map((units, l) => {
      const layer = new NeuronLayer(ids[l], inputs, units, { ...common, activation: options.activation, multipliers: true, capacity }, random);
      inputs = units;
      return layer;
    });
    this.output = new NeuronLayer(
      'output',
      inputs,
      shape.outputSize,
      { ...common, activation: 'identity', multipliers: false, capacity: shape.outputSize },
      random,
    );
    this.stack = [...this.hidden, this.output];
    this.layers = this.stack;
    this.growables = this.hidden.map((layer, l) => layer.population(layer.id, (this.hidden[l + 1] ?? this.output).W, options.maxHidden));
    this.loss = new TableLoss(shape);
    this.chanceLoss = this.loss.chanceLoss;
    this.exampleRequest = { batchSize: options.batchSize };
  }

  trainStep(example: TableExample): number {
    const outputs = this.forward(example);
    const batch = example.batchSize;
    const stack = this.stack;
    for (let l = 0; l < stack.length; l++) this.gradients[l] = atLeast(this.gradients[l] ?? EMPTY, batch * stack[l].units);
    const loss = this.loss.of(outputs, example, this.gradients[stack.length - 1]);
    for (let l = stack.length - 1; l >= 0; l--) {
      const input = l === 0 ? example.inputs : stack[l - 1].out;
      stack[l].backward(input, batch, this.gradients[l], l === 0 ? null : this.gradients[l - 1]);
    }
    return loss;
  }

  evaluateLoss(example: TableExample): number {
    return this.loss.of(this.forward(example), example, null);
  }

  predict(example: TableExample, outputs: Float64Array): void {
    this.loss.predictions(this.forward(example), example.batchSize, outputs);
  }

  /** Forward only: rows carry nothing between batches, so `continued` changes nothing; gradients stay as they were. */
  evaluate(example: TableExample, tally: EvaluationTally): void {
    this.loss.tally(this.forward(example), example, tally);
  }

  /** Nothing is carried from one batch to the next. */
  resetState(): void {}

  private forward(example: TableExample): Float64Array {
    let x = example.inputs;
    for (const layer of this.hidden) x = layer.forward(x, example.batchSize);
    return this.output.forward(x, example.batchSize);
  }
}
