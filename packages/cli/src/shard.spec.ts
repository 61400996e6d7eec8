import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-shard-'));
const config = join(dir, 'sweep.yaml');
writeFileSync(
  config,
  ['name: sharded', 'seeds: 3', 'cycles: 600', 'log: { every: 200 }', 'arms:', '  - { name: easy, task: easy }', '  - { name: hard, task: hard }', ''].join(
    '\n',
  ),
);

const metrics = (out: string, arm: string, seed: number) => readFileSync(join(out, arm, `seed-${seed}`, 'metrics.csv'), 'utf8');

describe('diffstruct run --shard', function () {
  this.timeout(120000);
  const whole = join(dir, 'whole');
  const shared = join(dir, 'shared');

  it('splits the (arm, seed) jobs between shards sharing one folder; report merges them into the unsharded result', () => {
    expect(diffstruct('run', config, '--workers', '1', '--out', whole).code).to.equal(0);
    const first = diffstruct('run', config, '--workers', '1', '--out', shared, '--shard', '1/2');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stderr).to.contain('shard 1/2: 3 of them').and.contain(`When every shard is: diffstruct report ${shared}`);
    // Round-robin over the job list (easy 0, easy 1, easy 2, hard 0, hard 1, hard 2).
    expect(['easy/seed-0', 'easy/seed-2', 'hard/seed-1'].every((f) => existsSync(join(shared, f)))).to.equal(true);
    expect(['easy/seed-1', 'hard/seed-0', 'hard/seed-2'].some((f) => existsSync(join(shared, f)))).to.equal(false);
    expect(existsSync(join(shared, 'summary.json'))).to.equal(false);
    const early = diffstruct('report', shared, '--table');
    expect(early.code, 'a sweep half run is not summarised as if complete').to.equal(3);
    expect(early.stderr)
      .to.contain('incomplete: 3 of 6 (arm, seed) jobs finished')
      .and.match(/not started.*: easy seed 1; hard seeds 0, 2\n/);
    expect(diffstruct('run', config, '--workers', '1', '--out', shared, '--shard', '2/2').code).to.equal(0);
    const report = diffstruct('report', shared);
    expect(report.code, report.stderr).to.equal(0);
    for (const arm of ['easy', 'hard']) for (const seed of [0, 1, 2]) expect(metrics(shared, arm, seed), `${arm} ${seed}`).to.equal(metrics(whole, arm, seed));
    const summary = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary(shared).arms).to.deep.equal(summary(whole).arms);
  });

  it('refuses to join a folder of another experiment, or to redo a started shard without --force', () => {
    const other = diffstruct('run', config, '--seeds', '2', '--out', shared, '--shard', '1/2');
    expect(other.code).to.equal(2);
    expect(other.stderr).to.contain('holds another run').and.contain('seeds: 3 there, 2 here').and.contain('--seeds');
    const again = diffstruct('run', config, '--out', shared, '--shard', '2/2');
    expect(again.code).to.equal(2);
    expect(again.stderr).to.contain('shard 2/2 has already started there').and.contain(`--resume ${shared} --shard 2/2`);
    const forced = diffstruct('run', config, '--workers', '1', '--out', shared, '--shard', '2/2', '--force');
    expect(forced.code, forced.stderr).to.equal(0);
    expect(forced.stderr).to.contain('deleting the 3 seed folders of shard 2/2');
    expect(existsSync(join(shared, 'easy', 'seed-0', 'metrics.csv'))).to.equal(true);
  });

  it('explains a malformed --shard', () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b']) {
      const { code, stderr } = diffstruct('run', config, '--shard', bad);
      expect(code, bad).to.equal(2);
      expect(stderr).to.contain(`--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/8), found "${bad}"`);
    }
  });
});
