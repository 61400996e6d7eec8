import { expect } from 'chai';
import type { EvaluationTally, Parameter } from '@diffstruct/core';
import { checkGradients } from '@diffstruct/core/testing';
import { randomSymbols } from '@diffstruct/layers/testing';
import type { AreasOptions } from './area-options.js';
import type { AreasKernelName } from './areas-kernel.js';
import type { AreasModel } from './areas-model.js';
import { addAndRemoveUnits, CHAIN, ONE_AREA, smallAreas, TWO_AREAS, V } from './test-support.js';

type Graph = Pick<AreasOptions, 'areas' | 'links' | 'areaTemplate'>;

/** Four areas, two reading the symbol, a loop through d back to a, three feeding the softmax. */
const FOUR_AREAS: Graph = {
  areas: [
    { name: 'a', hidden: 3 },
    { name: 'b', hidden: 2 },
    { name: 'c', hidden: 4 },
    { name: 'd', hidden: 1 },
  ],
  links: [
    { from: 'input', to: 'a' },
    { from: 'input', to: 'b' },
    { from: 'a', to: 'c' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'd' },
    { from: 'd', to: 'a' },
    { from: 'b', to: 'output' },
    { from: 'c', to: 'output' },
    { from: 'd', to: 'output' },
  ],
  areaTemplate: 'c',
};

/** The same graphs with areas around the vector width (2 lanes) and the 6- and 4-row tiles of dotRows. */
const wider = (graph: Graph, widths: readonly number[]): Graph => ({
  ...graph,
  areas: graph.areas.map((a, k) => ({ ...a, hidden: widths[k % widths.length] })),
});

const GRAPHS: [string, Graph][] = [
  ['one area', ONE_AREA],
  ['two areas feeding each other', TWO_AREAS],
  ['a chain of three with a link back', CHAIN],
  ['four areas', FOUR_AREAS],
  ['one wide area', wider(ONE_AREA, [17])],
  ['two wide areas', wider(TWO_AREAS, [9, 16])],
  ['four wide areas', wider(FOUR_AREAS, [5, 8, 11, 4])],
];

const TOLERANCE = 1e-12;

/** Every parameter by `<layer id>.<name>`. */
function parametersOf(model: AreasModel): Map<string, Parameter> {
  return new Map(model.layers.flatMap((l) => l.parameters().map((p) => [`${l.id}.${p.name}`, p] as const)));
}

/** What a cycle produces: the loss, every gradient (parameters, m, a, by) and the carried states. */
function cycle(model: AreasModel, symbols: Int32Array) {
  const loss = model.trainStep({ symbols });
  const gradients = new Map([...parametersOf(model)].map(([key, p]) => [key, p.grad.data.slice(0, p.length)] as const));
  const states = model.network.areas.map((a) => a.state.data.slice(0, a.size));
  return { loss, gradients, states };
}

/** Largest difference over every output, relative to the largest magnitude of that output. */
function worstDifference(a: ReturnType<typeof cycle>, b: ReturnType<typeof cycle>): { worst: number; at: string } {
  let worst = Math.abs(a.loss - b.loss) / Math.abs(a.loss);
  let at = 'loss';
  expect([...b.gradients.keys()]).to.deep.equal([...a.gradients.keys()]);
  const arrays: [string, Float64Array, Float64Array][] = [
    ...a.states.map((s, k) => [`state ${k}`, s, b.states[k]] as [string, Float64Array, Float64Array]),
    ...[...a.gradients].map(([key, g]) => [key, g, b.gradients.get(key)!] as [string, Float64Array, Float64Array]),
  ];
  for (const [key, x, y] of arrays) {
    expect(y.length, key).to.equal(x.length);
    const scale = Math.max(...x.map(Math.abs), 1e-300);
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i] - y[i]) / scale;
      if (d > worst || Number.isNaN(d)) [worst, at] = [Number.isNaN(d) ? Infinity : d, `${key}[${i}]`];
    }
  }
  return { worst, at };
}

