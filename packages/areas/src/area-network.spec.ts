import { expect } from 'chai';
import fc from 'fast-check';
import type { Parameter } from '@diffstruct/core';
import { randomSymbols } from '@diffstruct/layers/testing';
import { roles } from './area-network.js';
import type { AreasModel } from './areas-model.js';
import { CHAIN, smallAreas, TWO_AREAS, V } from './test-support.js';

const parametersOf = (model: AreasModel): Set<Parameter> => new Set(model.layers.flatMap((l) => [...l.parameters()]));
const snapshot = (model: AreasModel) =>
  new Map(model.network.areas.map((a) => [a.name, a.parameters().map((p) => [p.name, p.value.toArray(), p.slot('test').toArray()] as const)]));

/** Every area's parameters shaped by its size and its neighbours', and links only between live areas. */
function expectConsistent(model: AreasModel): void {
  const { areas, links } = model.network;
  for (const area of areas) {
    const N = area.size;
    expect(area.population.size, area.id).to.equal(N);
    expect([area.Whh.rows, area.Whh.cols, area.b.rows, area.m.rows, area.state.rows]).to.deep.equal([N, N, N, N, N]);
    if (area.Wx) expect([area.Wx.rows, area.Wx.cols]).to.deep.equal([N, V]);
    if (area.Wy) expect([area.Wy.rows, area.Wy.cols]).to.deep.equal([V, N]);
    for (const link of area.incoming) expect([link.W.rows, link.W.cols], link.W.name).to.deep.equal([N, link.from.size]);
  }
  for (const link of links) expect(areas).to.include(link.from).and.to.include(link.to);
  expect(model.network.multipliers.rows).to.equal(areas.length);
  expect(model.layers.map((l) => l.id)).to.deep.equal([...areas.map((a) => a.id), 'areas', 'output']);
  expect(model.growables.map((g) => g.id)).to.deep.equal([...areas.map((a) => a.id), 'areas']);
  expect(new Set(areas.map((a) => a.unit)).size).to.equal(areas.length);
}

