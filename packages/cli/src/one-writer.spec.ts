import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-one-writer-'));
const config = join(dir, 'hard.yaml');
writeFileSync(config, ['name: hard', 'seeds: 2', 'cycles: 300000', 'task: hard', 'log: { every: 100 }', 'checkpoint: { every: 200 }', ''].join('\n'));

const rows = (out: string) =>
  existsSync(join(out, 'seed-0', 'metrics.csv')) ? readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8').split('\n').length - 2 : 0;

/** Starts `diffstruct ...args` and resolves once `out`'s seed 0 has logged `atRows` rows. */
function startRun(out: string, atRows: number, ...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (rows(out) < atRows) return;
      clearInterval(poll);
      resolve(child);
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`the run ended (${code}) before ${atRows} rows`));
    });
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));

describe('one writer per run folder', function () {
  this.timeout(180000);

  it('a second writer of the same seeds is refused naming the first; report says what is in flight, then stopped; a SIGKILLed run leaves no lock stuck', async () => {
    const out = join(dir, 'contested');
    const first = await startRun(out, 2, 'run', config, '--seeds', '1', '--cycles', '200000', '--workers', '1', '--out', out);
    try {
      const second = diffstruct('run', '--resume', out);
      expect(second.code, second.stderr).to.equal(2);
      expect(second.stderr).to.contain(`${join(out, 'seed-0')} is being written by a process (pid ${first.pid} on ${hostname()}`);
      expect(second.stderr).to.contain(`delete ${join(out, 'seed-0', 'writer.lock')} and start again`);
      expect(second.stderr, 'refused before any progress is drawn').not.to.contain('ETA');
      const inFlight = `in flight (their numbers are partial):\n    hard seed 0: by a process (pid ${first.pid}`;
      for (const report of [diffstruct('report', out), diffstruct('report', out, '--table')]) {
        expect(report.code, 'the numbers are not the whole run').to.equal(3);
        expect(report.stderr).to.contain('incomplete: 0 of 1 (arm, seed) job finished');
        expect(report.stderr).to.contain(inFlight);
      }
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    expect(diffstruct('report', out).stderr, 'its writer gone, the seed waits for --resume').to.match(/stopped with a checkpoint .*: hard seed 0\n/);
    // The killed run's lock is stale (its process is gone): the resume takes it over and stops at once.
    const resumed = await startRun(out, rows(out) + 1, 'run', '--resume', out, '--workers', '1');
    resumed.kill('SIGKILL');
    await exited(resumed);
  });

  it('two shards write one folder at once; the same shard twice is refused', async () => {
    const out = join(dir, 'shared');
    const shard = (i: number) => ['run', config, '--seeds', '2', '--cycles', '600', '--workers', '1', '--shard', `${i}/2`];
    const first = spawn(process.execPath, [BIN, ...shard(1), '--out', out], { stdio: 'ignore' });
    const second = spawn(process.execPath, [BIN, ...shard(2), '--out', out], { stdio: 'ignore' });
    expect(await Promise.all([exited(first), exited(second)])).to.deep.equal([0, 0]);
    expect(existsSync(join(out, 'seed-0', 'result.json')) && existsSync(join(out, 'seed-1', 'result.json'))).to.equal(true);

    const twice = join(dir, 'twice');
    const long = await startRun(twice, 1, 'run', config, '--seeds', '2', '--cycles', '200000', '--workers', '1', '--shard', '1/2', '--out', twice);
    try {
      const again = diffstruct('run', '--resume', twice, '--shard', '1/2');
      expect(again.code, again.stderr).to.equal(2);
      expect(again.stderr).to.contain('is being written by a process');
    } finally {
      long.kill('SIGKILL');
      await exited(long);
    }
  });
});
