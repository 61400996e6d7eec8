import { expect } from 'chai';
import { type Model, RandomStream, type TableExample } from '@diffstruct/core';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { NeuronLayer } from './neuron-layer.js';
import { ResidualBlock } from './residual-block.js';
import { CLASSES, randomBatch, smallFeedforward, smallResidual, VALUES } from './test-support.js';

function expectGradientsMatch(model: Model<TableExample>, example: TableExample): number {
  model.trainStep(example);
  const parameters = model.layers.flatMap((l) => [...l.parameters()]);
  const result = checkGradients(parameters, () => model.evaluateLoss(example));
  expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
  return result.checked;
}

/** A weighted sum of the outputs, so every output entry has its own gradient. */
function probe(seed: number, length: number): Float64Array {
  const r = new RandomStream(seed, 'probe');
  return Float64Array.from({ length }, () => r.normal());
}

describe('feedforward gradients match finite differences', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`a dense layer with neuron multipliers (${activation})`, () => {
      const layer = new NeuronLayer(
        'dense',
        3,
        4,
        { activation, multipliers: true, initialMultiplier: 0.7, initScale: 1, capacity: 4 },
        new RandomStream(1, 'init'),
      );
      const x = randomBatch(2, CLASSES, 6).inputs;
      const weights = probe(3, 6 * 4);
      const loss = () => layer.forward(x, 6).reduce((sum, v, i) => sum + (i < 24 ? v * weights[i] : 0), 0);
      loss();
      const dx = new Float64Array(6 * 3);
      layer.backward(x, 6, weights, dx);
      const result = checkGradients(layer.parameters(), loss);
      expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
      expect(result.checked).to.equal(4 * 3 + 4 + 4);
    });
  }

  it('a residual block with its multiplier g, inputs included', () => {
    const block = new ResidualBlock(
      'block0',
      0,
      3,
      2,
      { activation: 'tanh', multipliers: true, growWidth: true, maxWidth: 4, initialMultiplier: 0.8, initScale: 1, capacity: 4 },
      new RandomStream(4, 'init'),
    );
    const s = randomBatch(5, CLASSES, 4).inputs;
    const weights = probe(6, 4 * 3);
    let g = 0.37;
    const out = new Float64Array(12);
    const loss = () => {
      block.forward(s, 4, g, out);
      return out.reduce((sum, v, i) => sum + v * weights[i], 0);
    };
    loss();
    const dS = new Float64Array(12);
    const dg = block.backward(s, 4, g, weights, dS);
    const result = checkGradients(block.parameters(), loss);
    expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
    const step = 1e-6;
    g += step;
    const up = loss();
    g -= 2 * step;
    const down = loss();
    g += step;
    expect(dg).to.be.closeTo((up - down) / (2 * step), 1e-6 * Math.max(1, Math.abs(dg)));
    for (const i of [0, 5, 11]) {
      const saved = s[i];
      s[i] = saved + step;
      const u = loss();
      s[i] = saved - step;
      const d = loss();
      s[i] = saved;
      expect(dS[i]).to.be.closeTo((u - d) / (2 * step), 1e-6);
    }
  });

  for (const [name, shape] of [
    ['cross-entropy', CLASSES],
    ['squared error', VALUES],
  ] as const) {
    it(`the whole feedforward model (${name})`, () => {
      expect(expectGradientsMatch(smallFeedforward(7, shape), randomBatch(8, shape))).to.equal(
        3 * 3 + 3 + 3 + (2 * 3 + 2 + 2) + shape.outputSize * 2 + shape.outputSize,
      );
    });
    it(`the whole residual model (${name}), widths growing or not`, () => {
      expectGradientsMatch(smallResidual(9, shape), randomBatch(10, shape));
      expectGradientsMatch(smallResidual(11, shape, { growWidth: false, activation: 'relu' }), randomBatch(12, shape));
    });
    it(`both models on the reference kernel (${name})`, () => {
      expectGradientsMatch(smallFeedforward(15, shape, { kernel: 'reference', activation: 'relu' }), randomBatch(16, shape));
      expectGradientsMatch(smallResidual(17, shape, { kernel: 'reference' }), randomBatch(18, shape));
    });
  }

  it('the residual model after blocks are added and removed', () => {
    const model = smallResidual(13, CLASSES);
    model.stack.addUnit({ init: 'random', multiplier: 0.4 }, 1);
    model.stack.addUnit({ init: 'random', multiplier: 0.6 }, 2);
    model.stack.removeUnits([1]);
    model.growables[0].addUnit({ init: 'random', multiplier: 0.5 }, 3);
    expect(model.stack.size).to.equal(3);
    expectGradientsMatch(model, randomBatch(14, CLASSES));
  });
});

describe('the dense kernels inside the models', () => {
  /** Every gradient after a step on `example`, in one array. */
  const gradientsAfterStep = (model: Model<TableExample>, example: TableExample) => {
    const loss = model.trainStep(example);
    return [loss, ...model.layers.flatMap((l) => l.parameters().flatMap((p) => [...p.grad.data.subarray(0, p.length)]))];
  };
  // Wide enough that the SIMD tiles (two rows, four outputs or features) are used, odd enough for their tails.
  const shape = { ...CLASSES, inputSize: 11 };
  it("simd-f64 gives the reference kernel's loss and gradients bit for bit, feedforward and residual", () => {
    for (const [make, extra] of [
      [smallFeedforward, { hidden: [9, 6], activation: 'relu' }],
      [smallResidual, { width: 7, blockWidth: 5 }],
    ] as const) {
      const example = randomBatch(20, shape, 9);
      const simd = gradientsAfterStep(make(19, shape, { ...extra, kernel: 'simd-f64' }), example);
      const reference = gradientsAfterStep(make(19, shape, { ...extra, kernel: 'reference' }), example);
      expect(simd.length).to.be.above(50);
      expect(simd.map(String)).to.deep.equal(reference.map(String));
    }
  });
});

growableModelConformance('feedforward', (seed) => ({ model: smallFeedforward(seed, CLASSES), example: randomBatch(seed, CLASSES) }));
growableModelConformance('residual (depth and width)', (seed) => ({ model: smallResidual(seed, CLASSES), example: randomBatch(seed, CLASSES) }));
growableModelConformance('residual (depth only)', (seed) => ({ model: smallResidual(seed, VALUES, { growWidth: false }), example: randomBatch(seed, VALUES) }));
