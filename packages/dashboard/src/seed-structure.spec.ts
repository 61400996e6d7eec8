import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Lifeline, MAX_LIFELINE_PANELS } from '@diffstruct/report';
import { MAX_LIFELINE_SAMPLES, SeedStructure, thinLifeline } from './seed-structure.js';

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

describe('SeedStructure', () => {
  it('sends the growables in the order the page draws them: each family’s largest first, as report’s figure', () => {
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-seed-structure-'));
    // Five neuron growables of 6, 5, … units and one `areas` growable of one unit.
    const neurons = Object.fromEntries(
      Array.from({ length: 5 }, (_, k) => [
        `area:n${k}`,
        { family: 'neurons', ids: Array.from({ length: 6 - k }, (_, i) => i), multipliers: Array(6 - k).fill(1) },
      ]),
    );
    const row = { cycle: 0, growables: { ...neurons, areas: { ids: [0], multipliers: [1] } } };
    writeFileSync(join(folder, 'multipliers.jsonl'), `${JSON.stringify(row)}\n`);
    writeFileSync(join(folder, 'events.jsonl'), '');
    const sent = Object.keys(new SeedStructure(folder, () => true).lifelines().growables);
    expect(sent.slice(0, MAX_LIFELINE_PANELS)).to.deep.equal(['area:n0', 'area:n1', 'area:n2', 'areas']);
    expect(sent.slice(MAX_LIFELINE_PANELS)).to.deep.equal(['area:n3', 'area:n4']);
  });
});
