import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrowableView } from '@diffstruct/core';
import { multipliersLine } from '@diffstruct/core/host';
import { readRunFolders } from './run-data.js';
import { MAX_BIRTHS_PANELS } from './births-deaths.js';
import { birthsDeathsSpec, birthsInterval, drawnGrowables, lifelinePanels, MAX_LIFELINE_PANELS, medianSeed } from './structure-figures.js';
import { writeReport } from './write-report.js';

const growable = (id: string, size: number, family = 'block-width'): GrowableView => ({
  id,
  family,
  size,
  maxSize: 100,
  unitId: (i) => i,
  multiplier: () => 0.5,
  birthCycle: () => 0,
});

/**
 * Seeds 0–2 whose final smooth loss is 3, 1, 2; each with `growables` growables of 1, 2, … units
 * (then `others`), and a unit added at cycle 150 (then `events`).
 */
function run(growables: number, events: readonly object[] = [], others: readonly GrowableView[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-structure-'));
  writeFileSync(join(dir, 'config.yaml'), 'name: grown\ncycles: 200\n');
  [3, 1, 2].forEach((loss, seed) => {
    const folder = join(dir, `seed-${seed}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'metrics.csv'), `cycle,loss,smoothLoss,units,block-width,multiplierSum\n100,1,9,3,3,1\n200,1,${loss},3,3,1\n`);
    writeFileSync(join(folder, 'result.json'), JSON.stringify({ arm: 'grown', seed, cycles: 200, finished: true, switches: [], seconds: 1 }));
    const all = [...Array.from({ length: growables }, (_, g) => growable(`block${g}`, g + 1)), ...others];
    writeFileSync(join(folder, 'multipliers.jsonl'), [0, 100, 200].map((cycle) => multipliersLine(cycle, all) + '\n').join(''));
    const added = { type: 'unitAdded', cycle: 150, growable: 'block0', unit: 7, age: 0, multiplier: 0.05, init: 'random', reason: 'r' };
    writeFileSync(join(folder, 'events.jsonl'), [added, ...events].map((e) => JSON.stringify(e) + '\n').join(''));
  });
  return dir;
}

describe('structure figures', () => {
  it('draw the median seed by final smooth loss, the growables with the most units first, at most a few, saying so', () => {
    const data = readRunFolders([run(MAX_LIFELINE_PANELS + 2)]);
    expect(medianSeed(data.arms[0])?.seed).to.equal(2);
    const { panels, notes } = lifelinePanels(data);
    expect(panels.map((p) => p.title)).to.deep.equal([
      'grown, seed 2: block5 (block-width), 6 units born, 6 alive at the end',
      'grown, seed 2: block4 (block-width), 5 units born, 5 alive at the end',
      'grown, seed 2: block3 (block-width), 4 units born, 4 alive at the end',
      'grown, seed 2: block2 (block-width), 3 units born, 3 alive at the end',
    ]);
    expect(notes).to.deep.equal([`grown: the ${MAX_LIFELINE_PANELS} largest of ${MAX_LIFELINE_PANELS + 2} growables`]);
  });

  it('draw the largest growable of each family first, saying so', () => {
    const { panels, notes } = lifelinePanels(readRunFolders([run(MAX_LIFELINE_PANELS + 2, [], [growable('blocks', 2, 'blocks')])]));
    expect(panels.map((p) => p.title.split(':')[1].split(',')[0])).to.deep.equal([
      ' block5 (block-width)',
      ' block4 (block-width)',
      ' block3 (block-width)',
      ' blocks',
    ]);
    expect(notes).to.deep.equal([
      `grown: ${MAX_LIFELINE_PANELS} of ${MAX_LIFELINE_PANELS + 3} growables: each family's largest first, then the others, by size`,
    ]);
  });

  it('choose the largest growable of each family first, then the largest others', () => {
    const g = (id: string, family: string) => [id, { family }] as const;
    const growables = [g('n0', 'neurons'), g('n1', 'neurons'), g('n2', 'neurons'), g('n3', 'neurons'), g('areas', 'areas'), g('n4', 'neurons')];
    expect(drawnGrowables(growables).map(([id]) => id)).to.deep.equal(['n0', 'n1', 'n2', 'areas']);
    expect(drawnGrowables(growables.slice(0, 3)).map(([id]) => id)).to.deep.equal(['n0', 'n1', 'n2']);
  });

  it('draw births and deaths of the busiest families only, saying so, when a run from before events named families has hundreds', () => {
    // Events without a family, as an areas run from before then wrote them: each short-lived growable is a family of its own.
    const shortLived = Array.from({ length: 400 }, (_, k) => ({
      type: 'unitAdded',
      cycle: 1 + (k % 199),
      growable: `area:m+${k}`,
      unit: 1,
      age: 0,
      multiplier: 0.05,
      init: 'random',
      reason: 'r',
    }));
    // The last one is the busiest: four units.
    const busy = [2, 3, 4].map((unit) => ({ ...shortLived[399], unit }));
    type Spec = { vconcat: { transform: { filter: { equal: string } }[] }[]; title: { subtitle: string[] } };
    const spec = birthsDeathsSpec(readRunFolders([run(1, [...shortLived, ...busy])])) as unknown as Spec;
    expect(spec.vconcat).to.have.length(MAX_BIRTHS_PANELS);
    expect(
      spec.vconcat.map((panel) => panel.transform[0].filter.equal),
      'the busiest, then the first of the ties, in order of first appearance',
    ).to.deep.equal(['block-width', 'area:m+0', 'area:m+1', 'area:m+2', 'area:m+3', 'area:m+399']);
    expect(spec.title.subtitle[2]).to.equal(
      `the ${MAX_BIRTHS_PANELS} families with the most units added and removed; ${401 - MAX_BIRTHS_PANELS} others not drawn`,
    );
    const named = shortLived.map((e) => ({ ...e, family: 'block-width' }));
    expect(
      (birthsDeathsSpec(readRunFolders([run(1, named)])) as unknown as { vconcat: unknown[] }).vconcat,
      'events naming their family: one panel',
    ).to.have.length(1);
  });

  it('are written by the report: lifelines and births-deaths, as SVG and PNG', async function () {
    this.timeout(30000);
    const dir = run(1);
    const { files, warnings } = await writeReport(dir, [dir]);
    expect(warnings).to.deep.equal([]);
    for (const name of ['lifelines.svg', 'lifelines.png', 'births-deaths.svg', 'births-deaths.png']) {
      expect(files).to.include(join(dir, name));
      expect(existsSync(join(dir, name)), name).to.equal(true);
    }
  });

  it('count births and deaths over about 40 round intervals', () => {
    expect([150, 4000, 30000, 300000, 1e6].map(birthsInterval)).to.deep.equal([5, 100, 1000, 10000, 50000]);
  });
});
