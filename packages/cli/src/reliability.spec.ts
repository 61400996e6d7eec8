import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-reliability-'));
const config = join(dir, 'hard.yaml');
writeFileSync(config, ['name: hard', 'seeds: 1', 'cycles: 300000', 'task: hard', 'log: { every: 100 }', ''].join('\n'));
// Long enough (200 rows) that a signal sent after a dozen rows lands mid-run on a busy machine too.
const RUN = ['run', config, '--seeds', '1', '--cycles', '20000', '--checkpoint-every', '250', '--workers', '1'];

const rows = (out: string) =>
  existsSync(join(out, 'seed-0', 'metrics.csv')) ? readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8').split('\n').length - 2 : 0;

/** Starts a run and sends `signal` once its metrics pass `atRows` rows; resolves with the exit code and stderr. */
function runAndSignal(out: string, signal: NodeJS.Signals, atRows: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...RUN, '--out', out]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (rows(out) >= atRows) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

describe('crash safety of diffstruct run', function () {
  this.timeout(180000);
  const straight = join(dir, 'straight');

  before(() => {
    const { code, stderr } = diffstruct(...RUN, '--out', straight);
    expect(code, stderr).to.equal(0);
  });

  const same = (out: string) => {
    for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl']) {
      expect(readFileSync(join(out, 'seed-0', name), 'utf8'), name).to.equal(readFileSync(join(straight, 'seed-0', name), 'utf8'));
    }
  };

  it('SIGKILL mid-run, then --resume: byte-identical metrics.csv and events.jsonl', async () => {
    const out = join(dir, 'killed');
    const killed = await runAndSignal(out, 'SIGKILL', 12);
    expect(killed.signal).to.equal('SIGKILL');
    expect(rows(out)).to.be.below(200);
    const resumed = diffstruct('run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.stderr).to.contain('(resuming)');
    same(out);
  });

  it('SIGINT: stops at a cycle boundary with a checkpoint, prints the resume command, exits 130; the resumed run is identical', async () => {
    const out = join(dir, 'interrupted');
    const interrupted = await runAndSignal(out, 'SIGINT', 8);
    expect(interrupted.code).to.equal(130);
    expect(interrupted.stderr).to.contain('SIGINT: stopping every seed at the next cycle boundary');
    expect(interrupted.stderr).to.contain(`diffstruct run --resume ${out}`);
    // An interrupted seed is counted as interrupted, not as done.
    expect(interrupted.stderr).to.contain('interrupted (0 of 1 seed finished, 1 interrupted): checkpoints written');
    expect(interrupted.stderr).to.not.match(/1\/1 runs done|1 of 1 seed finished/);
    expect(existsSync(join(out, 'seed-0', 'checkpoint.json'))).to.equal(true);
    const resumed = diffstruct('run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    same(out);
  });

  it('SIGTERM: stops the same way and exits 143 (128 + 15), not 130', async () => {
    const out = join(dir, 'terminated');
    const terminated = await runAndSignal(out, 'SIGTERM', 8);
    expect(terminated.code, terminated.stderr).to.equal(143);
    expect(terminated.stderr).to.contain('SIGTERM: stopping every seed at the next cycle boundary');
    expect(terminated.stderr).to.contain(`diffstruct run --resume ${out}`);
    expect(existsSync(join(out, 'seed-0', 'checkpoint.json'))).to.equal(true);
  });

  it('refuses to change seeds or cycles of a run being resumed, and a folder that is not a run', () => {
    expect(diffstruct('run', '--resume', straight, '--seeds', '2').stderr).to.contain('--seeds cannot change a run being resumed');
    expect(diffstruct('run', config, '--resume', straight).stderr).to.contain('either a config or --resume DIR');
    const missing = diffstruct('run', '--resume', join(dir, 'nothing'));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('not a run folder');
  });

  it('a diverging seed stops alone: the others finish, the summary marks it, the exit code says so', () => {
    const mixed = join(dir, 'mixed.yaml');
    writeFileSync(
      mixed,
      [
        'name: mixed',
        'seeds: 1',
        'cycles: 400',
        'log: { every: 100 }',
        'task: hard',
        'arms:',
        '  - { name: fine }',
        '  - { name: diverges, optimizer: { learningRate: 100 }, model: { initScale: 10, initialMultiplier: 100 } }',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'mixed');
    const { code, stderr } = diffstruct('run', mixed, '--out', out);
    expect(code).to.equal(3);
    expect(stderr).to.contain('diverges seed 0 stopped: the loss became Infinity at cycle 0');
    expect(stderr).to.contain('1 of 2 seeds did not finish');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.arms.map((a: { name: string }) => a.name)).to.deep.equal(['fine']);
    expect(summary.failed).to.deep.equal([{ arm: 'diverges', seed: 0, cycles: 0, error: 'the loss became Infinity at cycle 0' }]);
    expect(existsSync(join(out, 'fine', 'seed-0', 'result.json'))).to.equal(true);
    expect(JSON.parse(readFileSync(join(out, 'diverges', 'seed-0', 'result.json'), 'utf8')).error).to.contain('Infinity');
  });
});

describe('resume refuses changed inputs', function () {
  this.timeout(120000);
  const data = join(dir, 'table.csv');
  const table = ['a,b,label', '0,0,x', '0,1,y', '1,0,y', '1,1,x', ''].join('\n');
  const tableConfig = join(dir, 'table.yaml');
  const out = join(dir, 'table-run');
  const configYaml = join(out, 'config.yaml');
  const unfinished = join(out, 'seed-1', 'result.json');

  before(() => {
    writeFileSync(data, table);
    writeFileSync(
      tableConfig,
      [
        'name: table',
        'seeds: 2',
        'cycles: 300',
        'log: { every: 100 }',
        'task: { type: csv, file: table.csv }',
        'model: { type: feedforward, batchSize: 4 }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = diffstruct('run', tableConfig, '--out', out, '--workers', '1');
    expect(code, stderr).to.equal(0);
  });

  // As a run interrupted before seed 1 wrote its result: resume would train seed 1 again.
  const interrupt = () => rmSync(unfinished, { force: true });

  it('an edited config.yaml: exit 2 before any seed runs, naming the file, the arm, each changed key with both values, and what to do', () => {
    interrupt();
    const original = readFileSync(configYaml, 'utf8');
    writeFileSync(configYaml, original.replace('cycles: 300', 'cycles: 600').replace('batchSize: 4', 'batchSize: 2'));
    const { code, stderr } = diffstruct('run', '--resume', out);
    writeFileSync(configYaml, original);
    expect(code, stderr).to.equal(2);
    expect(stderr)
      .to.contain(`${configYaml}: arm "table" has other settings than the run started with (edited, or a default changed in diffstruct or a plugin): `)
      .and.contain('cycles: 300 then, 600 now')
      .and.contain('model.batchSize: 4 then, 2 now')
      .and.contain('start a new run in another folder');
    expect(stderr, 'nothing of the run printed before').to.not.contain('(resuming)').and.not.contain('seeds finished');
    expect(existsSync(unfinished), 'no seed ran').to.equal(false);
  });

  it('config.yaml edited only where the numbers do not depend on it (checkpoint.every, as --checkpoint-every does): the run continues', () => {
    interrupt();
    const original = readFileSync(configYaml, 'utf8');
    const edited = original.replace(/checkpoint:\n {2}every: \d+/, 'checkpoint:\n  every: 7');
    expect(edited).to.not.equal(original);
    writeFileSync(configYaml, edited);
    const { code, stderr } = diffstruct('run', '--resume', out);
    writeFileSync(configYaml, original);
    expect(code, stderr).to.equal(0);
    expect(existsSync(unfinished)).to.equal(true);
  });

  it('a data file whose contents changed: exit 2 before any seed runs, naming the file', () => {
    interrupt();
    writeFileSync(data, table.replace('1,1,x', '1,1,y'));
    const { code, stderr } = diffstruct('run', '--resume', out);
    expect(code, stderr).to.equal(2);
    expect(stderr).to.contain(`${data}: its contents changed (sha256 `);
    expect(stderr, 'nothing of the run printed before').to.not.contain('(resuming)').and.not.contain('seeds finished');
    expect(existsSync(unfinished), 'no seed ran').to.equal(false);
  });

  it('the same inputs again: the run continues', () => {
    writeFileSync(data, table);
    const { code, stderr } = diffstruct('run', '--resume', out);
    expect(code, stderr).to.equal(0);
    expect(existsSync(unfinished)).to.equal(true);
  });

  it('a shard joining a folder another shard started on other data: exit 2 before any seed runs, naming the file', () => {
    const shared = join(dir, 'table-shards');
    const first = diffstruct('run', tableConfig, '--out', shared, '--workers', '1', '--shard', '1/2');
    expect(first.code, first.stderr).to.equal(0);
    writeFileSync(data, table.replace('1,1,x', '1,1,y'));
    const { code, stderr } = diffstruct('run', tableConfig, '--out', shared, '--workers', '1', '--shard', '2/2');
    writeFileSync(data, table);
    expect(code, stderr).to.equal(2);
    expect(stderr).to.contain(`${shared}: the run was started on other inputs`).and.contain(`${data}: its contents changed (sha256 `);
    expect(stderr, 'nothing of the run printed before').to.not.contain('→');
    expect(existsSync(join(shared, 'seed-1')), 'no seed of shard 2 ran').to.equal(false);
  });
});
