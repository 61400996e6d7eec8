import { RandomStream } from '/work/main/packages/core/dist/index.js';
import { createRnnKernel } from '/work/main/packages/recurrent/dist/rnn-kernels.js';
const V = 4, T = 40;
function setup(N) {
  const r = new RandomStream(1, 'b'); const n = (k) => Float64Array.from({ length: k }, () => r.normal() * 0.3);
  const w = { Wxh: n(N * V), Whh: n(N * N), bh: n(N), m: Float64Array.from({ length: N }, () => 0.5 + r.uniform()), Why: n(V * N), by: n(V) };
  const g = () => ({ Wxh: new Float64Array(N * V), Whh: new Float64Array(N * N), bh: new Float64Array(N), m: new Float64Array(N), Why: new Float64Array(V * N), by: new Float64Array(V) });
  const sym = Int32Array.from({ length: T + 1 }, () => r.int(V));
  return { w, g, sym, h0: n(N) };
}
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['reference', 'simd-f64', 'simd-f32'];
for (const N of [6, 27, 50, 100]) {
  for (const mr of [false, true]) {
    const d = { N, V, T, multiplierOnRecurrent: mr };
    const s = setup(N);
    const ref = createRnnKernel('reference'); const gr = s.g(); const lr = ref.forward(s.w, d, s.sym, s.h0); ref.backward(s.w, gr, d, s.sym);
    for (const name of names.slice(1)) {
      const k = createRnnKernel(name); const gk = s.g(); const lk = k.forward(s.w, d, s.sym, s.h0); k.backward(s.w, gk, d, s.sym);
      let worst = Math.abs(lk - lr) / Math.abs(lr);
      for (const key of Object.keys(gr)) { let scale = 0; for (const v of gr[key]) scale = Math.max(scale, Math.abs(v)); for (let i = 0; i < gr[key].length; i++) worst = Math.max(worst, Math.abs(gr[key][i] - gk[key][i]) / scale); }
      if (!mr || N === 27) console.log(`N=${N} mr=${mr} ${name}: max rel diff ${worst.toExponential(2)}`);
    }
  }
  const d = { N, V, T, multiplierOnRecurrent: false };
  const s = setup(N); const res = {};
  for (let rep = 0; rep < 3; rep++) for (const name of names) {
    const k = createRnnKernel(name); const g = s.g();
    const iters = Math.round(3e8 / (N * N * T * 6 + 1e5)) * (name === 'reference' ? 1 : 4);
    const t0 = process.cpuUsage();
    for (let i = 0; i < iters; i++) { k.forward(s.w, d, s.sym, s.h0); k.backward(s.w, g, d, s.sym); }
    const u = process.cpuUsage(t0); res[name] = Math.max(res[name] ?? 0, Math.round(iters / ((u.user + u.system) / 1e6)));
  }
  console.log(`N=${N}: ` + names.map((n) => `${n} ${res[n]} c/s`).join(', '));
}
