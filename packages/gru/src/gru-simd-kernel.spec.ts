import { expect } from 'chai';
import { RandomStream } from '@diffstruct/core';
import { SoftmaxOutputLayer } from '@diffstruct/layers';
import type { GruDims, GruWeights } from './gru-kernel.js';
import { createGruKernel, type GruKernel, type GruKernelName } from './gru-kernels.js';
import { type StepOutcome, smallGru, trainStepOutcome, V } from './test-support.js';

function weightsOf(N: number, seed: number): GruWeights {
  const r = new RandomStream(seed, 'kernel-test');
  // Recurrent weights of spectral radius below one, as in a trained network, so that differences are not amplified over time.
  const normal = (count: number, scale: number) => Float64Array.from({ length: count }, () => r.normal() * scale);
  const U = () => normal(N * N, 0.8 / Math.sqrt(N));
  return {
    Wz: normal(N * V, 0.5),
    Wr: normal(N * V, 0.5),
    Wn: normal(N * V, 0.5),
    Uz: U(),
    Ur: U(),
    Un: U(),
    bz: normal(N, 0.3),
    br: normal(N, 0.3),
    bn: normal(N, 0.3),
    m: Float64Array.from({ length: N }, () => 0.1 + r.uniform()),
  };
}

/** An output layer of N columns with seeded weights and bias, its size changed in place when given. */
function outputOf(N: number, seed: number, layer = new SoftmaxOutputLayer({ vocabularySize: V, units: N, capacity: N })): SoftmaxOutputLayer {
  while (layer.W.cols < N) layer.W.insertColumns(layer.W.cols);
  if (layer.W.cols > N) layer.W.removeColumns(Array.from({ length: layer.W.cols - N }, (_, i) => N + i));
  const r = new RandomStream(seed, 'output-test');
  for (let i = 0; i < V * N; i++) layer.W.value.data[i] = 0.5 * r.normal();
  for (let v = 0; v < V; v++) layer.b.value.data[v] = 0.3 * r.normal();
  return layer;
}

function run(kernel: GruKernel, output: SoftmaxOutputLayer, d: GruDims, seed: number): StepOutcome {
  const w = weightsOf(d.N, seed);
  const r = new RandomStream(seed, 'symbols');
  const symbols = Int32Array.from({ length: d.T + 1 }, () => r.int(V));
  const h0 = Float64Array.from({ length: d.N }, () => 2 * r.uniform() - 1);
  // Gradients start as other weights, so that one the kernel fails to overwrite shows.
  const g = weightsOf(d.N, seed + 1);
  const loss = kernel.forward(w, d, symbols, h0);
  kernel.backward(w, g, d, symbols);
  const h = new Float64Array(d.N);
  kernel.finalState(h, d);
  return { loss, arrays: { ...g, Why: output.W.grad.toArray(), by: output.b.grad.toArray(), h } };
}

function fresh(name: GruKernelName, d: GruDims, seed: number): StepOutcome {
  const output = outputOf(d.N, seed);
  return run(createGruKernel(name, output), output, d, seed);
}

/** Largest difference over the loss and every array, relative to the largest magnitude in that array. */
function worstDifference(a: StepOutcome, b: StepOutcome): { worst: number; where: string } {
  let worst = Math.abs(a.loss - b.loss) / Math.abs(a.loss);
  let where = 'loss';
  for (const key of Object.keys(a.arrays)) {
    const [x, y] = [a.arrays[key], b.arrays[key]];
    expect(y.length, key).to.equal(x.length);
    const scale = Math.max(...x.map(Math.abs), 1e-300);
    for (let i = 0; i < x.length; i++) {
      const e = Math.abs(x[i] - y[i]) / scale;
      if (e > worst) [worst, where] = [e, `${key}[${i}]`];
    }
  }
  return { worst, where };
}

// Sizes around the vector width (2 lanes) and the 6- and 4-row and -vector register tiles.
const SIZES = [1, 2, 3, 5, 8, 17, 40];
const TOLERANCE = 1e-12;

describe('GRU kernels', () => {
  for (const multiplierOnRecurrent of [false, true]) {
    const path = multiplierOnRecurrent ? '; multiplier on the recurrent path' : '';
    it(`simd-f64 equals the reference within ${TOLERANCE} (loss, every gradient, last state${path})`, () => {
      for (const N of SIZES)
        for (const T of [1, 4, 40]) {
          const d = { N, V, T, multiplierOnRecurrent };
          const { worst, where } = worstDifference(fresh('reference', d, N * 100 + T), fresh('simd-f64', d, N * 100 + T));
          expect(worst, `N=${N} T=${T} at ${where}`).to.be.below(TOLERANCE);
        }
    });

    it(`simd-f64 equals the reference within ${TOLERANCE} in a model that grew and shrank${path}`, () => {
      for (const seed of [1, 2, 3]) {
        const models = (['reference', 'simd-f64'] as const).map((kernel) => smallGru(seed, 3, 9, { kernel, multiplierOnRecurrent }));
        for (const [step, change] of ['add', 'add', 'remove', 'add', 'add', 'remove', 'remove', 'add'].entries()) {
          for (const model of models) {
            const [units] = model.growables;
            if (change === 'add') units.addUnit({ init: 'random', multiplier: 0.5 }, step);
            else units.removeUnits([(seed + step) % units.size]);
          }
          const [reference, simd] = models.map((model) => trainStepOutcome(model, 10 * seed + step));
          const { worst, where } = worstDifference(reference, simd);
          expect(worst, `seed ${seed}, step ${step} (N=${models[0].growables[0].size}) at ${where}`).to.be.below(TOLERANCE);
        }
      }
    });
  }

  it('simd-f64 reports an infinite loss where the reference does (a target probability underflows)', () => {
    const d = { N: 5, V, T: 8, multiplierOnRecurrent: false };
    const losses = (['reference', 'simd-f64'] as const).map((name) => {
      const output = outputOf(5, 3);
      output.W.value.data.forEach((x, i, a) => (a[i] = x * 1e5));
      const symbols = Int32Array.from({ length: 9 }, (_, t) => t % V);
      return createGruKernel(name, output).forward(weightsOf(5, 3), d, symbols, new Float64Array(5).fill(0.5));
    });
    expect(losses).to.deep.equal([Infinity, Infinity]);
  });

  it('simd-f64 gives the same results when one instance changes size as a fresh one (padding leaves no trace)', () => {
    const output = outputOf(1, 0);
    const reused = createGruKernel('simd-f64', output);
    for (const N of [5, 17, 3, 9, 1, 33, 8]) {
      const d = { N, V, T: 6, multiplierOnRecurrent: N % 2 === 0 };
      const again = run(reused, outputOf(N, N, output), d, N);
      expect(again).to.deep.equal(fresh('simd-f64', d, N));
    }
  });
});
