import { expect } from 'chai';
import { LeadingParts } from './wasm-kernel.js';

describe('LeadingParts', () => {
  it('keeps a view per array and length, and makes a new one only when either changes', () => {
    const parts = new LeadingParts();
    const a = new Float64Array([1, 2, 3, 4]);
    const first = parts.of(a, 2);
    expect([...first]).to.deep.equal([1, 2]);
    expect(parts.of(a, 2)).to.equal(first);
    a[0] = 9;
    expect(first[0]).to.equal(9, 'a view, not a copy');
    expect([...parts.of(a, 3)]).to.deep.equal([9, 2, 3]);
    const grown = new Float64Array([5, 6, 7, 8, 9, 10]);
    expect([...parts.of(grown, 3)]).to.deep.equal([5, 6, 7]);
    expect(parts.of(a, 3)).to.not.equal(parts.of(grown, 3));
  });
});
