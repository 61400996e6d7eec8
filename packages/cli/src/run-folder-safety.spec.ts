import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CommandResult, diffstruct, diffstructIn } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-folders-'));
chmodSync(dir, 0o755); // an unprivileged user runs in it below
const config = join(dir, 'tiny.yaml');
writeFileSync(config, ['name: tiny', 'seeds: 2', 'cycles: 200', 'log: { every: 100 }', 'arms:', '  - { name: easy, task: easy }', ''].join('\n'));

/** A copy of one finished run folder of `config`. */
function runFolder(name: string): string {
  const template = join(dir, 'template');
  if (!existsSync(template)) {
    const { code, stderr } = diffstruct('run', config, '--workers', '1', '--out', template);
    expect(code, stderr).to.equal(0);
  }
  cpSync(template, join(dir, name), { recursive: true });
  return join(dir, name);
}

function diffstructAs(options: { env?: NodeJS.ProcessEnv; uid?: number; cwd?: string }, ...args: string[]): CommandResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...options, ...(options.uid === undefined ? {} : { gid: options.uid }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const refused = (result: CommandResult, ...words: string[]) => {
  expect(result.code, result.stderr).to.equal(2);
  for (const word of words) expect(result.stderr).to.contain(word);
  expect(result.stderr).not.to.contain('internal error');
};

describe('run --force deletes only a diffstruct run folder', function () {
  this.timeout(120000);

  it('refuses a folder that is not a run folder, or holds files no run writes, and keeps every file', () => {
    const precious = join(dir, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'thesis.tex'), 'years of work');
    refused(diffstruct('run', config, '--out', precious, '--force'), `${precious}: not a run folder (no config.yaml)`);
    writeFileSync(join(precious, 'config.yaml'), 'name: tiny\ncycles: 200\n');
    refused(diffstruct('run', config, '--out', precious, '--force'), 'has no "seeds", so diffstruct run did not write it');
    const run = runFolder('run-with-notes');
    writeFileSync(join(run, 'easy', 'seed-1', 'notes.txt'), 'mine');
    refused(diffstruct('run', config, '--out', run, '--force'), 'holds files no diffstruct run writes (easy/seed-1/notes.txt)');
    expect(readFileSync(join(precious, 'thesis.tex'), 'utf8')).to.equal('years of work');
    expect(existsSync(join(run, 'easy', 'seed-0', 'metrics.csv'))).to.equal(true);
  });

  // The root is checked in core's run-folder-layout.spec.ts: a regression here must never get to delete it.
  it('never deletes the home folder, the working directory or a folder holding it, even when it is a run folder', () => {
    const run = runFolder('where-i-am');
    refused(diffstructIn(run, 'run', config, '--out', '.', '--force'), 'refusing to delete the working directory');
    refused(diffstructIn(join(run, 'easy', 'seed-0'), 'run', config, '--out', run, '--force'), 'refusing to delete a folder holding the working directory');
    refused(diffstructAs({ env: { ...process.env, HOME: run } }, 'run', config, '--out', run, '--force'), 'refusing to delete the home folder');
    expect(existsSync(join(run, 'config.yaml'))).to.equal(true);
  });

  it('replaces a run folder holding only what runs write', () => {
    const run = runFolder('replaceable');
    const forced = diffstruct('run', config, '--seeds', '1', '--workers', '1', '--out', run, '--force');
    expect(forced.code, forced.stderr).to.equal(0);
    expect(existsSync(join(run, 'easy', 'seed-1'))).to.equal(false);
  });

  it('refuses a symbolic link to a run folder, which it would replace while the run it points to stays', () => {
    const run = runFolder('linked-target');
    const link = join(dir, 'link-to-run');
    symlinkSync(run, link);
    refused(diffstruct('run', config, '--workers', '1', '--out', link, '--force'), 'symbolic link', `give that folder as --out`);
    expect(existsSync(join(run, 'easy', 'seed-1', 'metrics.csv'))).to.equal(true);
  });
});

