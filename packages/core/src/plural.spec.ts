import { expect } from 'chai';
import { plural } from './plural.js';

describe('plural', () => {
  it('puts the noun in the singular for one only', () => {
    expect([0, 1, 2].map((n) => plural(n, 'seed'))).to.deep.equal(['0 seeds', '1 seed', '2 seeds']);
    expect(plural(3, 'seed folder')).to.equal('3 seed folders');
    expect(plural(1, 'child', 'children')).to.equal('1 child');
    expect(plural(2, 'child', 'children')).to.equal('2 children');
  });
});
