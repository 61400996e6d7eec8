import { expect } from 'chai';
import fc from 'fast-check';
import type { Parameter } from '@diffstruct/core';
import type { CharRnnModel } from './char-rnn-model.js';
import type { RnnLinks } from './rnn-kernel.js';
import { randomSymbols, smallModel, V } from './test-support.js';

const parametersOf = (model: CharRnnModel): Parameter[] => model.layers.flatMap((l) => [...l.parameters()]);

function expectedShapes(N: number, links: RnnLinks): Record<string, [number, number]> {
  const square: [number, number] = [N, N];
  const recurrent: Record<string, [number, number]> = {
    additive: { Whh: square },
    modulatory: { Mhh: square },
    learned: { Whh: square, Mhh: square, mix: [N, 1] as [number, number] },
  }[links];
  return { Wxh: [N, V], ...recurrent, bh: [N, 1], m: [N, 1], Why: [V, N], by: [V, 1] };
}

/** Marks every entry that belongs to unit `unit` (its rows/columns) with a value derived from the unit id. */
function unitEntries(model: CharRnnModel, index: number): { parameter: Parameter; at: number }[] {
  const entries: { parameter: Parameter; at: number }[] = [];
  for (const p of parametersOf(model)) {
    const { rows, cols } = p.value;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const ownsRow = ['Wxh', 'Whh', 'Mhh', 'bh', 'm', 'mix'].includes(p.name) && r === index;
        const ownsColumn = ['Whh', 'Mhh', 'Why'].includes(p.name) && c === index;
        if (ownsRow || ownsColumn) entries.push({ parameter: p, at: r * cols + c });
      }
    }
  }
  return entries;
}

type Op = { add: true } | { add: false; picks: number[] };
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ add: true }),
  fc.record({ add: fc.constant(false as const), picks: fc.array(fc.nat(30), { minLength: 1, maxLength: 3 }) }),
);

