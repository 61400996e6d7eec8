import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment } from '@diffstruct/core/host';
import { createContainer, runExperiment } from '@diffstruct/runner';
import { diffstruct } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-trained-cli-'));

/** A run made in this process (no CLI spawn): `yaml` written beside it. */
async function tinyRun(name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, name);
  const { config, plugins, taskData, dataFiles } = await loadExperiment(file, createContainer());
  await runExperiment(config, { out, workers: 1, resolveFrom: file, plugins, taskData, dataFiles });
  return out;
}

describe('diffstruct sample, predict, export', function () {
  this.timeout(60000);
  let seq: string;
  let table: string;
  before(async () => {
    seq = await tinyRun('seq', ['name: seq', 'seeds: 1', 'cycles: 300', 'log: { every: 100 }', 'task: hard', 'model: { hidden: 3 }', ''].join('\n'));
    writeFileSync(
      join(dir, 'rows.csv'),
      ['a,b,kind', ...Array.from({ length: 20 }, (_, i) => `${i},${(i * 7) % 5},${i % 2 ? 'odd' : 'even'}`)].join('\n') + '\n',
    );
    table = await tinyRun(
      'table',
      ['name: table', 'seeds: 1', 'cycles: 100', 'task: { type: csv, file: rows.csv }', 'model: { type: feedforward, hidden: [3] }', ''].join('\n'),
    );
  });

  it('sample prints --length symbols of the vocabulary', () => {
    const { code, stdout, stderr } = diffstruct('sample', seq, '--length', '80', '--random-seed', '5', '--temperature', '0.9');
    expect(code, stderr).to.equal(0);
    expect(stdout).to.match(/^[ab()]{80}\n$/);
  });

  it('predict writes a CSV of the rows’ classes and probabilities; export writes the JSON network to --out', () => {
    const predicted = diffstruct('predict', table, join(dir, 'rows.csv'));
    expect(predicted.code, predicted.stderr).to.equal(0);
    const lines = predicted.stdout.trim().split('\n');
    expect(lines[0]).to.equal('line,class,p(even),p(odd)');
    expect(lines).to.have.length(21);
    expect(lines[1]).to.match(/^2,(even|odd),[\d.e-]+,[\d.e-]+$/);
    const out = join(dir, 'net.json');
    const exported = diffstruct('export', seq, '--out', out);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(exported.stderr).to.contain(`written: ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).to.include({ format: 'diffstruct-network', version: 1 });
  });

  it('refuses a table model for sample, and bad flags, with exit 2 and no stack trace', () => {
    const wrong = diffstruct('sample', table);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr)
      .to.contain('sample draws text from a sequence model')
      .and.not.match(/\n\s+at /);
    const flag = diffstruct('sample', seq, '--temperature', '0');
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain('--temperature: expected a number above 0, found "0"');
  });

  it('answers --help with an example and the exit codes', () => {
    const { code, stdout } = diffstruct('predict', '--help');
    expect(code).to.equal(0);
    expect(stdout).to.contain('Example: diffstruct predict runs/iris new-flowers.csv').and.contain('Exit codes: 0 done; 2 bad input');
  });
});
