import { GrowableMatrix, type Layer, Parameter, type UnitAxis, UnitPopulation } from '@diffstruct/core';
import { NEURONS_FAMILY, neuronGrowableId } from './area-options.js';

/**
 * A link's weights from the area `from` into the area `to`: N_to × N_from, a parameter of `to`'s
 * layer named `<from>-><to>` (`linkName`): unique among the axes of either area's neurons, which
 * key a removed neuron's weights by parameter name.
 */
export interface Link {
  readonly from: Area;
  readonly to: Area;
  readonly W: Parameter;
}

export const linkName = (from: string, to: string): string => `${from}->${to}`;

/** Sizes an area is built with. */
export interface AreaShape {
  readonly neurons: number;
  readonly vocabulary: number;
  readonly readsInput: boolean;
  readonly feedsOutput: boolean;
  readonly maxNeurons: number;
  /** Time steps per cycle: the area keeps T + 1 steps of its activity for the backward pass. */
  readonly steps: number;
}

/**
 * One area: tanh neurons with a recurrent matrix of their own, reading the symbol (Wx) if a link
 * from input says so, other areas through the links into it, and feeding the softmax (Wy) if a
 * link to output says so. Each neuron carries a multiplier m; the whole area a multiplier a (held
 * by the network): what the area sends, to other areas and to the output, is a · m ⊙ h.
 */
export class Area implements Layer {
  readonly id: string;
  readonly Wx?: Parameter;
  readonly Whh: Parameter;
  readonly b: Parameter;
  readonly m: Parameter;
  readonly Wy?: Parameter;
  /** The hidden state carried from one cycle to the next (N × 1). */
  readonly state: GrowableMatrix;
  /** Links into this area and out of it, in the network's link order. */
  incoming: Link[] = [];
  outgoing: Link[] = [];
  /** hs[t · N + i]: h_t of neuron i, t = 0..T (h_0 the carried state). */
  readonly hs: Float64Array;
  /** ss[t · N + i] = a · m_i · h_t: what the area sent at step t. */
  readonly ss: Float64Array;
  /** The pre-tanh sums of the current step of the forward pass. */
  readonly pre: Float64Array;
  /** ∂loss/∂(what the area sent) at the current step of the backward pass. */
  readonly dSent: Float64Array;
  /** ∂loss/∂(pre-tanh sum) at the current step, and at the step after it. */
  dz: Float64Array;
  dzNext: Float64Array;
  private growable?: UnitPopulation;

  constructor(
    readonly name: string,
    /** This area's unit id among the areas. */
    readonly unit: number,
    /** The cycle the area was added (0 for the areas written): its first neurons' birth cycle. */
    private readonly born: number,
    shape: AreaShape,
    /** T · |a|: what the neurons' L1 counts per update (their output and gradient reach everything scaled by a). */
    private readonly l1Steps: () => number,
  ) {
    this.id = neuronGrowableId(name);
    const N = shape.neurons;
    const V = shape.vocabulary;
    const room = Math.max(N, Math.min(shape.maxNeurons, Math.max(2 * N, 16)));
    if (shape.readsInput) this.Wx = new Parameter('Wx', N, V, room * V);
    this.Whh = new Parameter('Whh', N, N, room * room);
    this.b = new Parameter('b', N, 1, room);
    this.m = new Parameter('m', N, 1, room);
    if (shape.feedsOutput) this.Wy = new Parameter('Wy', V, N, V * room);
    this.state = new GrowableMatrix(N, 1, room);
    const most = shape.maxNeurons;
    this.hs = new Float64Array((shape.steps + 1) * most);
    this.ss = new Float64Array((shape.steps + 1) * most);
    this.pre = new Float64Array(most);
    this.dSent = new Float64Array(most);
    this.dz = new Float64Array(most);
    this.dzNext = new Float64Array(most);
  }

  get size(): number {
    return this.b.rows;
  }

  /** The neurons as a growable: valid until the links around this area change (then `rebuildPopulation`). */
  get population(): UnitPopulation {
    if (!this.growable) throw new Error(`${this.id}: no population yet`);
    return this.growable;
  }

  /** Unit ids of the neurons, in index order: what a link's weights into or out of the area are matched by. */
  neuronIds(): number[] {
    const population = this.population;
    return Array.from({ length: this.size }, (_, i) => population.unitId(i));
  }

  parameters(): readonly Parameter[] {
    const own = [this.Wx, this.Whh, this.b, this.m, this.Wy].filter((p): p is Parameter => p !== undefined);
    return [...own, ...this.incoming.map((l) => l.W)];
  }

  /**
   * The neuron growable over every axis a neuron owns now: its rows of Wx, Whh, b and of each
   * link into the area, its columns of Whh, Wy and of each link out of it. Links come and go with
   * areas, so the population is made again then, keeping its unit ids, birth cycles and state
   * (the first one's neurons are born when the area was).
   * The axes' order fixes the order of a new neuron's random draws.
   */
  rebuildPopulation(links: readonly Link[], draw: () => number, maxSize: number): void {
    const axes: UnitAxis[] = [];
    if (this.Wx) axes.push({ parameter: this.Wx, axis: 'row', draw });
    axes.push({ parameter: this.Whh, axis: 'row', acrossUnits: true, draw }, { parameter: this.Whh, axis: 'column', acrossUnits: true, draw });
    axes.push({ parameter: this.b, axis: 'row', inherits: false });
    if (this.Wy) axes.push({ parameter: this.Wy, axis: 'column', draw });
    for (const link of links) {
      // A neuron's row of a link into the area is indexed by the source's neurons (its column of a
      // link out, by the target's): a neuron that inherits one takes it back by their ids.
      if (link.to === this) axes.push({ parameter: link.W, axis: 'row', draw, otherUnits: () => link.from.neuronIds() });
      if (link.from === this) axes.push({ parameter: link.W, axis: 'column', draw, otherUnits: () => link.to.neuronIds() });
    }
    const kept = this.growable?.saveState();
    this.growable = new UnitPopulation(this.id, {
      size: this.size,
      family: NEURONS_FAMILY,
      maxSize,
      l1Steps: this.l1Steps,
      multipliers: this.m,
      axes,
      states: [this.state],
      birthCycle: this.born,
    });
    if (kept) this.growable.loadState(kept);
  }
}
