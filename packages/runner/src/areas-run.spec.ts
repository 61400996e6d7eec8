import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperimentConfig, parseMetrics, seedFolder } from '@diffstruct/core/host';
import { createContainer } from './container.js';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

const TWO_AREAS = [
  'model:',
  '  type: areas',
  '  areas: [{ name: sensory, hidden: 2 }, { name: memory }]',
  '  links:',
  '    - { from: input, to: sensory }',
  '    - { from: sensory, to: memory }',
  '    - { from: memory, to: sensory }',
  '    - { from: sensory, to: output }',
  '    - { from: memory, to: output }',
  '  maxAreas: 5',
  '  areaTemplate: memory',
];

describe('the areas model in a run', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-areas-'));

  it('refuses a graph it cannot build, each problem at the place it was written', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'name: bad',
        'task: hard',
        'model:',
        '  type: areas',
        '  areas: [{ name: sensory }, { name: memory }, { name: sensory }]',
        '  links:',
        '    - { from: input, to: sensory }',
        '    - { from: sensory, to: memroy }',
        '    - { from: sensory, to: output }',
        'policies: { area: none }',
      ].join('\n'),
    );
    const error = await loadExperimentConfig(file, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message.split('\n')).to.deep.equal([
      `${file}:5:56: model.areas[2].name: model.areas[2].name ("sensory") is the name of model.areas[0].name ("sensory") too: each area needs a name of its own`,
      `${file}:8:28: model.links[1].to: model.links[1].to ("memroy") is neither output nor an area (areas: sensory, memory)`,
      `${file}:10:19: policies.area: expected a growable family of the areas model (neurons, areas), found "area"`,
    ]);
    writeFileSync(file, ['name: cut', 'task: hard', ...TWO_AREAS.filter((line) => !line.includes('from: sensory, to: memory'))].join('\n'));
    const cut = await loadExperimentConfig(file, createContainer()).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(cut).to.contain(
      `${file}:5:49: model.areas[1].name: model.areas[1].name ("memory") is on no path of links from input: it would never see the symbols`,
    );
    writeFileSync(file, ['name: no-links', 'task: hard', 'model:', '  type: areas', '  areas: [{ name: sensory }]'].join('\n'));
    const noLinks = await loadExperimentConfig(file, createContainer()).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(noLinks.split('\n')).to.deep.equal([
      `${file}:5:10: model.areas: model.areas is written without links: say which feeds which, e.g. links: [{ from: input, to: sensory }, { from: sensory, to: output }] (without links, the one area is main)`,
    ]);
  });

  it('adds and deletes areas as units, their neurons with them, and resumes byte-identically across it', async () => {
    // A strong L1 on the areas' multipliers, no reserve and frequent spontaneous additions, so areas come and go every few hundred cycles.
    const experiment = config(
      [
        'name: areas-run',
        'seeds: 1',
        'cycles: 2000',
        'log: { every: 100 }',
        'checkpoint: { every: 400 }',
        'task: hard',
        ...TWO_AREAS,
        'policies: { areas: { reserve: 0, spontaneousAddProbability: 0.01, deleteProbability: 0.02, l1: 0.003 } }',
      ].join('\n'),
    );
    const straight = join(dir, 'straight');
    const stopped = join(dir, 'stopped');
    await runExperiment(experiment, { out: straight, workers: 1, resolveFrom: dir });
    await runExperiment(experiment, { out: stopped, workers: 1, resolveFrom: dir, stopAtCycle: 1050 });
    await runExperiment(experiment, { out: stopped, workers: 1, resolveFrom: dir, resume: true });

    const file = (out: string, name: string) => readFileSync(join(seedFolder(out, experiment, experiment.arms[0].name, 0), name), 'utf8');
    for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl']) expect(file(stopped, name), name).to.equal(file(straight, name));
    const metrics = parseMetrics(file(straight, 'metrics.csv'), 'metrics.csv');
    expect(metrics.columns.slice(0, 6)).to.deep.equal(['cycle', 'loss', 'smoothLoss', 'units', 'neurons', 'areas']);
    const events = file(straight, 'events.jsonl')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; cycle: number; growable: string });
    const ofAreas = (type: string, before: boolean) => events.filter((e) => e.growable === 'areas' && e.type === type && e.cycle < 1050 === before).length;
    // Areas are added and deleted both before the stop and after it: the resume rebuilt a changed structure and went on changing it.
    for (const before of [true, false]) for (const type of ['unitAdded', 'unitRemoved']) expect(ofAreas(type, before), `${type} ${before}`).to.be.above(0);
    expect(events.some((e) => /^area:memory\+\d+$/.test(e.growable))).to.equal(true);
  });
});
