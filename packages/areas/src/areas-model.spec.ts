import { expect } from 'chai';
import type { Parameter } from '@diffstruct/core';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { randomSymbols } from '@diffstruct/layers/testing';
import type { AreasOptions } from './area-options.js';
import type { AreasModel } from './areas-model.js';
import { addAndRemoveUnits, CHAIN, ONE_AREA, smallAreas, TWO_AREAS, V } from './test-support.js';

const parametersOf = (model: AreasModel): Parameter[] => model.layers.flatMap((l) => [...l.parameters()]);

/** Each parameter's entries in use, by `<layer id>.<name>`. */
function valuesOf(model: AreasModel): Map<string, number[]> {
  return new Map(model.layers.flatMap((l) => l.parameters().map((p) => [`${l.id}.${p.name}`, [...p.value.toArray()]] as const)));
}

/**
 * The forward pass of areas-pass.ts written out once more from the options' graph, on plain
 * arrays: every area reads the symbol (if linked from input) and the others' a · m ⊙ h at the
 * previous step, the softmax reads a · m ⊙ h of the areas linked to output at the same step.
 */
function plainLoss(model: AreasModel, symbols: Int32Array, h0: number[][]): number {
  const w = valuesOf(model);
  const areas = model.network.areas;
  const a = w.get('areas.a')!;
  const by = w.get('output.by')!;
  let h = h0.map((s) => [...s]);
  const sent = (k: number) => h[k].map((hj, j) => a[k] * w.get(`${areas[k].id}.m`)![j] * hj);
  let loss = 0;
  for (let t = 0; t + 1 < symbols.length; t++) {
    const before = areas.map((_, k) => sent(k));
    h = areas.map((area, k) => {
      const N = area.size;
      const Whh = w.get(`${area.id}.Whh`)!;
      const Wx = w.get(`${area.id}.Wx`);
      return Array.from({ length: N }, (_, i) => {
        let z = w.get(`${area.id}.b`)![i] + (Wx ? Wx[i * V + symbols[t]] : 0);
        for (let j = 0; j < N; j++) z += Whh[i * N + j] * h[k][j];
        for (const link of area.incoming) {
          const from = areas.indexOf(link.from);
          const L = w.get(`${area.id}.${link.W.name}`)!;
          before[from].forEach((s, j) => {
            z += L[i * link.from.size + j] * s;
          });
        }
        return Math.tanh(z);
      });
    });
    const y = by.map((b, v) =>
      areas.reduce((sum, area, k) => {
        const Wy = w.get(`${area.id}.Wy`);
        return Wy ? sum + sent(k).reduce((s, o, j) => s + Wy[v * area.size + j] * o, 0) : sum;
      }, b),
    );
    const logSum = Math.log(y.reduce((sum, yv) => sum + Math.exp(yv), 0));
    loss += logSum - y[symbols[t + 1]];
  }
  return loss;
}

const GRAPHS: [string, Partial<AreasOptions>][] = [
  ['two areas feeding each other', TWO_AREAS],
  ['a chain of three with a link back', CHAIN],
  ['one area (the char RNN with a multiplier a)', ONE_AREA],
];

describe('AreasModel', () => {
  for (const [name, graph] of GRAPHS) {
    it(`computes the forward pass written out plainly (${name})`, () => {
      const model = smallAreas(3, 6, graph);
      expect(model.network.areas.map((a) => a.name)).to.deep.equal(graph.areas?.map((a) => a.name));
      const { symbols } = randomSymbols(3, 7, V);
      const h0 = model.network.areas.map((area) => [...area.state.toArray()]);
      const expected = plainLoss(model, symbols, h0);
      expect(model.evaluateLoss({ symbols })).to.be.closeTo(expected, 1e-12 * expected);
    });

    for (const T of [1, 4, 7])
      it(`computes gradients that match finite differences, multipliers of neurons and areas included (${name}, T=${T})`, () => {
        const seed = 10 + T;
        const model = smallAreas(seed, T, graph);
        const example = randomSymbols(seed, T + 1, V);
        const carried = model.growables.map((g) => g.saveState());
        model.trainStep(example);
        model.growables.forEach((g, i) => g.loadState(carried[i]));
        const result = checkGradients(parametersOf(model), () => model.evaluateLoss(example));
        expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
        expect(result.checked).to.equal(parametersOf(model).reduce((n, p) => n + p.length, 0));
      });
  }

  it('checks every gradient after areas and neurons were added and removed', () => {
    const model = smallAreas(21, 5, CHAIN);
    const { network } = model;
    addAndRemoveUnits(model);
    expect(network.areas.map((a) => a.name)).to.deep.equal(['a', 'c', 'b+3', 'b+4']);
    const example = randomSymbols(21, 6, V);
    const carried = model.growables.map((g) => g.saveState());
    model.trainStep(example);
    model.growables.forEach((g, i) => g.loadState(carried[i]));
    const result = checkGradients(parametersOf(model), () => model.evaluateLoss(example));
    expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
    expect(result.checked).to.equal(parametersOf(model).reduce((n, p) => n + p.length, 0));
  });

  it('carries each area’s state from one cycle to the next, leaves it alone when evaluating, and forgets it on reset', () => {
    const model = smallAreas(4, 5);
    const example = randomSymbols(4, 6, V);
    const first = model.evaluateLoss(example);
    expect(model.evaluateLoss(example)).to.equal(first);
    model.trainStep(example);
    const after = model.network.areas.map((a) => [...a.state.toArray()]);
    expect(after.map((s) => s.length)).to.deep.equal([3, 2]);
    expect(model.evaluateLoss(example)).to.not.equal(first);
    model.resetState();
    expect(model.network.areas.flatMap((a) => [...a.state.toArray()]).every((v) => v === 0)).to.equal(true);
  });
});

for (const [name, graph] of GRAPHS.slice(0, 2))
  growableModelConformance(`areas (${name})`, (seed) => ({ model: smallAreas(seed, 5, graph), example: randomSymbols(seed, 6, V) }));
