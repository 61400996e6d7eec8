import { expect } from 'chai';
import fc from 'fast-check';
import type { Parameter } from '@diffstruct/core';
import type { ResidualModel } from './residual-model.js';
import { CLASSES, randomBatch, smallResidual } from './test-support.js';

const snapshot = (model: ResidualModel) =>
  new Map(model.stack.blocks.map((b) => [b.id, b.parameters().map((p) => [p.value.toArray(), p.slot('test').toArray()])]));
const parametersOf = (model: ResidualModel): Set<Parameter> => new Set(model.layers.flatMap((l) => [...l.parameters()]));

describe('residual blocks as units', () => {
  it('keep layers, growables and multipliers consistent through any adds and removals (property)', () => {
    const op = fc.oneof(fc.record({ add: fc.double({ min: 0.01, max: 2, noNaN: true }) }), fc.record({ remove: fc.nat() }));
    fc.assert(
      fc.property(fc.nat(1000), fc.array(op, { maxLength: 25 }), (seed, ops) => {
        const model = smallResidual(seed, CLASSES, { maxBlocks: 8 });
        for (const p of parametersOf(model)) p.slot('test').fill(seed + 1);
        for (const [cycle, o] of ops.entries()) {
          const before = snapshot(model);
          const parametersBefore = parametersOf(model);
          if ('add' in o) {
            if (model.stack.size >= model.stack.maxSize) continue;
            const { unit, index } = model.stack.addUnit({ init: 'random', multiplier: o.add }, cycle);
            expect(model.stack.unitId(index)).to.equal(unit);
            expect(model.stack.multiplier(index)).to.equal(o.add);
            expect(model.stack.birthCycle(index)).to.equal(cycle);
          } else {
            if (model.stack.size === 0) continue;
            const index = o.remove % model.stack.size;
            const gone = model.stack.blocks[index];
            const [removed] = model.stack.removeUnits([index]);
            expect(removed.unit).to.equal(gone.unit);
            // No trace: its layer, its parameters and its width growable are gone.
            expect(model.layers.map((l) => l.id)).to.not.include(gone.id);
            expect(model.growables.map((g) => g.id)).to.not.include(gone.id);
            for (const p of gone.parameters()) expect(parametersOf(model).has(p)).to.equal(false);
            expect(Object.keys(removed.weights).sort()).to.deep.equal(['W', 'W2', 'b', 'm']);
          }
          const { blocks } = model.stack;
          expect(model.stack.multipliers.rows).to.equal(blocks.length);
          expect(model.layers.map((l) => l.id)).to.deep.equal(['input', ...blocks.map((b) => b.id), 'stack', 'output']);
          expect(model.growables.map((g) => g.id)).to.deep.equal([...blocks.map((b) => b.id), 'blocks']);
          expect(new Set(blocks.map((b) => b.unit)).size).to.equal(blocks.length);
          // The surviving blocks keep their weights and optimizer state exactly; only a new block's parameters are new.
          for (const b of blocks) {
            const old = before.get(b.id);
            if (old) expect(b.parameters().map((p) => [p.value.toArray(), p.slot('test').toArray()])).to.deep.equal(old);
            else for (const p of b.parameters()) expect(parametersBefore.has(p)).to.equal(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a block with g = 0 is the identity: adding or removing it leaves the outputs unchanged', () => {
    const model = smallResidual(3, CLASSES);
    const example = randomBatch(4, CLASSES);
    const before = model.evaluateLoss(example);
    const { index } = model.stack.addUnit({ init: 'random', multiplier: 0 }, 1);
    expect(model.evaluateLoss(example)).to.equal(before);
    model.stack.multipliers.value.data[index] = 0.05;
    const withNew = model.evaluateLoss(example);
    expect(withNew).to.not.equal(before);
    expect(Math.abs(withNew - before)).to.be.below(0.1 * before);
    model.stack.multipliers.value.data[index] = 0;
    model.stack.removeUnits([index]);
    expect(model.evaluateLoss(example)).to.equal(before);
  });

  it('removing a block changes nothing in the others: the loss is that of the model built without it', () => {
    const model = smallResidual(5, CLASSES, { blocks: 3 });
    const example = randomBatch(6, CLASSES);
    const g = model.stack.multipliers.value.data;
    const [a, , c] = [g[0], g[1], g[2]];
    g[1] = 0;
    const withZero = model.evaluateLoss(example);
    model.stack.removeUnits([1]);
    expect([...model.stack.multipliers.value.toArray()]).to.deep.equal([a, c]);
    expect(model.evaluateLoss(example)).to.equal(withZero);
  });

  it("L1 on a block's neurons counts as many times as its g, which follows the block when others are removed", () => {
    const model = smallResidual(9, CLASSES, { blocks: 3 });
    const g = model.stack.multipliers.value.data;
    g.set([0.5, 0.025, 2]);
    const [first, second, third] = model.stack.blocks.map((b) => b.population);
    expect([first?.l1Steps, second?.l1Steps, third?.l1Steps]).to.deep.equal([0.5, 0.025, 2]);
    model.stack.removeUnits([0]);
    g[1] = 3;
    expect([second?.l1Steps, third?.l1Steps]).to.deep.equal([0.025, 3]);
  });

  it('the neurons of a block added at a cycle are born at that cycle, those of the first blocks at 0', () => {
    const model = smallResidual(4, CLASSES, { blocks: 1 });
    model.stack.addUnit({ init: 'random', multiplier: 0.05 }, 500);
    const births = model.stack.blocks.map((b) => Array.from({ length: b.population!.size }, (_, i) => b.population!.birthCycle(i)));
    expect(births).to.deep.equal([
      [0, 0],
      [500, 500],
    ]);
  });

  it("a new block inherits a removed block's weights when it is given them", () => {
    const model = smallResidual(7, CLASSES);
    const [removed] = model.stack.removeUnits([0]);
    const { index } = model.stack.addUnit({ init: 'inherited', multiplier: 0.05, weights: removed.weights, inheritedFrom: removed.unit }, 3);
    const block = model.stack.blocks[index];
    for (const p of block.parameters()) expect([...p.value.toArray()]).to.deep.equal([...removed.weights[p.name]]);
  });
});
