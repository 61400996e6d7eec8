import { expect } from 'chai';
import { Parameter } from '@diffstruct/core';
import { ParameterArrays } from './parameter-arrays.js';

describe('ParameterArrays', () => {
  it('hands out the same record until a parameter grows past its capacity, then the new arrays', () => {
    const W = new Parameter('W', 2, 2, 4);
    const b = new Parameter('b', 2, 1, 2);
    const arrays = new ParameterArrays({ W, b });
    const first = arrays.value();
    expect(first.W).to.equal(W.value.data);
    expect(arrays.value()).to.equal(first);
    expect(arrays.grad().b).to.equal(b.grad.data);
    b.insertRows(2);
    const grown = arrays.value();
    expect(grown).to.not.equal(first);
    expect(grown.b).to.equal(b.value.data);
    expect(arrays.grad().b).to.equal(b.grad.data);
  });
});
