import {
  type ArrayAllocator,
  type EvaluationTally,
  type ExampleRequest,
  type Growable,
  GrowableMatrix,
  type Layer,
  type Model,
  type OptionsOf,
  optionsSchema,
  Parameter,
  type Random,
  type SequenceExample,
  type SequenceSampler,
  type UnitAxis,
  UnitPopulation,
} from '@diffstruct/core';
import { carvedBytes, fillNormal, normalDraw, ParameterArrays, SoftmaxOutputLayer, softmaxStepsCorrect } from '@diffstruct/layers';
import { RnnSampler } from './char-rnn-sampler.js';
import { additiveShare } from './reference-links.js';
import { createRnnKernel, RNN_KERNELS, RNN_LINKS, type RnnDims, type RnnKernel, type RnnLinks, type RnnWeights } from './rnn-kernel.js';

/** Most hidden units a config may ask for: each N × N array takes N² · 8 bytes (32 MB at 2000), and a model holds several per worker. */
export const MAX_HIDDEN_LIMIT = 2000;

/** Most windows per update: the activations of B windows are kept for the backward pass. */
export const MAX_BATCH = 1024;

/**
 * Most bytes of parameters a model keeps in its kernel's memory, where the kernel reads them in
 * place; beyond, plain arrays copied every cycle. The room is reserved at the start, with the
 * kernel's layout for maxHidden units (both resident from the first cycle, as `memoryBytes`
 * already counts them).
 */
export const IN_PLACE_BYTES = 64 * 2 ** 20;

/** Each parameter's entries with room for `units` units (those `links` has), by name. */
function parameterRooms(units: number, V: number, links: RnnLinks): Record<string, number> {
  const square = units * units;
  return {
    Wxh: units * V,
    ...(links === 'modulatory' ? {} : { Whh: square }),
    bh: units,
    m: units,
    ...(links === 'additive' ? {} : { Mhh: square }),
    ...(links === 'learned' ? { mix: units } : {}),
    Why: V * units,
    by: V,
  };
}

export const CHAR_RNN_OPTIONS = optionsSchema({
  hidden: { type: 'integer', minimum: 1, maximum: MAX_HIDDEN_LIMIT, default: 1, description: 'hidden units at the start' },
  maxHidden: { type: 'integer', minimum: 1, maximum: MAX_HIDDEN_LIMIT, default: 100, description: 'the size cap (growth stops below maxHidden - 1)' },
  unroll: { type: 'integer', minimum: 1, maximum: 10000, default: 40, description: 'time steps per cycle (T)' },
  initScale: { type: 'number', minimum: 0, maximum: 10, default: 0.01, description: 'standard deviation of initial and added weights' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial units' },
  multiplierOnRecurrent: { type: 'boolean', default: false, description: 'apply the multiplier on the recurrent path too' },
  batch: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_BATCH,
    // No default written into resolved configs: runs started before the option existed keep their settings hash (and resume).
    description: 'windows per update (B, default 1), each a stream and a hidden state of its own; loss and gradient are their mean',
  },
  links: {
    enum: RNN_LINKS,
    // No default written into resolved configs, as for `batch`: configs without it keep their settings hash.
    description:
      'how a unit acts on the units it feeds (default additive): additive (the paper), modulatory (scales their gain), learned (both, mixed by a learned share per unit)',
  },
  kernel: {
    enum: RNN_KERNELS,
    default: 'simd-f64',
    description: 'forward/backward implementation: simd-f64 (WebAssembly SIMD, float64), simd-f32 (float32, faster), reference (plain TypeScript)',
  },
});
export type CharRnnOptions = OptionsOf<typeof CHAR_RNN_OPTIONS>;

/**
 * The windows a char RNN with these options trains on: T + 1 symbols, predicting the last T; B of
 * them with `batch: B`. One window asks for what it always did. L1 counts T steps either way: the
 * loss is a mean over windows.
 */
export function charRnnExampleRequest(options: CharRnnOptions): ExampleRequest {
  const B = options.batch ?? 1;
  return B === 1 ? { length: options.unroll + 1 } : { length: options.unroll + 1, sequences: B };
}

/** The id (and family) of the model's one growable: its hidden units. */
export const HIDDEN_FAMILY = 'hidden';

/** The links a char RNN with these options has. */
export const linksOf = (options: CharRnnOptions): RnnLinks => options.links ?? 'additive';

/**
 * The growable hidden layer: its parameters, and the hidden state it carries across cycles (N × B:
 * a row per unit, a column per window). `Whh` is absent with modulatory links; `Mhh` and `mix`
 * exist only with the links that use them (docs/method.md#links).
 */
