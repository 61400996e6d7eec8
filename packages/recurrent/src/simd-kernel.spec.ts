import { expect } from 'chai';
import { RandomStream } from '@diffstruct/core';
import type { CharRnnModel } from './char-rnn-model.js';
import { createRnnKernel, type RnnDims, type RnnKernelName, type RnnLinks, type RnnWeights } from './rnn-kernel.js';
import { randomSymbols, smallModel } from './test-support.js';

const V = 4;

function weightsOf(N: number, seed: number, links: RnnLinks = 'additive', V = 4): RnnWeights {
  const r = new RandomStream(seed, 'kernel-test');
  // Spectral radius below one, as in a trained network, so that differences are not amplified over time.
  const normal = (count: number, scale: number) => Float64Array.from({ length: count }, () => r.normal() * scale);
  const additive = {
    Wxh: normal(N * V, 0.5),
    Whh: normal(N * N, 0.8 / Math.sqrt(N)),
    bh: normal(N, 0.3),
    m: Float64Array.from({ length: N }, () => 0.1 + r.uniform()),
    Why: normal(V * N, 0.5),
    by: normal(V, 0.3),
  };
  if (links === 'additive') return additive;
  // Drawn after the additive ones, which stay what they were; shares away from ½.
  const linked = { ...additive, Mhh: normal(N * N, 1.5 / Math.sqrt(N)), mix: normal(N, 1.5) };
  return links === 'learned' ? linked : { ...linked, Whh: undefined, mix: undefined };
}

const zeros = (N: number, links: RnnLinks = 'additive', V = 4): RnnWeights => ({
  Wxh: new Float64Array(N * V),
  ...(links === 'modulatory' ? {} : { Whh: new Float64Array(N * N) }),
  ...(links === 'additive' ? {} : { Mhh: new Float64Array(N * N) }),
  ...(links === 'learned' ? { mix: new Float64Array(N) } : {}),
  bh: new Float64Array(N),
  m: new Float64Array(N),
  Why: new Float64Array(V * N),
  by: new Float64Array(V),
});

function run(name: RnnKernelName, kernel = createRnnKernel(name), d: RnnDims, seed: number) {
  const w = weightsOf(d.N, seed, d.links, d.V);
  const r = new RandomStream(seed, 'symbols');
  const B = d.B ?? 1;
  const symbols = Int32Array.from({ length: B * (d.T + 1) }, () => r.int(d.V));
  const h0 = Float64Array.from({ length: d.N * B }, () => 2 * r.uniform() - 1);
  const g = zeros(d.N, d.links, d.V);
  const loss = kernel.forward(w, d, symbols, h0);
  kernel.backward(w, g, d, symbols);
  const state = new Float64Array(d.N * B);
  kernel.finalState(state, d);
  return { loss, g, state };
}

/** Largest difference over every output, relative to the largest magnitude of that output. */
function worstDifference(a: ReturnType<typeof run>, b: ReturnType<typeof run>): number {
  let worst = Math.abs(a.loss - b.loss) / Math.abs(a.loss);
  const arrays: [Float64Array, Float64Array][] = [
    [a.state, b.state],
    ...(Object.keys(a.g) as (keyof RnnWeights)[]).map((k) => [a.g[k]!, b.g[k]!] as [Float64Array, Float64Array]),
  ];
  for (const [x, y] of arrays) {
    const scale = Math.max(...x.map(Math.abs), 1e-300);
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / scale);
  }
  return worst;
}

// Sizes around the vector widths (2 and 4 lanes) and the 4-vector register tiles (8 and 16 elements).
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 60];
const TOLERANCE = { 'simd-f64': 1e-12, 'simd-f32': 1e-4 } as const;

