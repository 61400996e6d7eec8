import { expect } from 'chai';
import { Parameter, RandomStream } from '@diffstruct/core';
import { checkGradients } from '@diffstruct/core/testing';
import { ACTIVATIONS, activate, activationBackward } from './activation.js';
import { affine, affineBackward } from './dense.js';

describe('affine and the activations, forward and backward', () => {
  for (const f of ACTIVATIONS) {
    it(`match finite differences through f = ${f}, with a loss Σ c ⊙ f(x Wᵀ + b)`, () => {
      const [batch, inSize, outSize] = [3, 4, 2];
      const r = new RandomStream(7, f);
      const x = new Parameter('x', batch, inSize);
      const W = new Parameter('W', outSize, inSize);
      const b = new Parameter('b', outSize, 1);
      for (const p of [x, W, b]) for (let i = 0; i < p.length; i++) p.value.data[i] = r.normal();
      const c = Float64Array.from({ length: batch * outSize }, () => r.normal());
      const z = new Float64Array(batch * outSize);
      const loss = () => {
        affine(x.value.data, batch, inSize, W.value.data, outSize, b.value.data, z);
        activate(f, z, z, z.length);
        return z.reduce((sum, a, i) => sum + a * c[i], 0);
      };
      loss();
      const dz = Float64Array.from(c);
      activationBackward(f, z, dz, dz.length);
      affineBackward(dz, batch, outSize, x.value.data, inSize, W.value.data, W.grad.data, b.grad.data, x.grad.data);
      const result = checkGradients([x, W, b], loss);
      expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
    });
  }
});
