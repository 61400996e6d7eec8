import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CommandResult, diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-disk-full-'));
const config = join(dir, 'hard.yaml');
writeFileSync(config, ['name: hard', 'seeds: 2', 'cycles: 6000', 'task: hard', 'log: { every: 100 }', 'checkpoint: { every: 500 }', ''].join('\n'));
const RUN = ['run', config, '--workers', '2'];
const SEEDS = ['seed-0', 'seed-1'];

/** Every file under `folder`, relative to it. */
const filesUnder = (folder: string): string[] => readdirSync(folder, { recursive: true, encoding: 'utf8' });

/** A checkpoint's header holds the sha256 of its body: a truncated or mixed checkpoint does not match. */
function expectValidCheckpoint(file: string): void {
  const text = readFileSync(file, 'utf8');
  const newline = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, newline)) as { sha256: string };
  expect(
    createHash('sha256')
      .update(text.slice(newline + 1))
      .digest('hex'),
    file,
  ).to.equal(header.sha256);
}

describe('a disk that fills up during a run', function () {
  this.timeout(180000);
  const straight = join(dir, 'straight');

  before(() => {
    const { code, stderr } = diffstruct(...RUN, '--out', straight);
    expect(code, stderr).to.equal(0);
  });

  /** The run stopped cleanly: exit 2 naming the file and the reason, the resume command, no temporary files, valid checkpoints, no seed marked failed (a seed may have finished first). */
  function expectStoppedCleanly(run: CommandResult, out: string): void {
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr, run.stderr).to.match(new RegExp(`${out}/seed-\\d/\\S+: disk full \\(ENOSPC\\): the run stopped`));
    expect(run.stderr).to.contain(`diffstruct run --resume ${out}`).and.not.contain('internal error');
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    for (const seed of SEEDS) {
      if (filesUnder(join(out, seed)).includes('result.json'))
        expect(JSON.parse(readFileSync(join(out, seed, 'result.json'), 'utf8')).finished, seed).to.equal(true);
      if (filesUnder(join(out, seed)).includes('checkpoint.json')) expectValidCheckpoint(join(out, seed, 'checkpoint.json'));
    }
  }

  /** `--resume` once there is room again finishes with the metrics and events of the uninterrupted run, byte for byte. */
  function expectResumedIdentical(out: string): void {
    const resumed = diffstruct('run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    for (const seed of SEEDS)
      for (const name of ['metrics.csv', 'events.jsonl'])
        expect(readFileSync(join(out, seed, name), 'utf8'), `${seed}/${name}`).to.equal(readFileSync(join(straight, seed, name), 'utf8'));
  }

  it('(injected ENOSPC) stops the whole run with exit 2 and the resume command; the resumed run is identical', () => {
    const disk = join(dir, 'small-disk');
    mkdirSync(disk);
    const out = join(disk, 'run');
    // Room for the first checkpoints of both seeds, not for the whole run: writes past it fail part-way with ENOSPC.
    const hook = new URL('./test-support/small-disk.js', import.meta.url).href;
    const env = { ...process.env, SMALL_DISK: `${disk}:60000`, NODE_OPTIONS: `--import=${hook}` };
    const result = spawnSync(process.execPath, [BIN, ...RUN, '--out', out], { encoding: 'utf8', env });
    expectStoppedCleanly({ code: result.status, stdout: result.stdout, stderr: result.stderr }, out);
    expectResumedIdentical(out);
  });

  describe('on a real tmpfs', () => {
    const mount = join(dir, 'tmpfs');

    before(function () {
      mkdirSync(mount);
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount], { stdio: 'pipe' });
      } catch (error) {
        console.warn(`    skipped: cannot mount a tmpfs here (needs root and a mount namespace): ${(error as Error).message.split('\n')[0]}`);
        this.skip();
      }
    });

    after(() => spawnSync('umount', [mount]));

    it('stops the whole run with exit 2 and the resume command; after space is freed the resumed run is identical', () => {
      // Leave 48 KiB free of the 1 MiB: the seeds need more before their end.
      const filler = join(mount, 'filler');
      writeFileSync(filler, Buffer.alloc(1024 * (1024 - 48)));
      const out = join(mount, 'run');
      expectStoppedCleanly(diffstruct(...RUN, '--out', out), out);
      rmSync(filler);
      expectResumedIdentical(out);
    });
  });
});
