import {
  type EvaluationTally,
  type ExampleRequest,
  GrowableMatrix,
  type Layer,
  type Model,
  Parameter,
  type Random,
  type SequenceExample,
  type SequenceSampler,
  type UnitAxis,
  UnitPopulation,
} from '@diffstruct/core';
import { fillNormal, normalDraw, ParameterArrays, SoftmaxOutputLayer, softmaxStepsCorrect } from '@diffstruct/layers';
import { GRU_BIASES, GRU_INPUT, GRU_RECURRENT, type GruDims, type GruWeights } from './gru-kernel.js';
import { GruSampler } from './gru-sampler.js';
import { createGruKernel, type GruKernel } from './gru-kernels.js';
import { type GruOptions, gruExampleRequest } from './gru-options.js';

/** The id (and family) of the model's one growable: its gated units. */
export const GRU_FAMILY = 'hidden';

/** The gated layer's parameters, by the names of gru-kernel.ts, and the hidden state it carries across cycles. */
class GatedLayer implements Layer {
  readonly id = GRU_FAMILY;
  readonly weights: { readonly [key in keyof GruWeights]: Parameter };
  readonly state: GrowableMatrix;

  constructor(N: number, V: number, capacity: number) {
    const make = (name: string, cols: number, room: number) => [name, new Parameter(name, N, cols, capacity * room)] as const;
    this.weights = Object.fromEntries([
      ...GRU_INPUT.map((name) => make(name, V, V)),
      ...GRU_RECURRENT.map((name) => make(name, N, capacity)),
      ...[...GRU_BIASES, 'm'].map((name) => make(name, 1, 1)),
    ]) as GatedLayer['weights'];
    this.state = new GrowableMatrix(N, 1, capacity);
  }

  parameters(): readonly Parameter[] {
    return Object.values(this.weights);
  }
}

/**
 * One-hot symbols → a growable layer of gated recurrent units whose outputs carry multipliers →
 * softmax over the vocabulary, loss summed over the unrolled steps.
 */
export class GruModel implements Model<SequenceExample> {
  readonly type = 'gru';
  readonly layers: readonly Layer[];
  readonly growables: readonly UnitPopulation[];
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  readonly gated: GatedLayer;
  private readonly output: SoftmaxOutputLayer;
  private readonly arrays: ParameterArrays<keyof GruWeights>;
  private readonly kernel: GruKernel;
  private shape?: GruDims;
  /** The hidden state held-out evaluation carries from window to window, apart from the training state (never checkpointed: an evaluation ends within its cycle). */
  private readonly evaluationState: Float64Array;

  constructor(
    private readonly options: GruOptions,
    readonly vocabularySize: number,
    random: Random,
  ) {
    const { hidden: N, initScale } = options;
    const V = vocabularySize;
    const capacity = Math.min(options.maxHidden, Math.max(2 * N, 16));
    this.gated = new GatedLayer(N, V, capacity);
    this.output = new SoftmaxOutputLayer({ vocabularySize: V, units: N, capacity });
    const w = this.gated.weights;
    for (const name of [...GRU_INPUT, ...GRU_RECURRENT]) fillNormal(w[name].value.data, w[name].length, random, initScale);
    fillNormal(this.output.W.value.data, this.output.W.length, random, initScale);
    w.m.value.fill(options.initialMultiplier);
    // New units draw N(0, initScale²) weights; biases start at 0 and are not inherited.
    const draw = normalDraw(random, initScale);
    const axes: UnitAxis[] = [
      ...GRU_INPUT.map((name): UnitAxis => ({ parameter: w[name], axis: 'row', draw })),
      ...GRU_RECURRENT.flatMap((name): UnitAxis[] => [
        { parameter: w[name], axis: 'row', acrossUnits: true, draw },
        { parameter: w[name], axis: 'column', acrossUnits: true, draw },
      ]),
      ...GRU_BIASES.map((name): UnitAxis => ({ parameter: w[name], axis: 'row', inherits: false })),
      this.output.unitAxis(draw),
    ];
    const population = new UnitPopulation(GRU_FAMILY, {
      size: N,
      maxSize: options.maxHidden,
      l1Steps: options.unroll,
      multipliers: w.m,
      axes,
      states: [this.gated.state],
    });
    this.layers = [this.gated, this.output];
    this.growables = [population];
    this.arrays = new ParameterArrays(w);
    this.kernel = createGruKernel(options.kernel, this.output);
    this.exampleRequest = gruExampleRequest(options);
    this.chanceLoss = Math.log(V) * options.unroll;
    this.evaluationState = new Float64Array(options.maxHidden);
  }

  trainStep(example: SequenceExample): number {
    const d = this.dims();
    const w = this.arrays.value();
    const loss = this.kernel.forward(w, d, example.symbols, this.gated.state.data);
    this.kernel.backward(w, this.arrays.grad(), d, example.symbols);
    this.kernel.finalState(this.gated.state.data, d);
    return loss;
  }

  evaluateLoss(example: SequenceExample): number {
    return this.kernel.forward(this.arrays.value(), this.dims(), example.symbols, this.gated.state.data);
  }

  evaluate(example: SequenceExample, tally: EvaluationTally, continued: boolean): void {
    const d = this.dims();
    if (!continued) this.evaluationState.fill(0);
    tally.loss += this.kernel.forward(this.arrays.value(), d, example.symbols, this.evaluationState);
    tally.predictions += d.T;
    tally.correct += softmaxStepsCorrect(this.kernel.probabilities(d), d, example.symbols, 1);
    this.kernel.finalState(this.evaluationState, d);
  }

  resetState(): void {
    this.gated.state.fill(0);
  }

  /** Of the network as it is now (a unit added later is not seen). */
  sequenceSampler(): SequenceSampler {
    return new GruSampler(this.arrays.value(), { W: this.output.W.value.data, b: this.output.b.value.data }, this.dims());
  }

  /** Rebuilt only when the size changed (no allocation per cycle). */
  private dims(): GruDims {
    const N = this.growables[0].size;
    if (this.shape?.N !== N) this.shape = { N, V: this.vocabularySize, T: this.options.unroll, multiplierOnRecurrent: this.options.multiplierOnRecurrent };
    return this.shape;
  }
}