const pair = (seed: number, T: number, graph: Graph, extra: Partial<AreasOptions> = {}) =>
  (['reference', 'simd-f64'] as AreasKernelName[]).map((kernel) => smallAreas(seed, T, { ...graph, maxHidden: 40, ...extra, kernel }));

/** The same additions and removals on every model given (their random streams draw alike). */
function grow(models: readonly AreasModel[]): void {
  for (const model of models) addAndRemoveUnits(model);
}

describe('areas kernels: simd-f64 against the reference', () => {
  for (const [name, graph] of GRAPHS)
    it(`equal within ${TOLERANCE} relative: loss, every gradient, carried states (${name}, T = 1, 4, 40)`, () => {
      for (const T of [1, 4, 40]) {
        const seed = 7 * T + graph.areas.length;
        const models = pair(seed, T, graph);
        const { symbols } = randomSymbols(seed, T + 1, V);
        const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
        expect(worst, `T=${T} at ${at}`).to.be.below(TOLERANCE);
      }
    });

  it('equal at other vocabulary sizes: odd, not a multiple of the row tiles, wider than every area', () => {
    for (const vocabulary of [2, 3, 5, 7, 27])
      for (const widths of [
        [1, 1],
        [3, 2],
        [9, 16],
      ]) {
        const T = 6;
        const models = (['reference', 'simd-f64'] as AreasKernelName[]).map((kernel) =>
          smallAreas(vocabulary, T, { ...wider(TWO_AREAS, widths), maxHidden: 40, kernel }, vocabulary),
        );
        for (const i of [1, 2]) {
          const { symbols } = randomSymbols(vocabulary + i, T + 1, vocabulary);
          const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
          expect(worst, `V=${vocabulary}, widths ${widths}, cycle ${i} at ${at}`).to.be.below(TOLERANCE);
        }
      }
  });

  for (const [name, graph] of GRAPHS.slice(1, 4))
    it(`equal on a second cycle at the same size, and after neurons and areas were added and removed (re-layout; ${name})`, () => {
      const T = 6;
      const models = pair(31, T, graph);
      const windows = [1, 2, 3, 4].map((i) => randomSymbols(31 + i, T + 1, V).symbols);
      const compare = (symbols: Int32Array, when: string) => {
        const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
        expect(worst, `${when} at ${at}`).to.be.below(TOLERANCE);
      };
      compare(windows[0], 'first cycle');
      compare(windows[1], 'second cycle');
      grow(models);
      const sizes = (m: AreasModel) => m.network.areas.map((a) => `${a.name}:${a.size}`);
      expect(sizes(models[1])).to.deep.equal(sizes(models[0]));
      compare(windows[2], 'after growth');
      compare(windows[3], 'the cycle after');
      // Back to a layout seen before it (areas and neurons removed again): nothing stale survives.
      for (const model of models) model.network.removeUnits([model.network.size - 1]);
      compare(windows[0], 'after removing the last area');
    });

  it('equal after a neuron is removed or added in one area only, and after weights change at the same layout', () => {
    const T = 5;
    const models = pair(41, T, FOUR_AREAS);
    const windows = [1, 2, 3, 4, 5].map((i) => randomSymbols(41 + i, T + 1, V).symbols);
    const compare = (symbols: Int32Array, when: string) => {
      const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
      expect(worst, `${when} at ${at}`).to.be.below(TOLERANCE);
    };
    compare(windows[0], 'first cycle');
    // The areas and links stay the same objects: only the sizes tell the layout is stale.
    for (const model of models) model.growables[2].removeUnits([1]);
    compare(windows[1], 'a neuron of c removed');
    for (const model of models) model.growables[0].addUnit({ init: 'random', multiplier: 0.8 }, 2);
    compare(windows[2], 'a neuron added to a');
    // Same sizes, so the same layout: every weight, a and by must still be copied in afresh.
    for (const model of models) {
      for (const p of [...parametersOf(model).values()]) for (let i = 0; i < p.length; i++) p.value.data[i] -= 0.3 * p.grad.data[i];
      model.growables[1].removeUnits([0]);
      model.growables[1].addUnit({ init: 'random', multiplier: 0.9 }, 3);
    }
    compare(windows[3], 'weights stepped, and a neuron of b replaced');
    compare(windows[4], 'the cycle after');
  });

  it('equal after an area is replaced by one of the same size, with no cycle in between (same count, sizes and links)', () => {
    const T = 4;
    const models = pair(43, T, ONE_AREA);
    const windows = [1, 2].map((i) => randomSymbols(43 + i, T + 1, V).symbols);
    const compare = (symbols: Int32Array, when: string) => {
      const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
      expect(worst, `${when} at ${at}`).to.be.below(TOLERANCE);
    };
    compare(windows[0], 'first cycle');
    for (const model of models) {
      model.network.addUnit({ init: 'random', multiplier: 0.7 }, 1);
      model.network.removeUnits([0]);
    }
    expect(models[1].network.areas.map((a) => [a.name, a.size])).to.deep.equal([['main+1', 3]]);
    compare(windows[1], 'main replaced by main+1');
  });

  it('equal on a graph whose description outgrows 16 KiB: 60 areas and 1 792 links, grown from a hub', () => {
    // Each added area copies the hub's links to and from the 32 others: the links grow with the
    // square of the areas (a fixed spec region of 16 KiB ran out at 52 areas and 1 280 links).
    const others = Array.from({ length: 32 }, (_, i) => `o${i}`);
    const hub: Graph = {
      areas: [{ name: 'hub', hidden: 1 }, ...others.map((name) => ({ name, hidden: 1 }))],
      links: [
        { from: 'input', to: 'hub' },
        { from: 'hub', to: 'output' },
        ...others.flatMap((o) => [
          { from: 'hub', to: o },
          { from: o, to: 'hub' },
        ]),
      ],
      areaTemplate: 'hub',
    };
    const T = 3;
    const models = pair(3, T, hub, { maxHidden: 2, maxAreas: 64 });
    const { symbols } = randomSymbols(3, T + 1, V);
    const compare = (when: string) => {
      const { worst, at } = worstDifference(cycle(models[0], symbols), cycle(models[1], symbols));
      expect(worst, `${when} at ${at}`).to.be.below(TOLERANCE);
    };
    compare('33 areas');
    for (let i = 0; i < 27; i++) for (const model of models) model.network.addUnit({ init: 'random', multiplier: 0.5 }, i + 1);
    expect(models[1].network.links.length).to.equal(1792);
    compare('60 areas');
  });

  it('give the same held-out loss and accuracy in evaluation, windows carried on', () => {
    const T = 12;
    const models = pair(5, T, FOUR_AREAS);
    const windows = [0, 1, 2].map((i) => randomSymbols(50 + i, T + 1, V).symbols);
    const tallies = models.map((model) => {
      const tally: EvaluationTally = { loss: 0, predictions: 0, correct: 0 };
      windows.forEach((symbols, i) => model.evaluate({ symbols }, tally, i > 0));
      return tally;
    });
    expect(tallies[1].loss).to.be.closeTo(tallies[0].loss, TOLERANCE * tallies[0].loss);
    expect(tallies[1].correct).to.equal(tallies[0].correct);
    expect(tallies[1].predictions).to.equal(tallies[0].predictions);
  });

  it('computes gradients through the kernel that match finite differences, after growth', () => {
    const T = 5;
    const [, model] = pair(21, T, FOUR_AREAS);
    const example = randomSymbols(21, T + 1, V);
    model.trainStep(example);
    grow([model]);
    const carried = model.growables.map((g) => g.saveState());
    model.trainStep(example);
    model.growables.forEach((g, i) => g.loadState(carried[i]));
    const parameters = [...parametersOf(model).values()];
    const result = checkGradients(parameters, () => model.evaluateLoss(example));
    expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
    expect(result.checked).to.equal(parameters.reduce((n, p) => n + p.length, 0));
  });
});