describe('char RNN kernels', () => {
  for (const name of ['simd-f64', 'simd-f32'] as const) {
    for (const multiplierOnRecurrent of [false, true]) {
      const path = multiplierOnRecurrent ? '; multiplier on the recurrent path' : '';
      it(`${name} equals the reference within ${TOLERANCE[name]} (loss, every gradient, last state${path})`, () => {
        for (const N of SIZES) {
          for (const T of [1, 6, 40]) {
            const d = { N, V, T, multiplierOnRecurrent };
            const worst = worstDifference(run('reference', undefined, d, N * 100 + T), run(name, undefined, d, N * 100 + T));
            expect(worst, `N=${N} T=${T}`).to.be.below(TOLERANCE[name]);
          }
        }
      });
    }

    for (const multiplierOnRecurrent of [false, true]) {
      const path = multiplierOnRecurrent ? '; multiplier on the recurrent path' : '';
      it(`${name} equals the reference within ${TOLERANCE[name]} with several windows a cycle (loss, every gradient, every last state${path})`, () => {
        for (const N of [1, 3, 8, 17, 33]) {
          for (const [T, B] of [
            [1, 2],
            [6, 3],
            [40, 4],
            [9, 16],
          ]) {
            const d = { N, V, T, B, multiplierOnRecurrent };
            const worst = worstDifference(run('reference', undefined, d, N * 100 + T + B), run(name, undefined, d, N * 100 + T + B));
            expect(worst, `N=${N} T=${T} B=${B}`).to.be.below(TOLERANCE[name]);
          }
        }
      });
    }

    // The softmax runs two steps at a time, a lone last step alone, and the last logit of an odd vocabulary alone.
    it(`${name} equals the reference within ${TOLERANCE[name]} with other vocabularies, odd ones included, and an odd number of steps`, () => {
      for (const V of [2, 5, 7, 80]) {
        for (const [N, T, B] of [
          [3, 1, 1],
          [9, 7, 1],
          [17, 40, 1],
          [8, 5, 3],
        ]) {
          const d = { N, V, T, B, multiplierOnRecurrent: false };
          const seed = V * 1000 + N * 100 + T + B;
          const worst = worstDifference(run('reference', undefined, d, seed), run(name, undefined, d, seed));
          expect(worst, `V=${V} N=${N} T=${T} B=${B}`).to.be.below(TOLERANCE[name]);
        }
      }
    });

    it(`${name} reports an infinite loss where the reference does (a target probability underflows)`, () => {
      const d = { N: 5, V, T: 8, multiplierOnRecurrent: false };
      const w = weightsOf(5, 3);
      for (const key of ['Why', 'm'] as const) w[key].forEach((x, i, a) => (a[i] = x * 2000));
      const symbols = Int32Array.from({ length: 9 }, (_, t) => t % V);
      const h0 = new Float64Array(5).fill(0.5);
      const reference = createRnnKernel('reference').forward(w, d, symbols, h0);
      expect(reference).to.equal(Infinity);
      expect(createRnnKernel(name).forward(w, d, symbols, h0)).to.equal(reference);
    });

    it(`${name} gives the same results when one instance changes size as a fresh one (padding leaves no trace)`, () => {
      const reused = createRnnKernel(name);
      for (const [N, B] of [
        [5, 1],
        [17, 3],
        [3, 1],
        [9, 4],
        [1, 2],
        [33, 1],
      ]) {
        const d = { N, V, T: 6, B, multiplierOnRecurrent: false };
        const fresh = run(name, undefined, d, N);
        const again = run(name, reused, d, N);
        expect(again.loss).to.equal(fresh.loss);
        for (const key of Object.keys(fresh.g) as (keyof RnnWeights)[]) expect([...again.g[key]!], key).to.deep.equal([...fresh.g[key]!]);
      }
    });
  }
});

