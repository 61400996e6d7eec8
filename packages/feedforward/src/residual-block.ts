import { type Layer, Parameter, type Random, type UnitPopulation } from '@diffstruct/core';
import { atLeast, fanInScale, fillNormal } from '@diffstruct/layers';
import { BLOCK_WIDTH_FAMILY } from './model-options.js';
import { NeuronLayer, type NeuronLayerOptions } from './neuron-layer.js';

/**
 * One residual block F(s) = (m ⊙ f(s W1ᵀ + b1)) W2ᵀ on a stream of `width` features; the stack
 * adds g · F(s) to s. Its neurons may form a growable of their own (width inside the block).
 */
export class ResidualBlock implements Layer {
  readonly inner: NeuronLayer;
  readonly W2: Parameter;
  readonly population?: UnitPopulation;
  /** F(s) for the last forward batch (batch × width). */
  private branch: Float64Array = new Float64Array(0);
  private dInner: Float64Array = new Float64Array(0);
  private dBranch: Float64Array = new Float64Array(0);
  private dHidden: Float64Array = new Float64Array(0);

  constructor(
    readonly id: string,
    readonly unit: number,
    readonly width: number,
    units: number,
    options: NeuronLayerOptions & { readonly growWidth: boolean; readonly maxWidth: number },
    random: Random,
    /** This block's multiplier g in the stack, read every cycle. */
    gain: () => number = () => 1,
    /** When the block was added: its neurons are born then (a resumed block's come from its saved state). */
    birthCycle = 0,
  ) {
    this.inner = new NeuronLayer(id, width, units, { ...options, multipliers: options.growWidth }, random);
    this.W2 = new Parameter('W2', width, units, width * Math.max(units, options.capacity));
    fillNormal(this.W2.value.data, this.W2.length, random, fanInScale(options.initScale, units));
    // A neuron reaches the stream scaled by g, and so does its gradient: L1 scaled alike keeps their
    // balance whatever g is. Unscaled, a block below threshold (the reserve) lost its neurons to the
    // floor, and a block at g = m = M_min has gradients too small to come back (a product of two).
    const l1Steps = () => Math.abs(gain());
    if (options.growWidth) this.population = this.inner.population(id, this.W2, options.maxWidth, BLOCK_WIDTH_FAMILY, l1Steps, birthCycle);
  }

  get units(): number {
    return this.inner.units;
  }

  parameters(): readonly Parameter[] {
    return [...this.inner.parameters(), this.W2];
  }

  /** out = s + g · F(s). */
  forward(s: Float64Array, batch: number, g: number, out: Float64Array): void {
    const n = batch * this.width;
    this.branch = atLeast(this.branch, n);
    const hidden = this.inner.forward(s, batch);
    this.inner.dense.affine(hidden, batch, this.units, this.W2.value.data, this.width, null, this.branch);
    for (let i = 0; i < n; i++) out[i] = s[i] + g * this.branch[i];
  }

  /**
   * From ∂loss/∂out: overwrites this block's gradients, writes ∂loss/∂s into `dS` and returns
   * ∂loss/∂g.
   */
  backward(s: Float64Array, batch: number, g: number, dOut: Float64Array, dS: Float64Array): number {
    const n = batch * this.width;
    this.dBranch = atLeast(this.dBranch, n);
    this.dInner = atLeast(this.dInner, n);
    this.dHidden = atLeast(this.dHidden, batch * this.units);
    let dg = 0;
    for (let i = 0; i < n; i++) {
      dg += dOut[i] * this.branch[i];
      this.dBranch[i] = g * dOut[i];
    }
    this.inner.dense.affineBackward(this.dBranch, batch, this.width, this.inner.out, this.units, this.W2.value.data, this.W2.grad.data, null, this.dHidden);
    this.inner.backward(s, batch, this.dHidden, this.dInner);
    for (let i = 0; i < n; i++) dS[i] = dOut[i] + this.dInner[i];
    return dg;
  }
}
