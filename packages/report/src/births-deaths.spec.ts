import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busiestFamilies, MAX_BIRTHS_PANELS, medianBirthsAndDeaths, seedBirthsAndDeaths } from './births-deaths.js';
import type { BirthsAndDeaths } from './lifelines.js';

const added = (cycle: number, growable: string) => ({ type: 'unitAdded', cycle, growable, unit: cycle, age: 0, multiplier: 0.05, init: 'random', reason: 'r' });
const counts = (family: string, births: number[], deaths: number[]): BirthsAndDeaths => ({
  interval: 100,
  cycles: births.map((_, k) => (k + 1) * 100),
  families: { [family]: { births, deaths } },
});

describe('births and deaths over seeds', () => {
  it('count a seed folder’s events without families (a run from before them) by the family its multipliers.jsonl names', () => {
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-births-'));
    writeFileSync(
      join(folder, 'events.jsonl'),
      [added(50, 'block0'), added(150, 'block0'), added(160, 'hidden')].map((e) => JSON.stringify(e) + '\n').join(''),
    );
    writeFileSync(join(folder, 'multipliers.jsonl'), '{"cycle":0,"growables":{"block0":{"family":"block-width","ids":[0],"multipliers":[1]}}}\n');
    expect(seedBirthsAndDeaths(folder, 100, 300).families).to.deep.equal({
      'block-width': { births: [1, 1, 0], deaths: [0, 0, 0] },
      hidden: { births: [0, 1, 0], deaths: [0, 0, 0] },
    });
  });

  it('count by the family the events name, also for growables born and gone between two multipliers.jsonl lines', () => {
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-births-'));
    // An area's neuron growables `area:memory+K`, each added and gone within 100 cycles, as an areas run writes them.
    const events = Array.from({ length: 200 }, (_, k) => ({ ...added(k + 1, `area:memory+${k}`), family: 'neurons' }));
    events.push({ ...added(250, 'areas'), unit: 9 } as (typeof events)[number]);
    writeFileSync(join(folder, 'events.jsonl'), events.map((e) => JSON.stringify(e) + '\n').join(''));
    writeFileSync(join(folder, 'multipliers.jsonl'), '{"cycle":0,"growables":{"area:memory":{"family":"neurons","ids":[0],"multipliers":[1]}}}\n');
    expect(seedBirthsAndDeaths(folder, 100, 300).families).to.deep.equal({
      neurons: { births: [100, 100, 0], deaths: [0, 0, 0] },
      areas: { births: [0, 0, 1], deaths: [0, 0, 0] },
    });
  });

  it('count events without a family by multipliers.jsonl beside events with one (a run resumed across the change)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-births-'));
    const events = [added(50, 'block0'), { ...added(150, 'block0'), family: 'block-width' }];
    writeFileSync(join(folder, 'events.jsonl'), events.map((e) => JSON.stringify(e) + '\n').join(''));
    writeFileSync(join(folder, 'multipliers.jsonl'), '{"cycle":0,"growables":{"block0":{"family":"block-width","ids":[0],"multipliers":[1]}}}\n');
    expect(seedBirthsAndDeaths(folder, 100, 200).families).to.deep.equal({ 'block-width': { births: [1, 1], deaths: [0, 0] } });
  });

  it('take the median per interval, a seed without a family counting 0 for it', () => {
    const seeds = [counts('hidden', [1, 4], [0, 2]), counts('hidden', [3, 0], [1, 2]), counts('other', [5, 5], [5, 5])];
    const median = medianBirthsAndDeaths(seeds, 100, 200);
    expect(median).to.deep.equal({
      interval: 100,
      cycles: [100, 200],
      families: { hidden: { births: [1, 0], deaths: [0, 2] }, other: { births: [0, 0], deaths: [0, 0] } },
    });
    expect(medianBirthsAndDeaths(seeds.slice(0, 2), 100, 200).families.hidden.births, 'two seeds: their mean').to.deep.equal([2, 2]);
    expect(medianBirthsAndDeaths([], 100, 200)).to.deep.equal({ interval: 100, cycles: [100, 200], families: {} });
  });

  it('choose the busiest families over every arm, in order of first appearance, and count the rest', () => {
    const arm = (units: Record<string, number>): BirthsAndDeaths => ({
      interval: 100,
      cycles: [100],
      families: Object.fromEntries(Object.entries(units).map(([family, n]) => [family, { births: [n], deaths: [0] }])),
    });
    const names = Array.from({ length: MAX_BIRTHS_PANELS + 2 }, (_, k) => `f${k}`);
    // f0 is quiet in one arm and busy in the other; f1 and f2 are the quietest over both.
    const first = arm(Object.fromEntries(names.map((f, k) => [f, k === 0 ? 0 : k <= 2 ? 1 : 5])));
    const second = arm({ f0: 9 });
    expect(busiestFamilies([first, second])).to.deep.equal({ families: ['f0', ...names.slice(3)], left: 2 });
    expect(busiestFamilies([arm({ b: 1, a: 1 })])).to.deep.equal({ families: ['b', 'a'], left: 0 });
  });
});