class RecurrentLayer implements Layer {
  readonly id = 'hidden';
  constructor(
    readonly Wxh: Parameter,
    readonly Whh: Parameter | undefined,
    readonly bh: Parameter,
    readonly m: Parameter,
    readonly state: GrowableMatrix,
    readonly Mhh?: Parameter,
    readonly mix?: Parameter,
  ) {}
  parameters(): readonly Parameter[] {
    // The additive order first, as before links existed (checkpoints and exports list them in this order).
    return [this.Wxh, this.Whh, this.bh, this.m, this.Mhh, this.mix].filter((p) => p !== undefined);
  }
}

/**
 * One-hot symbols → growable tanh RNN with output multipliers → softmax over the vocabulary,
 * loss summed over the unrolled steps (docs/method.md#forward-pass); with `batch: B`, B windows a
 * cycle and the mean of their losses and gradients (docs/method.md#minibatches).
 */
export class CharRnnModel implements Model<SequenceExample> {
  readonly type = 'char-rnn';
  readonly layers: readonly Layer[];
  readonly growables: readonly Growable[];
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  readonly hiddenLayer: RecurrentLayer;
  private readonly population: UnitPopulation;
  private readonly kernel: RnnKernel;
  private readonly arrays: ParameterArrays<string>;
  private currentDims?: RnnDims;
  /**
   * Held-out windows come one at a time (B = 1): with batch > 1 a kernel of their own, made at the
   * first evaluation, so neither kernel lays its memory out again when training and evaluation alternate.
   */
  private evaluationKernel?: RnnKernel;
  private evaluationDims?: RnnDims;
  /** The hidden state held-out evaluation carries from window to window, apart from the training state (never checkpointed: an evaluation ends within its cycle). */
  private readonly evaluationState: Float64Array;

  constructor(
    private readonly options: CharRnnOptions,
    readonly vocabularySize: number,
    random: Random,
  ) {
    const N = options.hidden;
    const V = vocabularySize;
    const B = options.batch ?? 1;
    const links = linksOf(options);
    this.kernel = createRnnKernel(options.kernel);
    const allocator = this.parameterAllocator(V);
    // In the kernel's memory every parameter has room for maxHidden units at once: it never moves.
    const capacity = allocator ? options.maxHidden : Math.min(options.maxHidden, Math.max(2 * N, 16));
    const rooms = parameterRooms(capacity, V, links);
    const parameter = (name: string, rows: number, cols: number) => new Parameter(name, rows, cols, rooms[name], allocator);
    const hidden = new RecurrentLayer(
      parameter('Wxh', N, V),
      links === 'modulatory' ? undefined : parameter('Whh', N, N),
      parameter('bh', N, 1),
      parameter('m', N, 1),
      new GrowableMatrix(N, B, capacity * B),
      links === 'additive' ? undefined : parameter('Mhh', N, N),
      links === 'learned' ? parameter('mix', N, 1) : undefined,
    );
    const output = new SoftmaxOutputLayer({ vocabularySize: V, units: N, capacity, allocator });
    this.hiddenLayer = hidden;
    const scale = options.initScale;
    fillNormal(hidden.Wxh.value.data, N * V, random, scale);
    if (hidden.Whh) fillNormal(hidden.Whh.value.data, N * N, random, scale);
    fillNormal(output.W.value.data, V * N, random, scale);
    // After the others: with learned links the additive model's draws stay what they were (modulatory has no Whh draw). Small: every gain starts near 1.
    if (hidden.Mhh) fillNormal(hidden.Mhh.value.data, N * N, random, scale);
    // mix starts (and new units start) at 0: an additive share of 1/2.
    hidden.m.value.fill(options.initialMultiplier);
    // New units draw N(0, initScale²) weights; biases and shares start at 0 and are not inherited.
    const draw = normalDraw(random, scale);
    const squareAxes = (parameter: Parameter | undefined): UnitAxis[] =>
      parameter
        ? [
            { parameter, axis: 'row', acrossUnits: true, draw },
            { parameter, axis: 'column', acrossUnits: true, draw },
          ]
        : [];
    const axes: UnitAxis[] = [
      { parameter: hidden.Wxh, axis: 'row', draw },
      ...squareAxes(hidden.Whh),
      ...squareAxes(hidden.Mhh),
      { parameter: hidden.bh, axis: 'row', inherits: false },
      ...(hidden.mix ? [{ parameter: hidden.mix, axis: 'row', inherits: false } as const] : []),
      output.unitAxis(draw),
    ];
    this.population = new UnitPopulation(HIDDEN_FAMILY, {
      size: N,
      maxSize: options.maxHidden,
      l1Steps: options.unroll,
      multipliers: hidden.m,
      axes,
      states: [hidden.state],
    });
    this.layers = [hidden, output];
    const present = Object.fromEntries(hidden.parameters().map((p) => [p.name, p]));
    this.arrays = new ParameterArrays({ ...present, Why: output.W, by: output.b });
    this.growables = [this.population];
    this.exampleRequest = charRnnExampleRequest(options);
    this.chanceLoss = Math.log(vocabularySize) * options.unroll;
    this.evaluationState = new Float64Array(options.maxHidden);
  }

