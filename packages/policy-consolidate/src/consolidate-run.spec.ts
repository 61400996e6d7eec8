import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigLoader, ConfigSource, loadPluginPackages, parseMetrics, seedFolder } from '@diffstruct/core/host';
import { createContainer, runExperiment } from '@diffstruct/runner';

const RESOLVE_FROM = fileURLToPath(import.meta.url);

async function consolidateConfig(
  policy = '{ type: consolidate, window: 400, settled: 0.05, boost: 100 }',
  task = '{ type: schedule, phases: [ { task: hard, until: 3000 }, { task: easy } ] }',
) {
  const source = ConfigSource.parse(
    [
      'name: consolidate-run',
      'seeds: 1',
      'cycles: 6000',
      'log: { every: 200 }',
      'checkpoint: { every: 500 }',
      "plugins: ['@diffstruct/policy-consolidate']",
      `task: ${task}`,
      `policy: ${policy}`,
    ].join('\n'),
    'consolidate-run.yaml',
  );
  const container = createContainer();
  await loadPluginPackages(container, ConfigLoader.pluginNames(source), RESOLVE_FROM);
  return container.get(ConfigLoader).resolve(source);
}

describe('consolidate in a run', function () {
  this.timeout(60000);

  it('is configured from YAML, its options checked where they were written', async () => {
    const problem = (policy: string) =>
      consolidateConfig(policy).then(
        () => '',
        (error: Error) => error.message,
      );
    expect(await problem('{ type: consolidate, boost: 0.5 }')).to.include('consolidate-run.yaml:8:37: policy.boost: expected a number >= 1, found 0.5');
    expect(await problem('{ type: consolidate, minMultiplier: 0.1 }')).to.include('policy.minMultiplier (0.1) must be below policy.threshold (0.05)');
  });

  it('publishes when it presses as a metrics column, and resumes byte-identically', async () => {
    const config = await consolidateConfig();
    const base = mkdtempSync(join(tmpdir(), 'diffstruct-consolidate-'));
    const straight = join(base, 'straight');
    const stopped = join(base, 'stopped');
    await runExperiment(config, { out: straight, workers: 1, resolveFrom: RESOLVE_FROM });
    // Stopped while pressing: it resumes from the checkpoint at 5500, with the boosted L1 and the lowest loss to restore.
    await runExperiment(config, { out: stopped, workers: 1, resolveFrom: RESOLVE_FROM, stopAtCycle: 5700 });
    await runExperiment(config, { out: stopped, workers: 1, resolveFrom: RESOLVE_FROM, resume: true });

    const file = (out: string, name: string) => readFileSync(join(seedFolder(out, config, config.arms[0].name, 0), name), 'utf8');
    const rows = parseMetrics(file(straight, 'metrics.csv'), 'metrics.csv').values;
    const pressing = rows['hidden.pressing'];
    expect(pressing.includes(1) && pressing.includes(0)).to.equal(true);
    expect(pressing[rows.cycle.indexOf(5600)], 'pressing at the row before the stop').to.equal(1);
    for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl']) expect(file(stopped, name), name).to.equal(file(straight, name));
  });

  it("is the paper's policy on a task that never switches: the same events and rows, and a pressing column of zeros", async () => {
    const base = mkdtempSync(join(tmpdir(), 'diffstruct-consolidate-'));
    const seedFile = async (policy: string, name: string) => {
      const config = await consolidateConfig(policy, 'hard');
      const out = join(base, policy.replace(/\W+/g, '-'));
      await runExperiment(config, { out, workers: 1, resolveFrom: RESOLVE_FROM });
      return readFileSync(join(seedFolder(out, config, config.arms[0].name, 0), name), 'utf8');
    };
    expect(await seedFile('{ type: consolidate }', 'events.jsonl')).to.equal(await seedFile('threshold', 'events.jsonl'));
    const rows = parseMetrics(await seedFile('{ type: consolidate }', 'metrics.csv'), 'metrics.csv');
    const paper = parseMetrics(await seedFile('threshold', 'metrics.csv'), 'metrics.csv');
    expect(rows.values['hidden.pressing'].every((v) => v === 0)).to.equal(true);
    for (const column of paper.columns) expect(rows.values[column], column).to.deep.equal(paper.values[column]);
  });
});