describe("simd-f32's tanh", () => {
  /** The distance from a to b in float32 steps (both float32 values). */
  function ulpsApart(a: number, b: number): number {
    const bits = new Int32Array(new Float32Array([a, b]).buffer);
    const ordered = (x: number) => (x < 0 ? -0x80000000 - x : x);
    return Math.abs(ordered(bits[0]) - ordered(bits[1]));
  }

  /** The float32 step at |v| (the distance from |v| rounded to float32 to the next float32 up). */
  function stepAt(v: number): number {
    const f = new Float32Array([Math.abs(v)]);
    const low = f[0];
    new Int32Array(f.buffer)[0]++;
    return f[0] - low;
  }

  /**
   * simd-f32's tanh of each of `xs` (float32 values), through the kernel: one step from nothing
   * with Whh and bh zero, so unit i of a window whose first symbol is s holds tanh(Wxh[i, s]);
   * 256 units × V values a call.
   */
  function kernelTanh(xs: Float64Array): Float64Array {
    const N = 256;
    const d = { N, V, T: 1, B: V, multiplierOnRecurrent: false };
    const w = zeros(N);
    w.m.fill(1);
    // Window s starts with symbol s, so its states are the column Wxh[·, s].
    const symbols = Int32Array.from({ length: V * 2 }, (_, k) => k >> 1);
    const kernel = createRnnKernel('simd-f32');
    const state = new Float64Array(N * V);
    const result = new Float64Array(xs.length);
    for (let from = 0; from < xs.length; from += N * V) {
      const part = xs.subarray(from, from + N * V);
      w.Wxh.fill(0).set(part);
      kernel.forward(w, d, symbols, new Float64Array(N * V));
      kernel.finalState(state, d);
      result.set(state.subarray(0, part.length), from);
    }
    return result;
  }

  it('is within 1.08 float32 steps of the exact tanh, so one step of Math.tanh in float32: 100 k values from −20 to 20, and and 4096 float32s in a row where it errs most', () => {
    // Denser near 0 (x³ spacing): about 2e-4 apart where float32's tanh changes formula, at ±1.
    const spread = Float64Array.from({ length: 100_000 }, (_, k) => Math.fround(20 * ((k / 100_000) * 2 - 1) ** 3));
    // 4096 float32s in a row centred on 0.99777, where the largest error over every float32 is (1.076 steps), each with both signs.
    const near = new Float32Array(8192);
    new Int32Array(near.buffer).forEach((_, k, bits) => (bits[k] = new Int32Array(new Float32Array([0.99777]).buffer)[0] - 2048 + (k >> 1)));
    near.forEach((x, k, a) => (a[k] = k & 1 ? -x : x));
    const xs = Float64Array.from([...spread, ...near]);
    const t = kernelTanh(xs);
    let apart = 0;
    let steps = 0;
    let worstNear = 0;
    xs.forEach((x, k) => {
      apart = Math.max(apart, ulpsApart(t[k], Math.fround(Math.tanh(x))));
      const error = Math.abs(t[k] - Math.tanh(x)) / stepAt(Math.tanh(x));
      steps = Math.max(steps, error);
      if (k >= spread.length) worstNear = Math.max(worstNear, error);
    });
    expect(steps).to.be.at.most(1.08);
    expect(worstNear, 'the worst float32s are among these').to.be.above(1.05);
    expect(apart).to.be.at.most(1);
  });

  it('gives NaN for NaN, ±1 for ±Infinity and far out, and a subnormal float32 back as it is', () => {
    const xs = Float64Array.from([Number.NaN, Infinity, -Infinity, 45, -60, 1e30, 9.02, 1e-40, -1e-40, 1e-30], Math.fround);
    const t = kernelTanh(xs);
    expect([...t]).to.deep.equal([Number.NaN, 1, -1, 1, -1, 1, 1, Math.fround(1e-40), -Math.fround(1e-40), Math.fround(1e-30)]);
  });
});

