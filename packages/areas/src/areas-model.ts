import type {
  EvaluationTally,
  ExampleRequest,
  Growable,
  Layer,
  Model,
  Parameter,
  Random,
  SequenceExample,
  SequenceSampler,
  StateValue,
} from '@diffstruct/core';
import { Parameter as Weights } from '@diffstruct/core';
import { softmaxStepsCorrect } from '@diffstruct/layers';
import { AreaNetwork } from './area-network.js';
import { AREAS_FAMILY, type AreasOptions, areasExampleRequest, NEURONS_FAMILY } from './area-options.js';
import { type AreasKernel, createAreasKernel } from './areas-kernel.js';
import type { AreasPass } from './areas-pass.js';
import { AreasSampler } from './areas-sampler.js';

/** A layer holding one parameter: the areas' multipliers a, or the output's bias. */
class SingleParameterLayer implements Layer {
  constructor(
    readonly id: string,
    private readonly p: Parameter,
  ) {}
  parameters(): readonly Parameter[] {
    return [this.p];
  }
}

/**
 * One-hot symbols → recurrent areas wired by a graph, each a growable tanh RNN whose neurons carry
 * multipliers m and whose output carries an area multiplier a → softmax over the vocabulary, loss
 * summed over the unrolled steps (areas-pass.ts). The areas are the units of the growable `areas`;
 * each area's neurons are a growable `area:<name>` of family `neurons`.
 */
export class AreasModel implements Model<SequenceExample> {
  readonly type = 'areas';
  readonly exampleRequest: ExampleRequest;
  readonly chanceLoss: number;
  readonly families: readonly string[] = [NEURONS_FAMILY, AREAS_FAMILY];
  readonly network: AreaNetwork;
  readonly by: Parameter;
  private readonly multiplierLayer: Layer;
  private readonly outputLayer: Layer;
  private layerList: readonly Layer[] = [];
  private growableList: readonly Growable[] = [];
  private pass!: AreasPass;
  private readonly kernel: AreasKernel;
  /** Each area's carried state as the pass reads it (refreshed each cycle: a state's array is replaced when it grows). */
  private readonly initialStates: Float64Array[];
  /** The state held-out evaluation carries from window to window, per area index (never checkpointed: an evaluation ends within its cycle). */
  private readonly evaluationStates: Float64Array[];

  constructor(
    private readonly options: AreasOptions,
    readonly vocabularySize: number,
    random: Random,
  ) {
    const V = vocabularySize;
    this.by = new Weights('by', V, 1, V);
    this.network = new AreaNetwork(options, V, random, () => this.structureChanged());
    this.multiplierLayer = new SingleParameterLayer('areas', this.network.multipliers);
    this.outputLayer = new SingleParameterLayer('output', this.by);
    this.kernel = createAreasKernel(options.kernel, V, options.unroll);
    this.initialStates = new Array(options.maxAreas).fill(EMPTY);
    this.evaluationStates = Array.from({ length: options.maxAreas }, () => new Float64Array(options.maxHidden));
    this.exampleRequest = areasExampleRequest(options);
    this.chanceLoss = Math.log(V) * options.unroll;
    this.structureChanged();
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  /** Each area's neurons first, the areas last: removing an area removes its neurons with it. */
  get growables(): readonly Growable[] {
    return this.growableList;
  }

  trainStep(example: SequenceExample): number {
    const loss = this.kernel.forward(this.currentPass(), example.symbols, this.trainingStates());
    this.kernel.backward(this.pass, example.symbols, this.network.multipliers.grad.data, this.by.grad.data);
    this.kernel.finalStates(this.pass, this.trainingStates());
    return loss;
  }

  evaluateLoss(example: SequenceExample): number {
    return this.kernel.forward(this.currentPass(), example.symbols, this.trainingStates());
  }

  evaluate(example: SequenceExample, tally: EvaluationTally, continued: boolean): void {
    if (!continued) for (const state of this.evaluationStates) state.fill(0);
    tally.loss += this.kernel.forward(this.currentPass(), example.symbols, this.evaluationStates);
    tally.predictions += this.options.unroll;
    tally.correct += softmaxStepsCorrect(this.kernel.probabilities(), this.pass, example.symbols, 1);
    this.kernel.finalStates(this.pass, this.evaluationStates);
  }

  resetState(): void {
    for (const area of this.network.areas) area.state.fill(0);
  }

  /** Of the network as it is now (an area or neuron added later is not seen). */
  sequenceSampler(): SequenceSampler {
    return new AreasSampler({ ...this.currentPass(), T: 1 });
  }

  saveStructure(): StateValue {
    return this.network.saveStructure();
  }

  loadStructure(state: StateValue): void {
    this.network.loadStructure(state);
  }

  /** The arrays the pass reads: a's array is replaced when areas outgrow it, by's when a checkpoint loads. */
  private currentPass(): AreasPass {
    const a = this.network.multipliers.value.data;
    const by = this.by.value.data;
    if (this.pass.a !== a || this.pass.by !== by) this.pass = { ...this.pass, a, by };
    return this.pass;
  }

  private trainingStates(): Float64Array[] {
    const areas = this.network.areas;
    for (let k = 0; k < areas.length; k++) this.initialStates[k] = areas[k].state.data;
    return this.initialStates;
  }

  private structureChanged(): void {
    const network = this.network;
    const areas = network.areas;
    this.layerList = [...areas, this.multiplierLayer, this.outputLayer];
    this.growableList = [...areas.map((a) => a.population), network];
    this.pass = { areas, a: network.multipliers.value.data, by: this.by.value.data, V: this.vocabularySize, T: this.options.unroll };
  }
}

const EMPTY = new Float64Array(0);
