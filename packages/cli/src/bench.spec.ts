import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffstruct } from './test-support.js';

describe('diffstruct bench', function () {
  this.timeout(60000);

  it('prints the JSON of docs/performance.md#the-json-output: cycles/s per size and kernel, the grown run, and a yardstick side by side', () => {
    // A stand-in yardstick speaking the numpy script's protocol: argv task cycles seed --fixed N → one JSON line.
    const yardstick = join(mkdtempSync(join(tmpdir(), 'diffstruct-bench-')), 'yardstick.cjs');
    writeFileSync(yardstick, 'const n = Number(process.argv[6]); console.log(JSON.stringify({ cycles_per_second: 1000 / n, neurons: n }));\n');
    const { code, stdout, stderr } = diffstruct(
      'bench',
      '--json',
      '--hidden',
      '3,8',
      '--seconds',
      '0.2',
      '--repeats',
      '3',
      '--kernel',
      'simd-f64,reference',
      '--grown-cycles',
      '300',
      '--yardstick',
      yardstick,
      '--python',
      process.execPath,
    );
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { model: string; task: string; hidden: number; kernel: string }) => [r.model, r.task, r.hidden, r.kernel])).to.deep.equal([
      ['char-rnn', 'hard', 3, 'simd-f64'],
      ['char-rnn', 'hard', 3, 'reference'],
      ['char-rnn', 'hard', 8, 'simd-f64'],
      ['char-rnn', 'hard', 8, 'reference'],
    ]);
    // Each row has its own kernel's timings: the SIMD kernel is several times the plain loops at every size.
    for (const n of [3, 8]) {
      const rate = (kernel: string) => report.results.find((r: { hidden: number; kernel: string }) => r.hidden === n && r.kernel === kernel).cyclesPerSecond;
      expect(rate('simd-f64'), `N = ${n}`).to.be.above(1.5 * rate('reference'));
    }
    for (const r of report.results) {
      expect(r.repeats).to.have.length(3);
      expect(r.cyclesPerSecond).to.equal([...r.repeats].sort((a: number, b: number) => a - b)[1]);
      // A script's path is named by its file: yardstick.cjs → yardstick.
      expect(r.yardsticks.yardstick.cyclesPerSecond).to.equal(1000 / r.hidden);
      expect(r.yardsticks.yardstick.ratio).to.be.closeTo(r.cyclesPerSecond / r.yardsticks.yardstick.cyclesPerSecond, 1e-9);
      expect(r.yardsticks.yardstick.ratios).to.deep.equal(r.repeats.map((rate: number) => rate / (1000 / r.hidden)));
      expect(r.best).to.deep.equal({
        ratio: r.yardsticks.yardstick.ratio,
        ratios: r.yardsticks.yardstick.ratios,
        fastest: ['yardstick', 'yardstick', 'yardstick'],
      });
    }
    expect(report.grown).to.include({ model: 'char-rnn', task: 'hard', kernel: 'simd-f64', cycles: 300 });
    expect(report.grown.units).to.be.at.least(1);
    expect(report.machine.cores).to.be.at.least(1);
    expect(report.settings).to.deep.equal({ task: { type: 'hard', letters: 6 }, set: [], seconds: 0.2, repeats: 3 });
  });

  it('times char-rnn at a vocabulary (--vocab) and several batches: characters/s beside cycles/s, the yardstick told the same step', () => {
    // A stand-in yardstick that writes down its arguments, so the test sees what bench asked the numpy script for.
    const yardstick = join(mkdtempSync(join(tmpdir(), 'diffstruct-bench-')), 'yardstick.cjs');
    const seen = `${yardstick}.argv`;
    writeFileSync(
      yardstick,
      `require('fs').appendFileSync(${JSON.stringify(seen)}, process.argv.slice(2).join(' ') + '\\n'); console.log(JSON.stringify({ cycles_per_second: 100 }));\n`,
    );
    const { code, stdout, stderr } = diffstruct(
      'bench',
      '--json',
      '--vocab',
      '30',
      '--hidden',
      '5',
      '--batch',
      '1,3',
      '--set',
      'unroll=7',
      '--seconds',
      '0.2',
      '--repeats',
      '1',
      '--grown-cycles',
      '0',
      '--yardstick',
      yardstick,
      '--python',
      process.execPath,
    );
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { task: string; hidden: number; batch: number }) => [r.task, r.hidden, r.batch])).to.deep.equal([
      ['uniform-symbols', 5, 1],
      ['uniform-symbols', 5, 3],
    ]);
    for (const r of report.results) {
      expect(r.charactersPerSecond).to.be.closeTo(r.cyclesPerSecond * 7 * r.batch, 1e-6);
      expect(r.yardsticks.yardstick.ratio).to.be.closeTo(r.cyclesPerSecond / 100, 1e-9);
    }
    expect(stderr).to.match(/N = 5, B = 3, round 1 of 1: simd-f64 \d+, yardstick 100 cycles\/s/);
    const calls = readFileSync(seen, 'utf8').trim().split('\n');
    expect(calls.map((call) => call.replace(/^uniform \d+ /, 'uniform CYCLES '))).to.include.members([
      'uniform CYCLES 0 --fixed 5 --vocab 30 --batch 1 --unroll 7',
      'uniform CYCLES 0 --fixed 5 --vocab 30 --batch 3 --unroll 7',
    ]);
    const table = diffstruct('bench', '--vocab', '30', '--hidden', '5', '--batch', '2', '--seconds', '0.1', '--repeats', '1', '--grown-cycles', '0');
    expect(table.stdout).to.contain('| hidden | batch | kernel | cycles/s | chars/s |');
    expect(diffstruct('bench', '--vocab', '30', '--task', 'hard').stderr).to.contain('--vocab and --task: give one of them');
    expect(diffstruct('bench', '--model', 'gru', '--batch', '2').stderr).to.contain('--batch: the gru model has no batch option');
  });

  it('times any model: feedforward on a table task (parity, by what it accepts), a size as one layer, rows/s beside cycles/s', () => {
    const { code, stdout, stderr } = diffstruct(
      'bench',
      '--json',
      '--model',
      'feedforward',
      '--hidden',
      '4,9',
      '--set',
      'activation=relu',
      '--seconds',
      '0.2',
      '--repeats',
      '2',
      '--grown-cycles',
      '200',
    );
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: object) => Object.keys(r))).to.deep.equal([
      ['model', 'task', 'hidden', 'kernel', 'cyclesPerSecond', 'rowsPerSecond', 'repeats'],
      ['model', 'task', 'hidden', 'kernel', 'cyclesPerSecond', 'rowsPerSecond', 'repeats'],
    ]);
    expect(report.results.map((r: { model: string; task: string; hidden: number }) => [r.model, r.task, r.hidden])).to.deep.equal([
      ['feedforward', 'parity', 4],
      ['feedforward', 'parity', 9],
    ]);
    for (const r of report.results) {
      expect(r.cyclesPerSecond).to.be.above(0);
      expect(r.rowsPerSecond).to.equal(r.cyclesPerSecond * 32); // the default batchSize
    }
    expect(report.grown).to.include({ model: 'feedforward', task: 'parity', cycles: 200 });
    expect(report.grown.units).to.be.at.least(1);
  });

  it('times feedforward on mnist beside the numpy MLP yardstick, handing it the batch and activation', () => {
    // A stand-in for tools/numpy_mlp.py: argv mnist cycles seed --fixed N --batch B --activation A → one JSON line; it fails on other flags.
    const yardstick = join(mkdtempSync(join(tmpdir(), 'diffstruct-bench-')), 'mlp.cjs');
    writeFileSync(
      yardstick,
      "const a = process.argv.slice(2); if (a[0] !== 'mnist' || a.slice(5).join(' ') !== '--batch 16 --activation relu') process.exit(3);\n" +
        'console.log(JSON.stringify({ cycles_per_second: 1000 / Number(a[4]) }));\n',
    );
    const { code, stdout, stderr } = diffstruct(
      'bench',
      '--json',
      '--model',
      'feedforward',
      '--task',
      'mnist',
      '--hidden',
      '5',
      '--set',
      'activation=relu',
      '--set',
      'batchSize=16',
      '--seconds',
      '0.2',
      '--repeats',
      '1',
      '--grown-cycles',
      '0',
      '--yardstick',
      yardstick,
      '--python',
      process.execPath,
    );
    expect(code, stderr).to.equal(0);
    const [row] = JSON.parse(stdout).results;
    expect(row).to.include({ model: 'feedforward', task: 'mnist', hidden: 5, kernel: 'simd-f64' });
    expect(row.rowsPerSecond).to.equal(row.cyclesPerSecond * 16);
    // The options of the file's timing, --set's as written.
    expect(JSON.parse(stdout).settings.set).to.deep.equal(['activation=relu', 'batchSize=16']);
    const ratio = row.cyclesPerSecond / 200;
    expect(row.yardsticks).to.deep.equal({ mlp: { cyclesPerSecond: 200, rowsPerSecond: 3200, repeats: [200], ratio, ratios: [ratio] } });
  });

  it('times the yardsticks in turn with the kernels, round by round, forwards then backwards, each ratio within its round', () => {
    // Two stand-in yardstick scripts sharing one log: each call appends its name, and answers by its place in the log, so a
    // yardstick's rate changes from call to call and the log shows the order of the calls.
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-bench-'));
    const log = join(dir, 'calls');
    for (const name of ['a', 'b'])
      writeFileSync(
        join(dir, `${name}.cjs`),
        `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(log)}, '${name}\\n');\n` +
          `const place = fs.readFileSync(${JSON.stringify(log)}, 'utf8').trim().split('\\n').length;\n` +
          `console.log(JSON.stringify({ cycles_per_second: [100, 200, 100, 400, 200, 500, 200, 300][place - 1] }));\n`,
      );
    const { code, stdout, stderr } = diffstruct(
      'bench',
      '--json',
      '--hidden',
      '3',
      '--kernel',
      'simd-f64,reference',
      '--seconds',
      '0.3',
      '--repeats',
      '3',
      '--grown-cycles',
      '0',
      '--yardstick',
      `${join(dir, 'a.cjs')},${join(dir, 'b.cjs')}`,
      '--python',
      process.execPath,
    );
    expect(code, stderr).to.equal(0);
    // A first call each to measure the rate, then the rounds: simd-f64 reference a b, b a reference simd-f64, simd-f64 reference a b.
    expect(readFileSync(log, 'utf8').split('\n').join(' ').trim()).to.equal('a b a b b a a b');
    expect(stderr).to.match(/N = 3, round 2 of 3: simd-f64 \d+, reference \d+, a 500, b 200 cycles\/s/);
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[1];
    for (const row of JSON.parse(stdout).results) {
      expect(row.yardsticks.a.repeats).to.deep.equal([100, 500, 200]);
      expect(row.yardsticks.b.repeats).to.deep.equal([400, 200, 300]);
      expect(row.yardsticks.a.cyclesPerSecond).to.equal(200);
      for (const name of ['a', 'b']) {
        const theirs = row.yardsticks[name];
        expect(theirs.ratios).to.deep.equal(row.repeats.map((rate: number, r: number) => rate / theirs.repeats[r]));
        expect(theirs.ratio).to.equal(median(theirs.ratios));
      }
      // × best: ours over the faster of the two in each round (b, a, b).
      expect(row.best.ratios).to.deep.equal(row.repeats.map((rate: number, r: number) => rate / [400, 500, 300][r]));
      expect(row.best.ratio).to.equal(median(row.best.ratios));
      expect(row.best.fastest).to.deep.equal(['b', 'a', 'b']);
    }
  });

  it('runs the named yardsticks of tools/ side by side, every ratio in the JSON, and skips one whose package is missing', () => {
    // A stand-in Python: it writes down which script it was asked for and answers for it; numba's says its package is missing.
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-bench-'));
    const python = join(dir, 'python');
    const seen = join(dir, 'seen');
    writeFileSync(
      python,
      [
        '#!/bin/sh',
        `echo "$(basename "$1") $2 $5 $6" >> ${JSON.stringify(seen)}`,
        'case "$1" in *numba_rnn.py) echo "numba is not installed (pip install numba)" >&2; exit 3;; esac',
        'case "$1" in *jax_rnn.py) echo \'{"cycles_per_second": 400}\';; *) echo \'{"cycles_per_second": 100}\';; esac',
        '',
      ].join('\n'),
    );
    chmodSync(python, 0o755);
    const bench = (json: boolean) =>
      diffstruct(
        'bench',
        ...(json ? ['--json'] : []),
        '--hidden',
        '3,4',
        '--seconds',
        '0.2',
        '--repeats',
        '1',
        '--grown-cycles',
        '0',
        '--yardstick',
        'numpy,numba,jax',
        '--python',
        python,
      );
    const { code, stdout, stderr } = bench(true);
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    for (const row of report.results) {
      expect(Object.keys(row.yardsticks)).to.deep.equal(['numpy', 'jax']);
      expect(row.yardsticks.numpy.ratio).to.be.closeTo(row.cyclesPerSecond / 100, 1e-9);
      expect(row.yardsticks.jax.ratio).to.be.closeTo(row.cyclesPerSecond / 400, 1e-9);
    }
    expect(report.skipped).to.deep.equal({ numba: 'numba is not installed (pip install numba)' });
    expect(stderr).to.contain('numba yardstick skipped: numba is not installed (pip install numba)');
    expect(stderr).to.contain('N = 4: starting the jax yardstick (it compiles, then a short run measures its rate)');
    // Each script of tools/ for the hard task at each size: numba asked once only (it said it is missing, at the first size),
    // the others twice a size (the rate measured, then the one round).
    const calls = readFileSync(seen, 'utf8').trim().split('\n');
    const asked = (script: string, n: number) => calls.filter((c) => c === `${script} hard --fixed ${n}`).length;
    expect([asked('numpy_rnn.py', 3), asked('numpy_rnn.py', 4), asked('jax_rnn.py', 3), asked('jax_rnn.py', 4)]).to.deep.equal([2, 2, 2, 2]);
    expect(calls.filter((c) => c.startsWith('numba_rnn.py')).length).to.equal(1);
    expect(calls).to.have.length(9);
    const table = bench(false);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.contain('| numpy cycles/s | × numpy | jax cycles/s | × jax | × best |');
    expect(table.stdout).to.contain('numba yardstick skipped: numba is not installed (pip install numba)');
  });

  it('refuses a bad model option, naming the flag that set it, with exit 2 and before timing anything', () => {
    const refused = (...args: string[]) => {
      const { code, stdout, stderr } = diffstruct('bench', '--seconds', '0.1', '--grown-cycles', '10', ...args);
      expect(code, stderr).to.equal(2);
      expect(stdout).to.equal('');
      return stderr;
    };
    expect(refused('--set', 'unroll=abc')).to.equal('--set unroll=abc: model.unroll: expected an integer, found "abc" (a string)\n');
    expect(refused('--set', 'unrol=20')).to.contain('--set unrol=20: model.unrol: expected one of the keys').and.contain('(did you mean "unroll"?)');
    expect(refused('--set', 'unroll')).to.contain('--set: expected key=value');
    expect(refused('--set', 'hidden=4')).to.contain('--set hidden=4: hidden has a flag of its own, --hidden');
    expect(refused('--set', 'maxHidden=10', '--hidden', '6,27')).to.equal(
      '--hidden 27: model.hidden: model.hidden (27) must be at most model.maxHidden (10)\n',
    );
    expect(refused('--model', 'feedforward', '--kernel', 'simd-f32')).to.contain('--kernel simd-f32: model.kernel: expected one of "simd-f64", "reference"');
    expect(refused('--model', 'residual', '--yardstick', 'tools/numpy_mlp.py')).to.contain(
      '--yardstick: the Python yardsticks implement char-rnn on hard or uniform-symbols, feedforward on mnist, not residual on parity',
    );
    expect(refused('--model', 'feedforward', '--task', 'mnist', '--yardstick', 'numpy,numba')).to.equal(
      "--yardstick numba: the yardsticks for feedforward on mnist are numpy (or a script's path)\n",
    );
    expect(refused('--yardstick', 'numpy,')).to.contain('--yardstick: expected names (numpy, numba, jax) or scripts\' paths, comma-separated, found "numpy,"');
    expect(refused('--yardstick', 'nowhere/numpy_rnn.py')).to.equal('--yardstick: no such file: nowhere/numpy_rnn.py\n');
    expect(refused('--hidden', '3', '--yardstick', 'numpy', '--python', '/nowhere/python')).to.contain(
      '--python /nowhere/python: cannot run it (spawnSync /nowhere/python ENOENT); name a Python 3 with numpy',
    );
    expect(refused('--model', 'residual', '--hidden', '4')).to.contain('--hidden: the residual model has no hidden option (its options: width,');
    expect(refused('--model', 'feedforward', '--task', 'hard')).to.equal(
      '--model feedforward: model.type: the feedforward model accepts table tasks, but the hard task gives sequence examples (models that accept sequence tasks: areas, char-rnn, gru)\n',
    );
    expect(refused('--model', 'fedforward')).to.contain('did you mean "feedforward"?');
  });

  it('refuses unknown kernels and bad sizes with the flag named', () => {
    expect(diffstruct('bench', '--kernel', 'fast').stderr).to.contain(
      '--kernel fast: model.kernel: expected one of "simd-f64", "simd-f32", "reference", found "fast" (a string)',
    );
    expect(diffstruct('bench', '--hidden', '0').stderr).to.contain('--hidden: expected whole sizes of 1 or more');
    expect(diffstruct('bench', '--hidden', '3000').stderr).to.equal('--hidden 3000: model.hidden: expected an integer <= 2000, found 3000\n');
  });
});
