import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFolder } from '@diffstruct/core/host';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

describe('variant policies in real runs', function () {
  this.timeout(120000);

  it('inherited units say so in events.jsonl and name a unit removed before them; age-biased runs with inherited init', async () => {
    const variants = config(
      [
        'name: variants',
        'seeds: 1',
        'cycles: 4000',
        'log: { every: 500 }',
        'task: hard',
        'arms:',
        '  - { name: inherited, policy: { type: inherited, pick: recent } }',
        '  - { name: composed, policy: { type: age-biased, order: oldest-first, init: { type: inherited, pick: best } } }',
      ].join('\n'),
    );
    const out = mkdtempSync(join(tmpdir(), 'diffstruct-variants-'));
    const results = await runExperiment(variants, { out, workers: 2, resolveFrom: out });
    expect(results.every((r) => r.finished)).to.equal(true);
    for (const arm of ['inherited', 'composed']) {
      const events = readFileSync(join(seedFolder(out, variants, arm, 0), 'events.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const inherited = events.filter((e) => e.type === 'unitAdded' && e.init === 'inherited');
      expect(inherited.length, `${arm}: inherited additions`).to.be.greaterThan(0);
      for (const e of inherited) {
        const removal = events.find((r) => r.type === 'unitRemoved' && r.unit === e.inheritedFrom);
        expect(removal, `unit ${e.inheritedFrom} was removed`).to.not.equal(undefined);
        expect(removal.cycle).to.be.at.most(e.cycle);
        expect(e.multiplier).to.equal(0.05);
      }
      // Before any deletion the pool is empty: the first additions are random.
      expect(events.find((e) => e.type === 'unitAdded').init).to.equal('random');
    }
  });
});
