import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperimentConfig } from '@diffstruct/core/host';
import { createContainer } from './container.js';

describe('configs of table tasks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-table-config-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'mine.csv'), 'a,b,label\n1,2,x\n3,4,y\n');

  it("resolve a CSV file from the config file's folder and keep it absolute for resumes", async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'name: mine\ntask: { type: csv, file: data/mine.csv }\nmodel: feedforward\n');
    const config = await loadExperimentConfig(file, createContainer());
    expect(config.arms[0].task.file).to.equal(join(dir, 'data', 'mine.csv'));
  });

  it('refuse a CSV file that does not exist, at its line', async () => {
    const file = join(dir, 'missing.yaml');
    writeFileSync(file, 'name: mine\nmodel: feedforward\ntask:\n  type: csv\n  file: data/other.csv\n');
    const error = await loadExperimentConfig(file, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain(
      `${file}:5:9: task.file: expected an existing file (looked for ${join(dir, 'data', 'other.csv')}), found "data/other.csv"`,
    );
  });

  it('refuse a policies: key the model does not have, naming the ones it has', async () => {
    const file = join(dir, 'families.yaml');
    writeFileSync(file, 'name: f\ntask: spirals\nmodel: { type: residual, growWidth: true }\npolicies: { block: none }\n');
    const error = await loadExperimentConfig(file, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('policies.block: expected a growable family of the residual model (blocks, block-width), found "block"');
  });
});