describe('char RNN kernels with modulatory and learned links', () => {
  const parametersOf = (model: CharRnnModel) => model.layers.flatMap((l) => [...l.parameters()]);

  for (const links of ['modulatory', 'learned'] as const) {
    for (const name of ['simd-f64', 'simd-f32'] as const) {
      for (const multiplierOnRecurrent of [false, true]) {
        const path = multiplierOnRecurrent ? '; multiplier on the recurrent path' : '';
        it(`${name} equals the reference within ${TOLERANCE[name]}, ${links} links, one window and several a cycle (loss, every gradient, last states${path})`, () => {
          for (const N of SIZES)
            for (const T of [1, 6, 40]) {
              const d = { N, V, T, multiplierOnRecurrent, links };
              const worst = worstDifference(run('reference', undefined, d, N * 100 + T), run(name, undefined, d, N * 100 + T));
              expect(worst, `N=${N} T=${T}`).to.be.below(TOLERANCE[name]);
            }
          for (const N of [1, 3, 8, 17, 33])
            for (const [T, B] of [
              [1, 2],
              [6, 3],
              [40, 4],
            ]) {
              const d = { N, V, T, B, multiplierOnRecurrent, links };
              const worst = worstDifference(run('reference', undefined, d, N * 100 + T + B), run(name, undefined, d, N * 100 + T + B));
              expect(worst, `N=${N} T=${T} B=${B}`).to.be.below(TOLERANCE[name]);
            }
        });
      }

      it(`${name} gives the same results when one instance changes size and links as a fresh one (${links} links)`, () => {
        const reused = createRnnKernel(name);
        // Same size, links only: the kind alone must re-lay the memory out.
        for (const [N, B, kind] of [
          [5, 1, links],
          [5, 1, 'additive'],
          [5, 1, links],
          [17, 3, 'additive'],
          [3, 1, links],
          [9, 4, links],
          [33, 1, 'additive'],
          [1, 2, links],
        ] as const) {
          const d = { N, V, T: 6, B, multiplierOnRecurrent: false, links: kind };
          const fresh = run(name, undefined, d, N);
          const again = run(name, reused, d, N);
          expect(again.loss).to.equal(fresh.loss);
          for (const key of Object.keys(fresh.g) as (keyof RnnWeights)[]) expect([...again.g[key]!], key).to.deep.equal([...fresh.g[key]!]);
        }
      });

      it(`${name} follows the reference through growth: units added, then others removed (${links} links)`, () => {
        for (const [seed, batch, multiplierOnRecurrent] of [
          [1, 1, false],
          [2, 3, true],
        ] as const) {
          const T = 8;
          const models = (['reference', name] as const).map((kernel) => smallModel(seed, 5, T, { kernel, links, batch, multiplierOnRecurrent }));
          const compare = (step: string) => {
            const example = randomSymbols(seed + step.length, batch * (T + 1));
            const [expected, actual] = models.map((model) => model.trainStep(example));
            expect(Math.abs(actual - expected) / expected, `${step}: loss`).to.be.below(TOLERANCE[name]);
            const [reference, simd] = models.map(parametersOf);
            reference.forEach((p, i) => {
              const [x, y] = [p.grad.toArray(), simd[i].grad.toArray()];
              const scale = Math.max(...x.map(Math.abs));
              x.forEach((xi, j) => expect(Math.abs(xi - y[j]) / scale, `${step}: ${p.name}[${j}]`).to.be.below(TOLERANCE[name]));
            });
            const [a, b] = models.map((model) => model.hiddenLayer.state.toArray());
            a.forEach((ai, j) => expect(Math.abs(ai - b[j]), `${step}: state[${j}]`).to.be.below(TOLERANCE[name]));
          };
          compare('before');
          // A second cycle at the same size: no new layout zeroes what the first one left.
          compare('before, again');
          for (const model of models) for (const cycle of [11, 12, 13]) model.growables[0].addUnit({ init: 'random', multiplier: 0.5 }, cycle);
          expect(models[1].size).to.equal(8);
          compare('three units added');
          for (const model of models) model.growables[0].removeUnits([0, 3, 6]);
          compare('three units removed');
        }
      });
    }
  }
});
