import { expect } from 'chai';
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrowableView } from '@diffstruct/core';
import { multipliersLine } from '@diffstruct/core/host';
import { birthsAndDeaths, type Lifeline, readLifelines, readSeedEvents } from './lifelines.js';

/** A growable as multipliersLine reads it: unit ids and multipliers in index order. */
function growable(id: string, ids: number[], multipliers: number[], family?: string): GrowableView {
  return {
    id,
    ...(family ? { family } : {}),
    size: ids.length,
    maxSize: 100,
    unitId: (i) => ids[i],
    multiplier: (i) => multipliers[i],
    birthCycle: () => 0,
  };
}

/** A lifeline; `samples` flat: cycle, multiplier, cycle, multiplier... */
function life(unit: number, birth: number, death: number | null, samples: (number | null)[], inheritedFrom?: number): Lifeline {
  const pairs: [number, number | null][] = [];
  for (let i = 0; i < samples.length; i += 2) pairs.push([samples[i] as number, samples[i + 1]]);
  return { unit, birth, death, inherited: inheritedFrom !== undefined, ...(inheritedFrom === undefined ? {} : { inheritedFrom }), samples: pairs };
}

const EVENTS = [
  { type: 'unitAdded', cycle: 150, growable: 'hidden', unit: 2, age: 0, multiplier: 0.05, init: 'random', reason: 'reserve-low' },
  { type: 'unitAdded', cycle: 200, growable: 'hidden', unit: 3, age: 0, multiplier: 0.05, init: 'inherited', reason: 'reserve-low', inheritedFrom: 9 },
  { type: 'taskSwitched', cycle: 200, from: 'easy', to: 'hard' },
  { type: 'unitRemoved', cycle: 250, growable: 'hidden', unit: 1, age: 250, multiplier: 0.01, reason: 'below-threshold' },
];

/** A seed folder as a run writes it: hidden units 0 and 1 at the start, 2 and 3 added, 1 removed; a block's neurons (block5) that come and go with it. */
function seedFolder(withMultipliers = true): string {
  const folder = mkdtempSync(join(tmpdir(), 'diffstruct-lifelines-'));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'metrics.csv'), 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,1,2,2,1\n200,1,1,4,4,1\n300,1,1,3,3,1\n');
  writeFileSync(join(folder, 'events.jsonl'), EVENTS.map((e) => JSON.stringify(e) + '\n').join(''));
  if (withMultipliers) {
    const rows = [
      multipliersLine(0, [growable('hidden', [0, 1], [1, 0.5])]),
      multipliersLine(100, [growable('hidden', [0, 1], [1.23456, 0.4])]),
      multipliersLine(200, [growable('hidden', [0, 1, 2, 3], [1.3, 0.02, 0.06, Number.NaN]), growable('block5', [0, 1], [0.7, 0.8], 'block-width')]),
      multipliersLine(300, [growable('hidden', [0, 2, 3], [1.4, 0.07, 0.3])]),
    ];
    writeFileSync(join(folder, 'multipliers.jsonl'), rows.join('\n') + '\n');
  }
  return folder;
}

