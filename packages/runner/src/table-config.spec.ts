import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArmConfig, loadExperimentConfig, PluginRegistries } from '@diffstruct/core/host';
import { buildSetup } from './build-setup.js';
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

  it("refuse a schedule whose phases' kind the model does not accept, knowing the kind without creating a task", async () => {
    const schedule = (first: string, second: string) => `task:\n  type: schedule\n  phases:\n    - { task: ${first}, until: 10 }\n    - { task: ${second} }\n`;
    const refused = join(dir, 'schedule-refused.yaml');
    writeFileSync(refused, `name: s\nmodel: feedforward\n${schedule('easy', 'hard')}`);
    const error = await loadExperimentConfig(refused, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal(
      `${refused}:2:8: model.type: the feedforward model accepts table tasks, but the schedule task gives sequence examples (models that accept sequence tasks: char-rnn, gru)`,
    );
    const accepted = join(dir, 'schedule-accepted.yaml');
    writeFileSync(accepted, `name: s\nmodel: feedforward\n${schedule('parity', '{ type: parity, bits: 4 }')}`);
    expect((await loadExperimentConfig(accepted, createContainer())).arms[0].model.type).to.equal('feedforward');
  });

  it('refuse to build a model on a created task of a kind it does not accept (an arm that did not come through the config loader)', async () => {
    const file = join(dir, 'rows.yaml');
    writeFileSync(file, 'name: rows\ntask: parity\nmodel: feedforward\n');
    const config = await loadExperimentConfig(file, createContainer());
    const arm: ArmConfig = { ...config.arms[0], model: { type: 'char-rnn', hidden: 1, maxHidden: 100, unroll: 40 } };
    expect(() => buildSetup(createContainer().get(PluginRegistries), arm, 0, 1000)).to.throw(
      'model: the char-rnn model accepts sequence tasks, but the parity task gives table examples (models that accept table tasks: feedforward, residual)',
    );
  });
});
