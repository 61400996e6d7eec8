import type { EvaluationTally, ExampleRequest, Growable, Layer, Model, Parameter, Random, StateValue, TableExample, TaskShape } from '@diffstruct/core';
import { atLeast, createDenseKernel, TableLoss } from '@diffstruct/layers';
import { BlockStack } from './block-stack.js';
import { type ResidualOptions, residualFamilies } from './model-options.js';
import { NeuronLayer } from './neuron-layer.js';
import { ResidualBlock } from './residual-block.js';

/** The stack's multipliers g, one per block, as a layer of their own. */
class StackLayer implements Layer {
  readonly id = 'stack';
  constructor(private readonly g: Parameter) {}
  parameters(): readonly Parameter[] {
    return [this.g];
  }
}

/**
 * Features → linear map to the stream → residual blocks s ← s + g · F(s) → linear outputs.
 * Depth is the growable `blocks` (units are whole blocks); with growWidth, each block's
 * neurons are a growable `block<unit>` of family `block-width`.
 */
export class ResidualModel implements Model<TableExample> {
  readonly type = 'residual';
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  readonly families: readonly string[];
  readonly stack: BlockStack;
  readonly input: NeuronLayer;
  readonly output: NeuronLayer;
  private readonly stackLayer: StackLayer;
  private readonly loss: TableLoss;
  private layerList: readonly Layer[] = [];
  private growableList: readonly Growable[] = [];
  /** streams[k]: the stream entering block k; streams[blocks] enters the output layer. */
  private streams: Float64Array[] = [];
  private dStream: Float64Array = new Float64Array(0);
  private dSpare: Float64Array = new Float64Array(0);
  private dOutputs: Float64Array = new Float64Array(0);

  constructor(
    private readonly options: ResidualOptions,
    shape: TaskShape,
    random: Random,
  ) {
    const common = { initScale: options.initScale, initialMultiplier: options.initialMultiplier, dense: createDenseKernel(options.kernel) };
    this.input = new NeuronLayer(
      'input',
      shape.inputSize,
      options.width,
      { ...common, activation: 'identity', multipliers: false, capacity: options.width },
      random,
    );
    this.output = new NeuronLayer(
      'output',
      options.width,
      shape.outputSize,
      { ...common, activation: 'identity', multipliers: false, capacity: shape.outputSize },
      random,
    );
    const blockOptions = {
      ...common,
      activation: options.activation,
      multipliers: options.growWidth,
      growWidth: options.growWidth,
      maxWidth: options.maxBlockWidth,
      capacity: Math.min(options.maxBlockWidth, 2 * options.blockWidth),
    };
    const gain = (unit: number) => () => this.stack.multiplierOfUnit(unit);
    const makeBlock = (unit: number, units = options.blockWidth, birthCycle = 0) =>
      new ResidualBlock(`block${unit}`, unit, options.width, units, blockOptions, random, gain(unit), birthCycle);
    this.stack = new BlockStack(options.maxBlocks, options.blocks, options.initialMultiplier, makeBlock, () => this.structureChanged());
    this.stackLayer = new StackLayer(this.stack.multipliers);
    this.families = residualFamilies(options);
    this.loss = new TableLoss(shape);
    this.chanceLoss = this.loss.chanceLoss;
    this.exampleRequest = { batchSize: options.batchSize };
    this.structureChanged();
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  /** Each block's width first, the blocks last: removing a block removes its width with it. */
  get growables(): readonly Growable[] {
    return this.growableList;
  }

  trainStep(example: TableExample): number {
    const outputs = this.forward(example);
    const batch = example.batchSize;
    const n = batch * this.options.width;
    this.dOutputs = atLeast(this.dOutputs, batch * this.output.units);
    this.dStream = atLeast(this.dStream, n);
    this.dSpare = atLeast(this.dSpare, n);
    const loss = this.loss.of(outputs, example, this.dOutputs);
    const blocks = this.stack.blocks;
    this.output.backward(this.streams[blocks.length], batch, this.dOutputs, this.dStream);
    const g = this.stack.multipliers.value.data;
    const dg = this.stack.multipliers.grad.data;
    for (let k = blocks.length - 1; k >= 0; k--) {
      dg[k] = blocks[k].backward(this.streams[k], batch, g[k], this.dStream, this.dSpare);
      const next = this.dSpare;
      this.dSpare = this.dStream;
      this.dStream = next;
    }
    this.input.backward(example.inputs, batch, this.dStream, null);
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

  resetState(): void {}

  saveStructure(): StateValue {
    return this.stack.saveStructure();
  }

  loadStructure(state: StateValue): void {
    this.stack.loadStructure(state);
  }

  private forward(example: TableExample): Float64Array {
    const batch = example.batchSize;
    const n = batch * this.options.width;
    const blocks = this.stack.blocks;
    this.streams[0] = this.input.forward(example.inputs, batch);
    const g = this.stack.multipliers.value.data;
    for (let k = 0; k < blocks.length; k++) {
      this.streams[k + 1] = atLeast(this.streams[k + 1] ?? EMPTY, n);
      blocks[k].forward(this.streams[k], batch, g[k], this.streams[k + 1]);
    }
    return this.output.forward(this.streams[blocks.length], batch);
  }

  private structureChanged(): void {
    const blocks = this.stack.blocks;
    this.layerList = [this.input, ...blocks, this.stackLayer, this.output];
    this.growableList = [...blocks.flatMap((b) => (b.population ? [b.population] : [])), this.stack];
    this.streams.length = Math.min(this.streams.length, blocks.length + 1);
  }
}

const EMPTY = new Float64Array(0);