describe('run --out that cannot hold a run', function () {
  this.timeout(60000);

  it('a file, or a folder inside a file: exit 2 with the reason, before any work', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    refused(diffstruct('run', config, '--out', file), `--out ${file}: is a file, not a folder`);
    refused(diffstruct('run', config, '--out', join(file, 'run')), `${file} is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).to.equal('x');
  });

  it('a folder this user may not write in: exit 2 with the reason, before any work', function () {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    // root may write anywhere: the command then runs as an unprivileged user, who must be able to read the CLI.
    const asUser = process.getuid?.() === 0 ? { uid: 65534 } : {};
    const canRun = diffstructAs(asUser, '--version');
    if (canRun.code !== 0) {
      console.warn(`    skipped: user 65534 cannot run ${BIN} (is the checkout under a folder only root may enter?): ${canRun.stderr.split('\n')[0]}`);
      this.skip();
    }
    refused(diffstructAs(asUser, 'run', config, '--out', join(readOnly, 'run')), `cannot write in ${readOnly}: permission denied (EACCES)`);
    expect(existsSync(join(readOnly, 'run'))).to.equal(false);
  });
});

describe('arm names that are run-folder files', () => {
  it('are refused by validate at the arm name, whatever their case', () => {
    const clashing = join(dir, 'clashing.yaml');
    writeFileSync(
      clashing,
      [
        'name: clash',
        'task: easy',
        'arms:',
        '  - { name: fine }',
        '  - { name: config.yaml }',
        '  - { name: Curves.PNG }',
        '  - { name: signals.svg }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = diffstruct('validate', clashing);
    expect(code, stderr).to.equal(2);
    expect(stderr).to.contain(`${clashing}:5:13: arms[1].name: expected an arm name that is not a file of the run folder, found "config.yaml"`);
    expect(stderr).to.contain(`${clashing}:6:13: arms[2].name:`).and.contain("(the run folder's curves.png)");
    expect(stderr).to.contain(`${clashing}:7:13: arms[3].name:`);
  });
});

describe('report of a run folder with a corrupt seed', function () {
  this.timeout(60000);

  it('summarises the others, names the bad file and why, records it in summary.json, and exits 3', () => {
    const run = runFolder('corrupt-seed');
    const bad = join(run, 'easy', 'seed-1', 'result.json');
    writeFileSync(bad, '{"arm": "easy", "fin');
    const { code, stderr } = diffstruct('report', run);
    expect(code, stderr).to.equal(3);
    expect(stderr).to.contain(`warning: easy seed 1 left out: ${bad}: not JSON`).and.not.contain('internal error');
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(summary.arms[0].seeds).to.equal(1);
    expect(summary.unreadable[0].problem).to.contain(bad);
    expect(existsSync(join(run, 'curves.png'))).to.equal(true);
    const table = diffstruct('report', run, '--table');
    expect(table.code, table.stderr).to.equal(3);
    expect(table.stderr).to.contain(`warning: easy seed 1 left out: ${bad}: not JSON`).and.contain('the summary leaves out 1 unreadable seed');
  });

  it('report --out a folder that does not exist yet: created; --out a file: exit 2', () => {
    const run = runFolder('report-out');
    const out = join(dir, 'not-there', 'sub');
    const created = diffstruct('report', run, '--out', out);
    expect(created.code, created.stderr).to.equal(0);
    expect(existsSync(join(out, 'summary.json'))).to.equal(true);
    refused(diffstruct('report', run, '--out', join(run, 'config.yaml')), `--out ${join(run, 'config.yaml')}: is a file, not a folder`);
  });
});

describe('run --shard --force and symbolic links', function () {
  this.timeout(60000);

  it('deletes no seed folder that a link puts outside --out (an arm folder or a seed folder linked elsewhere)', () => {
    const out = join(dir, 'sharded');
    const elsewhere = join(dir, 'elsewhere');
    const shard = ['run', config, '--workers', '1', '--shard', '1/2', '--out', out];
    expect(diffstruct(...shard).code).to.equal(0);
    mkdirSync(elsewhere);
    renameSync(join(out, 'easy'), join(elsewhere, 'easy'));
    symlinkSync(join(elsewhere, 'easy'), join(out, 'easy'));
    refused(diffstruct(...shard, '--force'), `${join(out, 'easy')} is a symbolic link; --force deletes only folders inside ${out}`);
    expect(existsSync(join(elsewhere, 'easy', 'seed-0', 'metrics.csv'))).to.equal(true);
    rmSync(join(out, 'easy'));
    mkdirSync(join(out, 'easy'));
    symlinkSync(join(elsewhere, 'easy', 'seed-0'), join(out, 'easy', 'seed-0'));
    refused(diffstruct(...shard, '--force'), `${join(out, 'easy', 'seed-0')} is a symbolic link`);
    expect(existsSync(join(elsewhere, 'easy', 'seed-0', 'metrics.csv'))).to.equal(true);
  });
});