describe('readLifelines', () => {
  it('gives each unit ever alive its birth, death, inheritance and multiplier samples, and the task switches', () => {
    const lifelines = readLifelines(seedFolder());
    expect(lifelines).to.deep.equal({
      growables: {
        hidden: {
          family: 'hidden',
          lifelines: [
            life(0, 0, null, [0, 1, 100, 1.235, 200, 1.3, 300, 1.4]),
            // Its removal's multiplier, from the event, is its last sample.
            life(1, 0, 250, [0, 0.5, 100, 0.4, 200, 0.02, 250, 0.01]),
            // Its birth's multiplier, from the event, is its first.
            life(2, 150, null, [150, 0.05, 200, 0.06, 300, 0.07]),
            // Added in the cycle of a row: the row's sample (logged after the addition) replaces the event's.
            life(3, 200, null, [200, null, 300, 0.3], 9),
          ],
        },
        // No events: born at the first row that lists them, gone by the first row without them.
        block5: { family: 'block-width', lifelines: [life(0, 200, 300, [200, 0.7]), life(1, 200, 300, [200, 0.8])] },
      },
      switches: [200],
      lastCycle: 300,
      sampled: true,
    });
    expect(JSON.parse(JSON.stringify(lifelines)), 'plain JSON data').to.deep.equal(lifelines);
  });

  it('leaves out a last line cut short (a run writing it, or a crash), in every file', () => {
    const folder = seedFolder();
    const whole = readLifelines(folder);
    appendFileSync(join(folder, 'multipliers.jsonl'), '{"cycle":400,"growables":{"hidden":{"ids":[0,2');
    appendFileSync(join(folder, 'events.jsonl'), '{"type":"unitAdded","cyc');
    appendFileSync(join(folder, 'metrics.csv'), '400,1,1,');
    expect(readLifelines(folder)).to.deep.equal(whole);
  });

  it('reads a seed from before multipliers.jsonl: lifelines from the events, sampled at births and removals only', () => {
    const lifelines = readLifelines(seedFolder(false));
    expect(lifelines.sampled).to.equal(false);
    expect(lifelines.lastCycle).to.equal(300);
    expect(lifelines.growables.hidden.lifelines).to.deep.equal([
      life(1, 0, 250, [250, 0.01]),
      life(2, 150, null, [150, 0.05]),
      life(3, 200, null, [200, 0.05], 9),
    ]);
  });

  it('refuses a line that is not what a run writes, naming FILE:LINE and what was expected', () => {
    const folder = seedFolder();
    writeFileSync(join(folder, 'multipliers.jsonl'), '{"cycle":0,"growables":{}}\n{"cycle":100,"growables":{"hidden":{"ids":[0,1],"multipliers":[1]}}}\n');
    expect(() => readLifelines(folder)).to.throw(
      `${join(folder, 'multipliers.jsonl')}:2: growable "hidden": expected "ids" (integers) and "multipliers" of the same length`,
    );
    writeFileSync(join(folder, 'events.jsonl'), '[1,2]\n');
    expect(() => readLifelines(folder)).to.throw(`${join(folder, 'events.jsonl')}:1: expected an event`);
  });

  it('reads through the byte cap: an endless multipliers.jsonl is refused, naming it', function () {
    this.timeout(20000);
    const folder = seedFolder(false);
    symlinkSync('/dev/zero', join(folder, 'multipliers.jsonl'));
    expect(() => readLifelines(folder)).to.throw(`${join(folder, 'multipliers.jsonl')}: file over 500 MiB`);
  });
});

describe('birthsAndDeaths', () => {
  it('counts units added and removed per interval (k·interval, (k+1)·interval] and per family', () => {
    const events = [
      ...readSeedEvents(seedFolder()),
      { type: 'unitAdded', cycle: 100, growable: 'block5', unit: 4, age: 0, multiplier: 0.05, init: 'random', reason: 'x' } as const,
      { type: 'unitAdded', cycle: 101, growable: 'block6', unit: 0, age: 0, multiplier: 0.05, init: 'random', reason: 'x' } as const,
    ];
    const counted = birthsAndDeaths(events, 100, { lastCycle: 400, familyOf: { block5: 'block-width', block6: 'block-width' } });
    expect(counted).to.deep.equal({
      interval: 100,
      cycles: [100, 200, 300, 400],
      families: {
        hidden: { births: [0, 2, 0, 0], deaths: [0, 0, 1, 0] },
        'block-width': { births: [1, 1, 0, 0], deaths: [0, 0, 0, 0] },
      },
    });
    expect(birthsAndDeaths(events, 1000).cycles, 'up to the last event by default').to.deep.equal([1000]);
    expect(() => birthsAndDeaths(events, 0)).to.throw('interval must be a whole number ≥ 1');
  });
});