describe('areas as units', () => {
  it('keep areas, links, layers, growables and optimizer state consistent through any adds and removals of areas and neurons (property)', () => {
    const op = fc.oneof(
      fc.record({ addArea: fc.double({ min: 0.01, max: 2, noNaN: true }) }),
      fc.record({ removeArea: fc.nat() }),
      fc.record({ addNeuron: fc.nat() }),
      fc.record({ removeNeuron: fc.nat(), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.nat(1000), fc.array(op, { maxLength: 25 }), (seed, ops) => {
        const model = smallAreas(seed, 3, CHAIN);
        const { network } = model;
        for (const p of parametersOf(model)) p.slot('test').fill(seed + 1);
        for (const [cycle, o] of ops.entries()) {
          const before = snapshot(model);
          const parametersBefore = parametersOf(model);
          if ('addArea' in o) {
            if (network.size >= network.maxSize) continue;
            const { unit, index } = network.addUnit({ init: 'random', multiplier: o.addArea }, cycle);
            expect([network.unitId(index), network.multiplier(index), network.birthCycle(index)]).to.deep.equal([unit, o.addArea, cycle]);
            expect(network.areas[index].name).to.equal(`b+${unit}`);
          } else if ('removeArea' in o) {
            if (network.size === 0) continue;
            const index = o.removeArea % network.size;
            const gone = network.areas[index];
            const [removed] = network.removeUnits([index]);
            expect(removed.unit).to.equal(gone.unit);
            // No trace: its layer, its growable, its parameters and every link into or out of it are gone.
            expect(model.layers.map((l) => l.id)).to.not.include(gone.id);
            expect(model.growables.map((g) => g.id)).to.not.include(gone.id);
            for (const p of gone.parameters()) expect(parametersOf(model).has(p)).to.equal(false);
            for (const link of network.links) expect([link.from.name, link.to.name]).to.not.include(gone.name);
            for (const area of network.areas) for (const link of area.incoming) expect(link.W.name.split('->')).to.not.include(gone.name);
          } else {
            const areas = network.areas;
            if (!areas.length) continue;
            const area = areas[('addNeuron' in o ? o.addNeuron : o.removeNeuron) % areas.length];
            if ('addNeuron' in o) {
              if (area.size < area.population.maxSize) area.population.addUnit({ init: 'random', multiplier: 0.05 }, cycle);
            } else if (area.size > 1) area.population.removeUnits([o.at % area.size]);
          }
          expectConsistent(model);
          // An area's change leaves the other areas' weights and optimizer state exactly as they were (its own links aside).
          if ('addArea' in o || 'removeArea' in o) {
            const added = new Set(network.areas.filter((a) => !before.has(a.name)).map((a) => a.name));
            const changed = new Set(network.links.filter((l) => added.has(l.from.name)).map((l) => l.W.name));
            for (const area of network.areas) {
              const old = before.get(area.name);
              if (!old) {
                for (const p of area.parameters()) expect(parametersBefore.has(p)).to.equal(false);
                continue;
              }
              const kept = area.parameters().map((p) => [p.name, p.value.toArray(), p.slot('test').toArray()] as const);
              expect(kept.filter(([name]) => !changed.has(name))).to.deep.equal(old.filter(([name]) => kept.some(([k]) => k === name)));
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('wires an added area as its template: same sources and targets, the template’s neurons, fresh weights, no optimizer state', () => {
    const model = smallAreas(5, 4, CHAIN);
    for (const p of parametersOf(model)) p.slot('adagrad').fill(1);
    const { index } = model.network.addUnit({ init: 'random', multiplier: 0.05 }, 9);
    const added = model.network.areas[index];
    expect(added.name).to.equal('b+3');
    expect(added.size).to.equal(3);
    expect([added.Wx, added.Wy]).to.deep.equal([undefined, undefined]);
    expect(added.incoming.map((l) => l.from.name)).to.deep.equal(['a']);
    expect(added.outgoing.map((l) => l.to.name)).to.deep.equal(['c']);
    expect(added.m.value.toArray().every((m) => m === 1)).to.equal(true);
    for (const p of added.parameters()) {
      if (p.name !== 'b' && p.name !== 'm') expect(p.value.toArray().some((w) => w !== 0)).to.equal(true);
      expect(
        p
          .slot('adagrad')
          .toArray()
          .every((s) => s === 0),
      ).to.equal(true);
    }
    // The template's own links keep their optimizer state.
    expect(
      model.network.areas[1].incoming[0].W.slot('adagrad')
        .toArray()
        .every((s) => s === 1),
    ).to.equal(true);
    expect(model.growables.map((g) => g.id)).to.deep.equal(['area:a', 'area:b', 'area:c', 'area:b+3', 'areas']);
  });

  it('leaves out a link of the template to an area that is gone', () => {
    const model = smallAreas(6, 4, CHAIN);
    model.network.removeUnits([2]);
    const { index } = model.network.addUnit({ init: 'random', multiplier: 0.05 }, 1);
    const added = model.network.areas[index];
    expect(added.incoming.map((l) => l.from.name)).to.deep.equal(['a']);
    expect(added.outgoing).to.deep.equal([]);
  });

  it('an area at a = 0 sends nothing: adding it, or removing it, leaves the loss bit for bit unchanged', () => {
    const model = smallAreas(7, 6, CHAIN);
    const example = randomSymbols(7, 7, V);
    const before = model.evaluateLoss(example);
    const { index } = model.network.addUnit({ init: 'random', multiplier: 0 }, 1);
    expect(model.evaluateLoss(example)).to.equal(before);
    model.network.multipliers.value.data[index] = 0.05;
    const withNew = model.evaluateLoss(example);
    expect(withNew).to.not.equal(before);
    expect(Math.abs(withNew - before)).to.be.below(0.05 * before);
    model.network.multipliers.value.data[index] = 0;
    model.network.removeUnits([index]);
    expect(model.evaluateLoss(example)).to.equal(before);
  });

  it('removing an area changes nothing in the others: the loss is that of the network with its a at 0', () => {
    const model = smallAreas(8, 6, CHAIN);
    const example = randomSymbols(8, 7, V);
    const a = model.network.multipliers.value.data;
    const [first, , third] = [a[0], a[1], a[2]];
    a[1] = 0;
    const withZero = model.evaluateLoss(example);
    model.network.removeUnits([1]);
    expect([...model.network.multipliers.value.toArray()]).to.deep.equal([first, third]);
    expect(model.evaluateLoss(example)).to.equal(withZero);
  });

  it('a neuron at m = 0 whose recurrent column is 0 changes nothing: adding or removing it leaves the loss bit for bit unchanged', () => {
    const model = smallAreas(9, 6, CHAIN);
    const example = randomSymbols(9, 7, V);
    const before = model.evaluateLoss(example);
    const b = model.network.areas[1];
    const { index } = b.population.addUnit({ init: 'random', multiplier: 0 }, 1);
    for (let i = 0; i < b.size; i++) if (i !== index) b.Whh.value.set(i, index, 0);
    expect(model.evaluateLoss(example)).to.equal(before);
    b.population.removeUnits([index]);
    expect(model.evaluateLoss(example)).to.equal(before);
  });

  it("L1 on an area's neurons counts T · |a| times, and follows the area when others are removed", () => {
    const model = smallAreas(10, 5, CHAIN);
    model.network.multipliers.value.data.set([0.5, 0.025, 2]);
    const [a, b, c] = model.network.areas.map((area) => area.population);
    expect([a.l1Steps, b.l1Steps, c.l1Steps]).to.deep.equal([2.5, 0.125, 10]);
    expect(model.network.l1Steps).to.equal(5);
    model.network.removeUnits([0]);
    model.network.multipliers.value.data[1] = 3;
    expect([model.growables[0].l1Steps, model.growables[1].l1Steps]).to.deep.equal([0.125, 15]);
  });

  it("a new area inherits a removed area's weights where their shapes fit, links by the areas they join", () => {
    const model = smallAreas(11, 4, CHAIN);
    const [removed] = model.network.removeUnits([1]);
    expect(
      Object.keys(removed.weights)
        .filter((k) => !k.includes('$'))
        .sort(),
    ).to.deep.equal(['Whh', 'b', 'from:a', 'm', 'to:c']);
    const { index } = model.network.addUnit({ init: 'inherited', multiplier: 0.05, weights: removed.weights, inheritedFrom: removed.unit }, 3);
    for (const { key, parameter } of roles(model.network.areas[index], model.network.links))
      expect([...parameter.value.toArray()], key).to.deep.equal([...removed.weights[key]]);
  });

  it("a new area takes a removed area's links by the other area's neurons, matched by id, and starts at the removed area's width", () => {
    const model = smallAreas(14, 4, TWO_AREAS);
    const { network } = model;
    const memory = network.areas[1];
    memory.population.addUnit({ init: 'random', multiplier: 0.3 }, 1);
    const [removed] = network.removeUnits([1]);
    // sensory's neuron 0 goes and a neuron 3 comes: sensory is [1, 2, 3] where memory saw [0, 1, 2].
    const sensory = network.areas[0];
    sensory.population.removeUnits([0]);
    sensory.population.addUnit({ init: 'random', multiplier: 0.3 }, 2);
    expect(sensory.neuronIds()).to.deep.equal([1, 2, 3]);
    const { index } = network.addUnit({ init: 'inherited', multiplier: 0.05, weights: removed.weights, inheritedFrom: removed.unit }, 3);
    const added = network.areas[index];
    expect(added.size, 'the width memory had, not the template’s 2').to.equal(3);
    for (const key of ['Whh', 'b', 'm', 'Wy']) expect([...(added[key as 'Whh'] as Parameter).value.toArray()], key).to.deep.equal([...removed.weights[key]]);
    const savedMatrix = (key: string) => {
      const [rows, cols] = removed.weights[`${key}$shape`];
      return Array.from({ length: rows }, (_, r) => [...removed.weights[key].subarray(r * cols, (r + 1) * cols)]);
    };
    const [fromSensory] = added.incoming;
    const [toSensory] = added.outgoing;
    const into = savedMatrix('from:sensory'); // 3 × 3: memory's neurons × sensory's [0, 1, 2]
    const out = savedMatrix('to:sensory'); // 3 × 3: sensory's [0, 1, 2] × memory's neurons
    for (let r = 0; r < 3; r++) {
      // sensory's neurons 1 and 2 (now at 0 and 1) keep their weights; neuron 3 (at 2) has fresh ones, not neuron 0's.
      expect([fromSensory.W.value.get(r, 0), fromSensory.W.value.get(r, 1)]).to.deep.equal([into[r][1], into[r][2]]);
      expect(fromSensory.W.value.get(r, 2)).to.not.equal(into[r][0]);
    }
    expect([out[1], out[2]]).to.deep.equal([0, 1].map((r) => [0, 1, 2].map((c) => toSensory.W.value.get(r, c))));
    expect([0, 1, 2].map((c) => toSensory.W.value.get(2, c))).to.not.deep.equal(out[0]);
  });

  it("takes no link whose shape differs along the area's own neurons, even when its length fits", () => {
    const model = smallAreas(15, 4, TWO_AREAS);
    const { network } = model;
    const [removed] = network.removeUnits([1]);
    // memory (2 neurons) read sensory's 3 through a 2 × 3 link; doctored to a 1 × 6 one of the same length.
    const doctored = { ...removed.weights, 'from:sensory$shape': Float64Array.of(1, 6), 'from:sensory$neurons': Float64Array.of(0, 1, 2, 3, 4, 5) };
    const { index } = network.addUnit({ init: 'inherited', multiplier: 0.05, weights: doctored, inheritedFrom: removed.unit }, 3);
    const [fromSensory] = network.areas[index].incoming;
    expect([fromSensory.W.rows, fromSensory.W.cols]).to.deep.equal([2, 3]);
    expect([...fromSensory.W.value.toArray()].some((w, i) => w === removed.weights['from:sensory'][i])).to.equal(false);
  });

  it('gives the neurons of an area added at cycle C the birth cycle C', () => {
    const model = smallAreas(16, 4, TWO_AREAS);
    const { index } = model.network.addUnit({ init: 'random', multiplier: 0.05 }, 5000);
    const added = model.network.areas[index].population;
    expect(Array.from({ length: added.size }, (_, i) => added.birthCycle(i))).to.deep.equal([5000, 5000]);
    added.addUnit({ init: 'random', multiplier: 0.05 }, 5001);
    model.network.removeUnits([0]);
    expect(
      Array.from({ length: added.size }, (_, i) => added.birthCycle(i)),
      'kept when the links around it change',
    ).to.deep.equal([5000, 5000, 5001]);
    expect(model.network.areas[0].population.birthCycle(0)).to.equal(0);
  });

  it("hands back a removed neuron's column of each link out of its area apart, and a new neuron takes each back", () => {
    const model = smallAreas(13, 4, {
      areas: [
        { name: 'hub', hidden: 3 },
        { name: 'x', hidden: 2 },
        { name: 'y', hidden: 4 },
      ],
      links: [
        { from: 'input', to: 'hub' },
        { from: 'hub', to: 'x' },
        { from: 'hub', to: 'y' },
        { from: 'x', to: 'output' },
        { from: 'y', to: 'output' },
      ],
      areaTemplate: 'x',
    });
    const [hub, x, y] = model.network.areas;
    const column = (W: Parameter, c: number) => Array.from({ length: W.rows }, (_, r) => W.value.get(r, c));
    const [toX, toY] = [column(x.incoming[0].W, 1), column(y.incoming[0].W, 1)];
    const [removed] = hub.population.removeUnits([1]);
    expect([...removed.weights['hub->x:column']]).to.deep.equal(toX);
    expect([...removed.weights['hub->y:column']]).to.deep.equal(toY);
    const { index } = hub.population.addUnit({ init: 'inherited', multiplier: 0.05, weights: removed.weights, inheritedFrom: removed.unit }, 2);
    expect([column(x.incoming[0].W, index), column(y.incoming[0].W, index)]).to.deep.equal([toX, toY]);
  });

  it("a neuron takes back a link's entries by the other area's neurons, matched by id, when those changed in between", () => {
    const model = smallAreas(17, 4, TWO_AREAS);
    const [sensory, memory] = model.network.areas;
    const intoMemory = memory.incoming[0].W; // sensory → memory: memory's neurons × sensory's
    const column = (c: number) => Array.from({ length: intoMemory.rows }, (_, r) => intoMemory.value.get(r, c));
    const row = (r: number) => Array.from({ length: intoMemory.cols }, (_, c) => intoMemory.value.get(r, c));
    // sensory's neuron 1 sends a column of the link; memory's neuron 0 then goes and neuron 2 comes.
    const sent = column(1);
    const [gone] = sensory.population.removeUnits([1]);
    memory.population.removeUnits([0]);
    memory.population.addUnit({ init: 'random', multiplier: 0.3 }, 1);
    expect(memory.neuronIds()).to.deep.equal([1, 2]);
    const { index } = sensory.population.addUnit({ init: 'inherited', multiplier: 0.05, weights: gone.weights, inheritedFrom: gone.unit }, 2);
    expect(column(index)[0], "memory's neuron 1 keeps its entry").to.equal(sent[1]);
    expect(column(index)[1], "memory's new neuron 2 does not take neuron 0's").to.not.equal(sent[0]);
    // And a row of the link: memory's neuron 1 reads sensory's [0, 2, 3] after it read [0, 1, 2].
    const read = row(0);
    const [memoryGone] = memory.population.removeUnits([0]);
    expect(sensory.neuronIds()).to.deep.equal([0, 2, 3]);
    const back = memory.population.addUnit({ init: 'inherited', multiplier: 0.05, weights: memoryGone.weights, inheritedFrom: memoryGone.unit }, 3);
    expect(row(back.index).slice(0, 2)).to.deep.equal([read[0], read[1]]);
  });

  it('lets no area go whose deletion leaves an area, or an area added from the template, off every path from input to output', () => {
    const two = smallAreas(18, 3, TWO_AREAS).network;
    // sensory alone reads the symbol; memory may go.
    expect([two.removable([0]), two.removable([1]), two.removable([1, 0])]).to.deep.equal([[], [1], [1]]);
    const chain = smallAreas(19, 3, CHAIN).network;
    // a alone reads the symbol, c alone feeds the softmax, and a reaches c only through b ...
    expect([chain.removable([0]), chain.removable([1]), chain.removable([2])]).to.deep.equal([[], [], []]);
    // ... until an area wired as b is added: then either b may go, not both.
    chain.addUnit({ init: 'random', multiplier: 0.05 }, 1);
    expect([chain.removable([1]), chain.removable([3]), chain.removable([3, 1])]).to.deep.equal([[1], [3], [3]]);
    // A source of the template stays while an added area would read only it: a, through which
    // t alone would be reached, after t itself went (with c, the other path, still there).
    const network = smallAreas(20, 3, {
      areas: [
        { name: 'a', hidden: 2 },
        { name: 'c', hidden: 2 },
        { name: 't', hidden: 2 },
      ],
      links: [
        { from: 'input', to: 'a' },
        { from: 'a', to: 't' },
        { from: 'a', to: 'output' },
        { from: 't', to: 'output' },
        { from: 'input', to: 'c' },
        { from: 'c', to: 'output' },
      ],
      areaTemplate: 't',
    }).network;
    expect(network.removable([0])).to.deep.equal([]);
    network.removeUnits(network.removable([2]));
    expect(network.areas.map((area) => area.name)).to.deep.equal(['a', 'c']);
    expect([network.removable([0]), network.removable([1])]).to.deep.equal([[], [1]]);
  });

  it('refuses a saved structure it could not build, saying what is wrong, and changes nothing then', () => {
    const model = smallAreas(21, 3, TWO_AREAS);
    const saved = model.network.saveStructure() as { units: number[]; names: string[]; widths: number[]; links: string[][] };
    expect(saved).to.deep.equal({ units: [0, 1], names: ['sensory', 'memory'], widths: [3, 2], links: TWO_AREAS.links.map((l) => [l.from, l.to]) });
    const doctored: [Partial<typeof saved>, string][] = [
      [{ widths: [3, 9] }, 'area memory has 9 neurons, but maxHidden is 8'],
      [{ widths: [3, 0] }, 'area memory has 0 neurons, but maxHidden is 8'],
      [{ names: ['sensory', 'sensory'] }, 'area name sensory appears twice'],
      [{ names: ['sensory', 'input'] }, 'area name "input" is not a name an area may have'],
      [{ units: [0, 0] }, 'unit id 0 appears twice'],
      [
        { units: [0, 1, 2, 3, 4, 5, 6], names: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], widths: [1, 1, 1, 1, 1, 1, 1] },
        '7 areas, but the model has room for 1 to 6',
      ],
      [
        { links: [...saved.links, ['sensory', 'gone']] },
        'link ["sensory","gone"] does not join two of the areas sensory, memory (or input to one, or one to output)',
      ],
      [{ links: [...saved.links, ['memory', 'memory']] }, 'link ["memory","memory"] does not join'],
    ];
    for (const [change, message] of doctored)
      expect(() => model.network.loadStructure({ ...saved, ...change }), message).to.throw(`saved state of areas: ${message}`);
    expect(model.network.areas.map((a) => [a.name, a.size])).to.deep.equal([
      ['sensory', 3],
      ['memory', 2],
    ]);
  });

  it('keeps neuron ids and birth cycles of the other areas when an area comes or goes', () => {
    const model = smallAreas(12, 4, CHAIN);
    const c = model.network.areas[2];
    c.population.addUnit({ init: 'random', multiplier: 0.1 }, 7);
    c.population.removeUnits([0]);
    const ids = () => Array.from({ length: c.size }, (_, i) => [c.population.unitId(i), c.population.birthCycle(i)]);
    const before = ids();
    model.network.addUnit({ init: 'random', multiplier: 0.05 }, 8);
    model.network.removeUnits([0]);
    expect(ids()).to.deep.equal(before);
    expect(c.population.addUnit({ init: 'random', multiplier: 0.1 }, 9).unit).to.equal(3);
  });
});
