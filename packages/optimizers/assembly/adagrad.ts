// Adagrad's update of one parameter (src/adagrad.ts) in WebAssembly SIMD, two float64 entries at
// a time: clip, accumulate the square, step. Each entry's operations are the reference's, in its
// order, and SIMD's min, max, sqrt and division round as the scalar ones do, so the results
// are the reference's bit for bit. The memory is imported (and there is no static data): the JS
// side (src/simd-adagrad.ts) runs it in the memory a model keeps its parameters in, in place, or
// in a memory of its own, copying a parameter's value, gradient and memory into three regions
// above `heapBase()` and back.

export { heapBase, reserve } from '@diffstruct/layers/assembly/heap';

/** Updates `count` entries of the arrays at `value`, `grad` and `memory` in place (grad is left clipped). */
export function step(value: usize, grad: usize, memory: usize, count: i32, learningRate: f64, epsilon: f64, bound: f64): void {
  const high = f64x2.splat(bound);
  const low = f64x2.splat(-bound);
  const rate = f64x2.splat(learningRate);
  const eps = f64x2.splat(epsilon);
  const bytes = <usize>count << 3;
  let c: usize = 0;
  for (; c + 16 <= bytes; c += 16) {
    const g = f64x2.min(high, f64x2.max(low, v128.load(grad + c)));
    v128.store(grad + c, g);
    const m = f64x2.add(v128.load(memory + c), f64x2.mul(g, g));
    v128.store(memory + c, m);
    v128.store(value + c, f64x2.sub(v128.load(value + c), f64x2.div(f64x2.mul(rate, g), f64x2.sqrt(f64x2.add(m, eps)))));
  }
  if (c < bytes) {
    const g = min(bound, max(-bound, load<f64>(grad + c)));
    store<f64>(grad + c, g);
    const m = load<f64>(memory + c) + g * g;
    store<f64>(memory + c, m);
    store<f64>(value + c, load<f64>(value + c) - (learningRate * g) / sqrt(m + epsilon));
  }
}
