import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN, diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-run-cli-'));
const config = join(dir, 'tiny.yaml');
writeFileSync(
  config,
  ['name: tiny', 'seeds: 20', 'cycles: 300000', 'log: { every: 200 }', 'arms:', '  - { name: easy, task: easy }', '  - { name: hard, task: hard }', ''].join(
    '\n',
  ),
);

describe('diffstruct run and report', function () {
  this.timeout(120000);
  const out = join(dir, 'out');

  it('runs every (arm, seed) with --seeds/--cycles overrides, shows progress, writes the run folder and says where the figures are', () => {
    const { code, stderr } = diffstruct('run', config, '--seeds', '2', '--cycles', '1000', '--workers', '2', '--out', out);
    expect(code, stderr).to.equal(0);
    expect(stderr)
      .to.contain('tiny: 2 arms × 2 seeds')
      .and.contain('[100%] 4 of 4 seeds finished\n')
      .and.match(/done in \d+s: 4 of 4 seeds finished\n/);
    // The summary says what its numbers are; the hard task has an entropy floor.
    expect(stderr).to.contain('per arm, median [first quartile, third quartile] over its seeds, at the last logged cycle:\n');
    expect(stderr).to.match(/\n {2}hard \(2 seeds, cycle 1000\): smooth loss \d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\] \(entropy floor 8\.96\), units /);
    expect(stderr).to.contain(join(out, 'curves.png'));
    for (const arm of ['easy', 'hard'])
      for (const seed of [0, 1])
        for (const f of ['metrics.csv', 'events.jsonl', 'result.json'])
          expect(existsSync(join(out, arm, `seed-${seed}`, f)), `${arm}/${seed}/${f}`).to.equal(true);
    for (const f of ['config.yaml', 'summary.json', 'curves.svg', 'curves.png', 'final.svg', 'final.png']) expect(existsSync(join(out, f)), f).to.equal(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.arms.map((a: { name: string; seeds: number; cycles: number }) => [a.name, a.seeds, a.cycles])).to.deep.equal([
      ['easy', 2, 1000],
      ['hard', 2, 1000],
    ]);
    expect(summary.arms[0].curve).to.have.length(5);
  });

  it('refuses an existing run folder unless --force, which says what it deletes', () => {
    const refused = diffstruct('run', config, '--seeds', '1', '--cycles', '200', '--out', out);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain(`${out} exists and is not empty`).and.contain('--force');
    const forced = diffstruct('run', config, '--seeds', '1', '--cycles', '200', '--out', out, '--force');
    expect(forced.code, forced.stderr).to.equal(0);
    expect(forced.stderr).to.contain(`--force: deleting the existing run folder ${out}`);
    expect(existsSync(join(out, 'easy', 'seed-1'))).to.equal(false);
  });

  it('report redraws the summary and figures from the metrics', () => {
    rmSync(join(out, 'summary.json'));
    rmSync(join(out, 'curves.png'));
    const { code, stderr } = diffstruct('report', out);
    expect(code, stderr).to.equal(0);
    expect(existsSync(join(out, 'summary.json'))).to.equal(true);
    expect(existsSync(join(out, 'curves.png'))).to.equal(true);
    expect(stderr).to.match(/easy \(1 seed, cycle 200\): smooth loss \d+\.\d\d/);
  });

  it('prints no entropy floor for a table task (its floor, 0, is below every loss anyway)', () => {
    const table = join(dir, 'table.yaml');
    writeFileSync(
      table,
      ['name: table', 'seeds: 1', 'cycles: 200', 'log: { every: 100 }', 'task: parity', 'model: { type: feedforward, hidden: [4] }', ''].join('\n'),
    );
    const { code, stderr } = diffstruct('run', table, '--out', join(dir, 'table'));
    expect(code, stderr).to.equal(0);
    expect(stderr).to.match(/\n {2}table \(1 seed, cycle 200\): smooth loss \d+\.\d\d \[[^\]]*\], units /);
    expect(stderr).to.not.contain('entropy floor');
  });

  it('finishes when whoever reads its output stops reading (`run … 2>&1 | head -1`): a closed pipe is no error', async () => {
    const table = join(dir, 'piped.yaml');
    writeFileSync(
      table,
      ['name: piped', 'seeds: 1', 'cycles: 200', 'log: { every: 100 }', 'task: parity', 'model: { type: feedforward, hidden: [4] }', ''].join('\n'),
    );
    const out = join(dir, 'piped');
    const child = spawn(process.execPath, [BIN, 'run', table, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    child.stderr.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).to.equal(0);
    expect(existsSync(join(out, 'summary.json'))).to.equal(true);
  });

  it('lists every exit code in run --help', () => {
    const { stdout } = diffstruct('run', '--help');
    for (const code of ['0 every seed finished', '2 bad input', '3 some seeds failed', '130 interrupted by SIGINT', '143 by SIGTERM', '1 an internal error'])
      expect(stdout.replace(/\s+/g, ' ')).to.contain(code);
  });

  it('refuses bad flag values with the flag named', () => {
    const { code, stderr } = diffstruct('run', config, '--seeds', '0');
    expect(code).to.equal(2);
    expect(stderr).to.contain('--seeds: expected a whole number from 1 to 1000, found "0"');
    expect(diffstruct('report', join(dir, 'no-such-run')).stderr).to.contain('not a run folder');
  });

  it('--set changes a config value for every arm, records it in config.yaml, names itself in a problem, and stays out of a resume', () => {
    const setOut = join(dir, 'set');
    const ran = diffstruct(
      'run',
      config,
      '--seeds',
      '1',
      '--cycles',
      '200',
      '--set',
      'model.hidden=3',
      '--set',
      'arms.1.model.kernel=simd-f32',
      '--out',
      setOut,
    );
    expect(ran.code, ran.stderr).to.equal(0);
    const written = parse(readFileSync(join(setOut, 'config.yaml'), 'utf8'));
    expect(written.arms.map((a: { model: { hidden: number; kernel: string } }) => [a.model.hidden, a.model.kernel])).to.deep.equal([
      [3, 'simd-f64'],
      [3, 'simd-f32'],
    ]);
    const bad = diffstruct('run', config, '--set', 'model.kernel=simd-f16', '--out', join(dir, 'set-bad'));
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--set model.kernel=simd-f16: model.kernel: expected one of').and.contain('found "simd-f16"');
    expect(existsSync(join(dir, 'set-bad'))).to.equal(false);
    const resumed = diffstruct('run', '--resume', setOut, '--set', 'model.hidden=4');
    expect(resumed.code).to.equal(2);
    expect(resumed.stderr).to.contain('--set model.hidden=4: not with --resume: a resumed run keeps the values its config.yaml holds');
    expect(diffstruct('run', config, '--set', 'model.hidden').stderr).to.contain('--set: expected key=value');
    // A shard whose --set only restates a default joins the folder: same settings, another key order in config.yaml.
    const shared = join(dir, 'set-shards');
    expect(diffstruct('run', config, '--seeds', '1', '--cycles', '200', '--shard', '1/2', '--out', shared).code).to.equal(0);
    const restated = diffstruct('run', config, '--seeds', '1', '--cycles', '200', '--shard', '2/2', '--set', 'model.kernel=simd-f64', '--out', shared);
    expect(restated.code, restated.stderr).to.equal(0);
    const checked = diffstruct('validate', config, '--set', 'model.hidden=0');
    expect([checked.code, checked.stderr]).to.deep.equal([2, '--set model.hidden=0: model.hidden: expected an integer >= 1, found 0 (in every arm)\n']);
  });
});
