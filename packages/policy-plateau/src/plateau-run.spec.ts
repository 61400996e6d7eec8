import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigLoader, ConfigSource, loadPluginPackages, parseMetrics, seedFolder } from '@diffstruct/core/host';
import { createContainer, runExperiment } from '@diffstruct/runner';

const RESOLVE_FROM = fileURLToPath(import.meta.url);

async function plateauConfig(policy = '{ type: plateau, window: 400, minImprovement: 5 }') {
  const source = ConfigSource.parse(
    [
      'name: plateau-run',
      'seeds: 1',
      'cycles: 6000',
      'log: { every: 200 }',
      'checkpoint: { every: 500 }',
      "plugins: ['@diffstruct/policy-plateau']",
      'task: { type: schedule, phases: [ { task: easy, until: 3000 }, { task: hard } ] }',
      `policy: ${policy}`,
    ].join('\n'),
    'plateau-run.yaml',
  );
  const container = createContainer();
  await loadPluginPackages(container, ConfigLoader.pluginNames(source), RESOLVE_FROM);
  return container.get(ConfigLoader).resolve(source);
}

describe('plateau in a run', function () {
  this.timeout(60000);

  it('is configured from YAML, its options checked where they were written', async () => {
    const problems = async (policy: string) =>
      plateauConfig(policy).then(
        () => '',
        (error: Error) => error.message,
      );
    expect(await problems('{ type: plateau, window: 510 }')).to.include('plateau-run.yaml:8:34: policy.window: expected a multiple of 20, found 510');
    expect(await problems('{ type: plateau, minMultiplier: 0.1 }')).to.include('policy.minMultiplier (0.1) must be below policy.threshold (0.05)');
  });

  it('publishes its signal as a metrics column, grows, and resumes byte-identically', async () => {
    const config = await plateauConfig();
    const base = mkdtempSync(join(tmpdir(), 'diffstruct-plateau-'));
    const straight = join(base, 'straight');
    const stopped = join(base, 'stopped');
    await runExperiment(config, { out: straight, workers: 1, resolveFrom: RESOLVE_FROM });
    await runExperiment(config, { out: stopped, workers: 1, resolveFrom: RESOLVE_FROM, stopAtCycle: 3700 });
    await runExperiment(config, { out: stopped, workers: 1, resolveFrom: RESOLVE_FROM, resume: true });

    const file = (out: string, name: string) => readFileSync(join(seedFolder(out, config, config.arms[0].name, 0), name), 'utf8');
    const metrics = parseMetrics(file(straight, 'metrics.csv'), 'metrics.csv');
    expect(metrics.columns.at(-1)).to.equal('hidden.improvement');
    expect(metrics.values['hidden.improvement'].some((v) => v !== 0 && Number.isFinite(v))).to.equal(true);
    expect(file(straight, 'events.jsonl')).to.include('"reason":"plateau"');
    for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl']) expect(file(stopped, name), name).to.equal(file(straight, name));
  });
});
