import { type Layer, Parameter, type Random, type UnitAxis, UnitPopulation } from '@diffstruct/core';
import {
  activate,
  type Activation,
  activationBackward,
  atLeast,
  type DenseKernel,
  fanInNormalDraw,
  fanInScale,
  fillNormal,
  REFERENCE_DENSE,
} from '@diffstruct/layers';

export interface NeuronLayerOptions {
  readonly activation: Activation;
  /** Each neuron's output is scaled by a learned multiplier (the growable kind); else not. */
  readonly multipliers: boolean;
  readonly initialMultiplier: number;
  /** Weights are drawn N(0, (initScale / √fan-in)²). */
  readonly initScale: number;
  /** Room reserved for this many neurons, so growth rarely reallocates. */
  readonly capacity: number;
  /** What computes the products (the TypeScript reference when absent); every kernel gives the same bits. */
  readonly dense?: DenseKernel;
}

/**
 * A dense layer, one neuron per row of W: out = m ⊙ f(x Wᵀ + b) over a batch of rows. With
 * multipliers its neurons form a growable population (see `population`).
 */
export class NeuronLayer implements Layer {
  readonly W: Parameter;
  readonly b: Parameter;
  readonly m?: Parameter;
  /** This layer's output for the last forward batch (batch × units). */
  out: Float64Array = new Float64Array(0);
  private activated: Float64Array = new Float64Array(0);
  private delta: Float64Array = new Float64Array(0);
  /** The options' kernel, or the reference. */
  readonly dense: DenseKernel;

  constructor(
    readonly id: string,
    inputSize: number,
    units: number,
    private readonly options: NeuronLayerOptions,
    private readonly random: Random,
  ) {
    const capacity = Math.max(units, options.capacity);
    this.W = new Parameter('W', units, inputSize, capacity * inputSize);
    this.b = new Parameter('b', units, 1, capacity);
    if (options.multipliers) {
      this.m = new Parameter('m', units, 1, capacity);
      this.m.value.fill(options.initialMultiplier);
    }
    fillNormal(this.W.value.data, this.W.length, random, fanInScale(options.initScale, inputSize));
    this.dense = options.dense ?? REFERENCE_DENSE;
  }

  get units(): number {
    return this.W.rows;
  }

  get inputSize(): number {
    return this.W.cols;
  }

  parameters(): readonly Parameter[] {
    return this.m ? [this.W, this.b, this.m] : [this.W, this.b];
  }

  /** out = m ⊙ f(x Wᵀ + b) for `batch` rows of x. */
  forward(x: Float64Array, batch: number): Float64Array {
    const units = this.units;
    const n = batch * units;
    this.out = atLeast(this.out, n);
    this.activated = atLeast(this.activated, n);
    this.dense.affine(x, batch, this.inputSize, this.W.value.data, units, this.b.value.data, this.activated);
    activate(this.options.activation, this.activated, this.activated, n);
    if (!this.m) this.out.set(this.activated.subarray(0, n));
    else {
      const m = this.m.value.data;
      for (let r = 0; r < batch; r++) for (let j = 0; j < units; j++) this.out[r * units + j] = m[j] * this.activated[r * units + j];
    }
    return this.out;
  }

  /** From ∂loss/∂out (batch × units): overwrites the gradients of W, b, m, and writes ∂loss/∂x into `dx` if given. */
  backward(x: Float64Array, batch: number, dOut: Float64Array, dx: Float64Array | null): void {
    const units = this.units;
    const n = batch * units;
    this.delta = atLeast(this.delta, n);
    const delta = this.delta;
    if (!this.m) delta.set(dOut.subarray(0, n));
    else {
      const m = this.m.value.data;
      const dm = this.m.grad.data;
      dm.fill(0, 0, units);
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < units; j++) {
          const k = r * units + j;
          dm[j] += dOut[k] * this.activated[k];
          delta[k] = dOut[k] * m[j];
        }
      }
    }
    activationBackward(this.options.activation, this.activated, delta, n);
    this.dense.affineBackward(delta, batch, units, x, this.inputSize, this.W.value.data, this.W.grad.data, this.b.grad.data, dx);
  }

  /**
   * The neurons as a growable population: a neuron owns its row of W and b, its multiplier and
   * its column of `consumer` (the weights of whatever reads this layer); L1 counts `l1Steps` times.
   */
  population(id: string, consumer: Parameter, maxSize: number, family?: string, l1Steps: number | (() => number) = 1, birthCycle = 0): UnitPopulation {
    if (!this.m) throw new Error(`${this.id}: a layer without multipliers cannot grow`);
    // Fresh weights are scaled by the fan-in at the time of the addition; the bias starts at 0.
    const scaled = (fanIn: () => number) => fanInNormalDraw(this.random, this.options.initScale, fanIn);
    const axes: UnitAxis[] = [
      { parameter: this.W, axis: 'row', draw: scaled(() => this.inputSize) },
      { parameter: this.b, axis: 'row' },
      { parameter: consumer, axis: 'column', draw: scaled(() => this.units) },
    ];
    return new UnitPopulation(id, {
      size: this.units,
      maxSize,
      l1Steps,
      multipliers: this.m,
      axes,
      states: [],
      birthCycle,
      ...(family === undefined ? {} : { family }),
    });
  }
}
