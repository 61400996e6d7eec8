import { expect } from 'chai';
import { Parameter } from '../arrays/parameter.js';
import { checkGradients } from './gradient-check.js';

/** A parameter holding `values`, with `grad` as its analytic gradient. */
function parameter(values: readonly number[], grad: readonly number[]): Parameter {
  const p = new Parameter('w', values.length, 1);
  p.value.data.set(values);
  p.grad.data.set(grad);
  return p;
}

// loss = 500·w0² + 1e-9·w1 at w0 = 1: gradient [1000, 1e-9]. The loss is about 500, whose
// round-off (ulp 5.7e-14) over a step of 2e-5 is about 3e-9: more than the tiny entry itself.
const K = 500;
const TINY = 1e-9;
const lossOf = (p: Parameter) => () => K * p.value.data[0] ** 2 + TINY * p.value.data[1];

describe('checkGradients', () => {
  it('passes a correct gradient whose tiny entry is lost in round-off, which the fixed floor failed', () => {
    const p = parameter([1, 0.3], [2 * K, TINY]);
    const fixedFloorOnly = checkGradients([p], lossOf(p), { relativeFloor: 0 });
    expect(fixedFloorOnly.worst.index).to.equal(1);
    expect(fixedFloorOnly.maxRelativeError).to.be.above(1e-3);
    const scaled = checkGradients([p], lossOf(p));
    expect(scaled.maxRelativeError).to.be.below(1e-6);
    expect(scaled.floor).to.be.closeTo(1e-3 * 2 * 2 * K, 1e-6);
    expect(scaled.checked).to.equal(2);
  });

  it('fails a wrong gradient, the large entry or a small one that is wrong by more than the floor hides', () => {
    const largeWrong = parameter([1, 0.3], [2 * K * 1.01, TINY]);
    expect(checkGradients([largeWrong], lossOf(largeWrong)).maxRelativeError).to.be.above(1e-3);
    // Entry 1 is 1e-5 of entry 0 (below the floor of 1e-3 of it) and left out altogether.
    const small = 2 * K * 1e-5;
    const smallWrong = parameter([1, 0.3], [2 * K, 0]);
    const result = checkGradients([smallWrong], () => K * smallWrong.value.data[0] ** 2 + small * smallWrong.value.data[1]);
    expect(result.worst.index).to.equal(1);
    expect(result.maxRelativeError).to.be.above(1e-3);
  });

  it('hides an entry wrong by less than tolerance × floor: here the tiny entry left out altogether', () => {
    // What the floor gives up, documented at `relativeFloor`: 1e-9 against a floor of 2 passes.
    const p = parameter([1, 0.3], [2 * K, 0]);
    expect(checkGradients([p], lossOf(p)).maxRelativeError).to.be.below(1e-6);
  });

  it('reports a non-finite analytic gradient as an infinite error', () => {
    const p = parameter([1, 0.3], [2 * K, Number.NaN]);
    const result = checkGradients([p], lossOf(p));
    expect(result.maxRelativeError).to.equal(Infinity);
    expect(result.worst.index).to.equal(1);
  });

  it('differences with the step it is given', () => {
    // For w³ the central difference is exactly 3w² + h².
    const p = parameter([1], [3]);
    const cube = () => p.value.data[0] ** 3;
    expect(checkGradients([p], cube, { step: 0.1 }).worst.numeric).to.be.closeTo(3.01, 1e-12);
    expect(checkGradients([p], cube).worst.numeric).to.be.closeTo(3, 1e-9);
    expect(p.value.data[0]).to.equal(1);
  });

  it('keeps the absolute floor when it is above the scaled one', () => {
    const p = parameter([1, 0.3], [2 * K, 0]);
    expect(checkGradients([p], lossOf(p), { floor: 5 }).floor).to.equal(5);
    expect(checkGradients([p], lossOf(p), { floor: 5, relativeFloor: 0.01 }).floor).to.be.closeTo(20, 1e-6);
  });
});
