import { expect } from 'chai';
import type { Lifeline } from '@diffstruct/report';
import { MAX_LIFELINE_SAMPLES, thinLifeline } from './seed-structure.js';

const lifeline = (samples: number): Lifeline => ({
  unit: 3,
  birth: 10,
  death: null,
  inherited: false,
  samples: Array.from({ length: samples }, (_, i): [number, number] => [10 + i, i / 10]),
});

describe('thinLifeline', () => {
  it('leaves a lifeline of at most MAX_LIFELINE_SAMPLES samples as it is', () => {
    const line = lifeline(MAX_LIFELINE_SAMPLES);
    expect(thinLifeline(line)).to.equal(line);
  });

  it('keeps every 2ᵏ-th sample and the last, at most MAX_LIFELINE_SAMPLES, its birth and death as they were', () => {
    for (const length of [MAX_LIFELINE_SAMPLES + 1, 3000, 3001]) {
      const line = lifeline(length);
      const thinned = thinLifeline(line);
      expect(thinned.samples.length, String(length))
        .to.be.at.most(MAX_LIFELINE_SAMPLES)
        .and.above(MAX_LIFELINE_SAMPLES / 4);
      expect(thinned.samples[0]).to.deep.equal(line.samples[0]);
      expect(thinned.samples.at(-1)).to.deep.equal(line.samples.at(-1));
      const step = thinned.samples[1][0] - thinned.samples[0][0];
      expect(Math.log2(step) % 1, 'a power of two').to.equal(0);
      expect({ ...thinned, samples: [] }).to.deep.equal({ ...line, samples: [] });
    }
  });
});