describe('CharRnnModel growth', () => {
  for (const [batch, links] of [
    [1, 'additive'],
    [3, 'additive'],
    [1, 'modulatory'],
    [2, 'learned'],
  ] as const)
    it(`keeps every array shaped N-consistently, and optimizer state and hidden state (N × ${batch}) with their units, after any adds and removals (${links} links)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.array(opArbitrary, { maxLength: 25 }), (N0, ops) => {
          const model = smallModel(N0, N0, 3, links === 'additive' ? { batch } : { batch, links, kernel: 'reference' });
          // Window w's state of a unit: its id + w / 10.
          const stampState = (index: number, unit: number) => {
            for (let w = 0; w < batch; w++) model.hiddenLayer.state.data[index * batch + w] = unit + w / 10;
          };
          const [g] = model.growables;
          // Stamp: slot = 3 × value, hidden state = unit id, so every entry can be traced after moves.
          const stamp = () => {
            for (const p of parametersOf(model)) {
              const slot = p.slot('memory');
              for (let i = 0; i < p.length; i++) slot.data[i] = 3 * p.value.data[i];
            }
          };
          for (let i = 0; i < g.size; i++) stampState(i, g.unitId(i));
          stamp();
          let cycle = 0;
          for (const op of ops) {
            cycle++;
            if (op.add) {
              const { unit, index } = g.addUnit({ init: 'random', multiplier: 0.05 }, cycle);
              for (let w = 0; w < batch; w++) expect(model.hiddenLayer.state.data[index * batch + w]).to.equal(0);
              stampState(index, unit);
              expect(g.birthCycle(index)).to.equal(cycle);
              for (const { parameter, at } of unitEntries(model, index)) expect(parameter.slot('memory').data[at]).to.equal(0);
              stamp();
            } else if (g.size > 1) {
              const indices = [...new Set(op.picks.map((p) => p % g.size))].slice(0, g.size - 1);
              const gone = indices.map((i) => g.unitId(i));
              const removed = g.removeUnits(indices);
              expect(removed.map((r) => r.unit)).to.deep.equal(gone);
              for (let i = 0; i < g.size; i++) expect(gone).to.not.include(g.unitId(i));
            }
            const N = g.size;
            expect(parametersOf(model).map((p) => p.name)).to.have.members(Object.keys(expectedShapes(N, links)));
            for (const p of parametersOf(model)) {
              const shape = expectedShapes(N, links)[p.name];
              expect([p.value.rows, p.value.cols], p.name).to.deep.equal(shape);
              expect([p.grad.rows, p.grad.cols]).to.deep.equal(shape);
              expect([p.slot('memory').rows, p.slot('memory').cols]).to.deep.equal(shape);
              for (let i = 0; i < p.length; i++) expect(p.slot('memory').data[i]).to.equal(3 * p.value.data[i]);
            }
            expect([model.hiddenLayer.state.rows, model.hiddenLayer.state.cols]).to.deep.equal([N, batch]);
            for (let i = 0; i < N; i++) for (let w = 0; w < batch; w++) expect(model.hiddenLayer.state.data[i * batch + w]).to.equal(g.unitId(i) + w / 10);
          }
        }),
        { numRuns: 150 },
      );
    });

  it("hands back a removed unit's weights, and leaves none of them behind", () => {
    const model = smallModel(3, 4, 3);
    const [g] = model.growables;
    const before = new Map(parametersOf(model).map((p) => [p.name, p.value.toArray()]));
    const owned = unitEntries(model, 2).map(({ parameter, at }) => parameter.value.data[at]);
    const [removed] = g.removeUnits([2]);
    expect([...removed.weights['Wxh:row']]).to.deep.equal([...before.get('Wxh')!.slice(8, 12)]);
    expect([...removed.weights['Why:column']]).to.deep.equal([0, 1, 2, 3].map((v) => before.get('Why')![v * 4 + 2]));
    expect(removed.multiplier).to.equal(before.get('m')![2]);
    const remaining = new Set(parametersOf(model).flatMap((p) => [...p.value.toArray()]));
    for (const v of owned) expect(remaining.has(v), `value ${v} of the removed unit`).to.equal(false);
  });

  it('leaves the forward pass of the other units exactly unchanged when removing a unit with zero outgoing weights', () => {
    for (let seed = 1; seed <= 5; seed++) {
      // The reference kernel sums in unit order, so a zero term leaves sums bit-identical; the SIMD
      // kernels regroup sums by lanes when N changes and agree only to rounding (simd-kernel.spec).
      const model = smallModel(seed, 5, 6, { kernel: 'reference' });
      const k = seed % 5;
      const Whh = model.hiddenLayer.Whh!.value;
      for (let i = 0; i < 5; i++) if (i !== k) Whh.set(i, k, 0);
      const Why = model.layers[1].parameters()[0].value;
      for (let v = 0; v < V; v++) Why.set(v, k, 0);
      const example = randomSymbols(seed, 7);
      const before = model.evaluateLoss(example);
      model.growables[0].removeUnits([k]);
      expect(model.evaluateLoss(example)).to.equal(before);
    }
  });

  it('starts added units at the given multiplier with zero bias, fresh weights and zero optimizer state', () => {
    const model = smallModel(4, 2, 3);
    for (const p of parametersOf(model)) p.slot('adagrad').fill(1);
    const { index } = model.growables[0].addUnit({ init: 'random', multiplier: 0.05 }, 7);
    expect(model.growables[0].multiplier(index)).to.equal(0.05);
    expect(model.hiddenLayer.bh.value.get(index, 0)).to.equal(0);
    expect(model.hiddenLayer.Wxh.value.get(index, 0)).to.not.equal(0);
    expect(model.hiddenLayer.Whh!.value.get(0, index)).to.not.equal(0);
    expect(model.hiddenLayer.Wxh.slot('adagrad').get(index, 1)).to.equal(0);
    expect(model.hiddenLayer.Wxh.slot('adagrad').get(0, 1)).to.equal(1);
  });

  it('takes inherited weights where given, re-aligning recurrent weights by unit id', () => {
    const model = smallModel(5, 4, 3);
    const [g] = model.growables;
    const Whh = model.hiddenLayer.Whh!.value;
    const before = (from: number, to: number) => Whh.get(to, from); // weight from unit id `from` into unit id `to` (ids = initial indices)
    const saved = { self: before(1, 1), from0: before(0, 1), into3: before(1, 3) };
    const [removed] = g.removeUnits([1]); // ids now 0, 2, 3
    g.removeUnits([0]); // ids now 2, 3: unit 0 is gone too
    const { index } = g.addUnit({ init: 'inherited', multiplier: 0.05, weights: removed.weights, inheritedFrom: removed.unit }, 9);
    expect(index).to.equal(2);
    expect([...model.hiddenLayer.Wxh.value.toArray().slice(index * V, index * V + V)]).to.deep.equal([...removed.weights['Wxh:row']]);
    expect(Whh.get(index, index)).to.equal(saved.self);
    expect(Whh.get(1, index)).to.equal(saved.into3); // into unit id 3, now at index 1
    expect(Whh.get(index, 0)).to.not.equal(saved.from0); // from unit 0, which no longer exists: drawn afresh
    expect(Number.isNaN(Whh.get(index, 0))).to.equal(false);
  });
});
