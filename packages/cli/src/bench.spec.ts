import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(report.results.map((r: { hidden: number; kernel: string }) => [r.hidden, r.kernel])).to.deep.equal([
      [3, 'simd-f64'],
      [3, 'reference'],
      [8, 'simd-f64'],
      [8, 'reference'],
    ]);
    for (const r of report.results) {
      expect(r.repeats).to.have.length(3);
      expect(r.cyclesPerSecond).to.equal([...r.repeats].sort((a: number, b: number) => a - b)[1]);
      expect(r.yardstick.cyclesPerSecond).to.equal(1000 / r.hidden);
      expect(r.yardstick.ratio).to.be.closeTo(r.cyclesPerSecond / r.yardstick.cyclesPerSecond, 1e-9);
    }
    expect(report.grown).to.include({ cycles: 300 });
    expect(report.grown.units).to.be.at.least(1);
    expect(report.machine.cores).to.be.at.least(1);
  });

  it('refuses unknown kernels and bad sizes with the flag named', () => {
    expect(diffstruct('bench', '--kernel', 'fast').stderr).to.contain('--kernel: expected simd-f64, simd-f32, reference, found "fast"');
    expect(diffstruct('bench', '--hidden', '0').stderr).to.contain('--hidden: expected sizes from 1 to 2000');
  });
});
