import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** A checkpoint's header holds the sha256 of its body: a truncated or mixed checkpoint does not match. Returns its cycle. */
function expectValidCheckpoint(file: string): number {
  const text = readFileSync(file, 'utf8');
  const newline = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, newline)) as { sha256: string };
  expect(
    createHash('sha256')
      .update(text.slice(newline + 1))
      .digest('hex'),
    file,
  ).to.equal(header.sha256);
  return (JSON.parse(text.slice(newline + 1)) as { cycle: number }).cycle;
}

const HOOK = new URL('./test-support/small-disk.js', import.meta.url).href;

/** `diffstruct ...args` with the files under `disk` on a disk of `bytes` (an injected ENOSPC past them). */
function onSmallDisk(disk: string, bytes: number, ...args: string[]): CommandResult {
  mkdirSync(disk, { recursive: true });
  const env = { ...process.env, SMALL_DISK: `${disk}:${bytes}`, NODE_OPTIONS: `--import=${HOOK}` };
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const sizeOf = (file: string) => statSync(file).size;

describe('a disk that fills up during a run', function () {
  this.timeout(180000);
  const straight = join(dir, 'straight');

  before(() => {
    const { code, stderr } = diffstruct(...RUN, '--out', straight);
    expect(code, stderr).to.equal(0);
  });

  /**
   * The run stopped cleanly: exit 2 naming the file and the reason, the resume command, no temporary
   * files, no seed marked failed (a seed may have finished first). Each unfinished seed keeps a
   * checkpoint that still verifies, or, stopped before its first one, is named as restarting from
   * cycle 0: the two seeds start in two threads, not at once, and a seed of this size runs in a
   * fraction of a second, so on a busy machine one may fill the disk before the other checkpoints.
   * The message says which (keptCheckpoints' own spec checks both wordings).
   */
  function expectStoppedCleanly(run: CommandResult, out: string): void {
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.match(new RegExp(`${out}/seed-\\d/\\S+: disk full \\(ENOSPC\\): the run stopped`));
    expect(run.stderr).to.contain(`diffstruct run --resume ${out}`).and.not.contain('internal error');
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    const restarting: string[] = [];
    for (const [seed, folder] of SEEDS.entries()) {
      const files = filesUnder(join(out, folder));
      if (files.includes('result.json')) expect(JSON.parse(readFileSync(join(out, folder, 'result.json'), 'utf8')).finished, folder).to.equal(true);
      // A scheduled checkpoint, or (in a seed the failure stopped) one where it stopped: either verifies, and the resume below continues from it.
      else if (files.includes('checkpoint.json')) expectValidCheckpoint(join(out, folder, 'checkpoint.json'));
      else restarting.push(`seed ${seed}`);
    }
    if (restarting.length) expect(run.stderr).to.contain(`; ${restarting.join(', ')} had no checkpoint yet and will restart from cycle 0`);
    else expect(run.stderr).to.contain('every unfinished seed keeps its last checkpoint').and.not.contain('restart from cycle 0');
  }

  /** `--resume` once there is room again finishes with the metrics, events and multipliers of the uninterrupted run, byte for byte. */
  function expectResumedIdentical(out: string): void {
    const resumed = diffstruct('run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    for (const seed of SEEDS)
      for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl'])
        expect(readFileSync(join(out, seed, name), 'utf8'), `${seed}/${name}`).to.equal(readFileSync(join(straight, seed, name), 'utf8'));
  }

  it('(injected ENOSPC) stops the whole run with exit 2 and the resume command; the resumed run is identical', () => {
    const disk = join(dir, 'small-disk');
    const out = join(disk, 'run');
    // Room for the first checkpoints of both seeds (11 KB each), not for the whole run: writes past it fail part-way with ENOSPC.
    expectStoppedCleanly(onSmallDisk(disk, 60000, ...RUN, '--out', out), out);
    expectResumedIdentical(out);
  });

  it('(injected ENOSPC) a seed stopped before its first checkpoint is said to restart from cycle 0, and does', () => {
    const disk = join(dir, 'before-checkpoint');
    const out = join(disk, 'run');
    const run = onSmallDisk(disk, 20000, ...RUN, '--checkpoint-every', '5000', '--out', out);
    expect(run.code, run.stderr).to.equal(2);
    const failed = new RegExp(`${out}/seed-(\\d)/\\S+: disk full \\(ENOSPC\\): the run stopped`).exec(run.stderr)?.[1];
    expect(failed, run.stderr).to.be.a('string');
    expect(existsSync(join(out, `seed-${failed}`, 'checkpoint.json'))).to.equal(false);
    expect(run.stderr).to.match(new RegExp(`seed ${failed}\\b[^.]*had no checkpoint yet and will restart from cycle 0`));
    expectResumedIdentical(out);
  });

  it('(injected ENOSPC) at the lock, before any seed: the lock file named, no temporary left, the resume command', () => {
    const disk = join(dir, 'at-the-lock');
    const out = join(disk, 'run');
    // Room for config.yaml and inputs.json, not for a writer lock.
    const room = sizeOf(join(straight, 'config.yaml')) + sizeOf(join(straight, 'inputs.json')) + 10;
    const run = onSmallDisk(disk, room, ...RUN, '--out', out);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.contain(
      `${join(out, 'seed-0', 'writer.lock')}: disk full (ENOSPC): the run stopped; no seed had started. Make room, then continue with:\n  diffstruct run --resume ${out}`,
    );
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    expectResumedIdentical(out);
    const none = onSmallDisk(join(dir, 'full'), 0, ...RUN, '--out', join(dir, 'full', 'run'));
    expect(none.stderr).to.contain(`${join(dir, 'full', 'run', 'config.yaml')}: disk full (ENOSPC): the run stopped; no seed had started`);
    expect(none.stderr).to.contain('continue with:\n  the same diffstruct run command again');
  });

  it('(injected ENOSPC) while the report is written: no figure or summary cut off, the report command to draw it again', () => {
    const disk = join(dir, 'report-disk');
    const out = join(disk, 'run');
    cpSync(straight, out, { recursive: true });
    const report = ['summary.json', ...['curves', 'final', 'lifelines', 'births-deaths'].flatMap((figure) => [`${figure}.svg`, `${figure}.png`])];
    for (const figure of report.slice(1)) rmSync(join(out, figure));
    const used = filesUnder(out).reduce((bytes, f) => bytes + sizeOf(join(out, f)), 0);
    const drawn = onSmallDisk(disk, used + 1000, 'report', out);
    expect(drawn.code, drawn.stderr).to.equal(2);
    expect(drawn.stderr).to.contain(': disk full (ENOSPC)').and.not.contain('internal error');
    expect(filesUnder(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    for (const file of report)
      if (existsSync(join(out, file))) expect(readFileSync(join(out, file)).equals(readFileSync(join(straight, file))), file).to.equal(true);

    // The same at the end of a run: every seed finished, only the report is to be drawn again.
    const again = join(dir, 'report-after-run');
    const seedFiles = filesUnder(out).filter((f) => !report.includes(f));
    const room = seedFiles.reduce((bytes, f) => bytes + sizeOf(join(out, f)), 0) + 1000;
    const run = onSmallDisk(again, room, ...RUN, '--checkpoint-every', '0', '--out', join(again, 'run'));
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.contain(
      `${join(again, 'run', 'summary.json')}: disk full (ENOSPC): every seed finished, but the report could not be written. Make room, then:\n  diffstruct report ${join(again, 'run')}`,
    );
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
      // Leave 80 KiB free of the 1 MiB (tmpfs counts whole 4 KiB pages): room for each seed's first checkpoint
      // and its temporary (3 pages each) beside its metrics, events and multipliers (a page each), not for the
      // files of a whole run (~15 pages a seed).
      const filler = join(mount, 'filler');
      writeFileSync(filler, Buffer.alloc(1024 * (1024 - 80)));
      const out = join(mount, 'run');
      expectStoppedCleanly(diffstruct(...RUN, '--out', out), out);
      rmSync(filler);
      expectResumedIdentical(out);
    });
  });
});
