import { expect } from 'chai';
import { clipBound, clipped } from './clip.js';

describe('gradient clipping', () => {
  it('clips to [−bound, bound] and keeps values inside', () => {
    expect([7, -9, 4.5, -5, 0].map((g) => clipped(g, 5))).to.deep.equal([5, -5, 4.5, -5, 0]);
  });

  it('has no bound when clip is 0, and lets NaN through so divergence is still seen', () => {
    expect(clipBound(0)).to.equal(Infinity);
    expect(clipped(1e300, clipBound(0))).to.equal(1e300);
    expect(clipped(Number.NaN, 5)).to.be.NaN;
    expect(clipped(Number.NaN, clipBound(0))).to.be.NaN;
  });

  it('keeps the sign of zero and clips infinities', () => {
    expect(Object.is(clipped(-0, 5), -0)).to.equal(true);
    expect([Infinity, -Infinity].map((g) => clipped(g, 5))).to.deep.equal([5, -5]);
    expect([Infinity, -Infinity].map((g) => clipped(g, clipBound(0)))).to.deep.equal([Infinity, -Infinity]);
  });
});