  get size(): number {
    return this.population.size;
  }

  /**
   * Each unit's additive share α_i of its recurrent input (docs/method.md#links): 1 with additive
   * links, 0 with modulatory ones, σ(mix_i) learned.
   */
  additiveShares(): Float64Array {
    const mix = this.hiddenLayer.mix?.value.data;
    const shares = new Float64Array(this.size);
    const fixed = linksOf(this.options) === 'additive' ? 1 : 0;
    for (let i = 0; i < shares.length; i++) shares[i] = mix ? additiveShare(mix[i]) : fixed;
    return shares;
  }

  trainStep(example: SequenceExample): number {
    const dims = this.dims();
    const weights = this.weights();
    const loss = this.kernel.forward(weights, dims, example.symbols, this.hiddenLayer.state.data);
    this.kernel.backward(weights, this.gradients(), dims, example.symbols);
    this.kernel.finalState(this.hiddenLayer.state.data, dims);
    return loss;
  }

  evaluateLoss(example: SequenceExample): number {
    return this.kernel.forward(this.weights(), this.dims(), example.symbols, this.hiddenLayer.state.data);
  }

  evaluate(example: SequenceExample, tally: EvaluationTally, continued: boolean): void {
    const dims = this.oneWindowDims();
    const kernel = this.kernelForEvaluation();
    if (!continued) this.evaluationState.fill(0);
    tally.loss += kernel.forward(this.weights(), dims, example.symbols, this.evaluationState);
    tally.predictions += dims.T;
    tally.correct += softmaxStepsCorrect(kernel.probabilities(dims), dims, example.symbols, 1);
    kernel.finalState(this.evaluationState, dims);
  }

  resetState(): void {
    this.hiddenLayer.state.fill(0);
  }

  /** Of the network as it is now (a unit added later is not seen). */
  sequenceSampler(): SequenceSampler {
    return new RnnSampler(this.weights(), this.oneWindowDims());
  }

  /**
   * Where the parameters go: the kernel's own memory, if it has one and they fit in IN_PLACE_BYTES
   * at maxHidden units (value, gradient and one optimizer slot each, as Adagrad has; further
   * slots, as Adam's, take plain arrays once the room is used), else plain arrays (undefined).
   */
  private parameterAllocator(V: number): ArrayAllocator | undefined {
    if (!this.kernel.inPlaceArrays) return undefined;
    const M = this.options.maxHidden;
    const bytes = 3 * carvedBytes(Object.values(parameterRooms(M, V, linksOf(this.options))));
    return bytes > IN_PLACE_BYTES ? undefined : this.kernel.inPlaceArrays(this.dimsOf(M), bytes);
  }

  /** The arrays behind the parameters, by name; which are present follows `links` (RnnWeights). */
  private weights(): RnnWeights {
    return this.arrays.value() as unknown as RnnWeights;
  }

  private gradients(): RnnWeights {
    return this.arrays.grad() as unknown as RnnWeights;
  }

  private kernelForEvaluation(): RnnKernel {
    if ((this.options.batch ?? 1) === 1) return this.kernel;
    this.evaluationKernel ??= createRnnKernel(this.options.kernel);
    return this.evaluationKernel;
  }

  /** The training dims with one window (the same object when batch is 1). */
  private oneWindowDims(): RnnDims {
    const dims = this.dims();
    if (dims.B === 1) return dims;
    if (this.evaluationDims?.N !== dims.N) this.evaluationDims = { ...dims, B: 1 };
    return this.evaluationDims;
  }

  private dims(): RnnDims {
    const N = this.population.size;
    if (this.currentDims?.N !== N) this.currentDims = this.dimsOf(N);
    return this.currentDims;
  }

  private dimsOf(N: number): RnnDims {
    return {
      N,
      V: this.vocabularySize,
      T: this.options.unroll,
      multiplierOnRecurrent: this.options.multiplierOnRecurrent,
      B: this.options.batch ?? 1,
      ...(this.options.links === undefined ? {} : { links: this.options.links }),
    };
  }
}
