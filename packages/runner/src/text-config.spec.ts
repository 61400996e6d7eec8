import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadExperiment } from '@diffstruct/core/host';
import { createContainer } from './container.js';

describe('configs of the text task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-text-config-'));
  mkdirSync(join(dir, 'data'));
  const data = (name: string) => join(dir, 'data', name);
  writeFileSync(data('lines.txt'), 'the cat sat on the mat\n'.repeat(50)); // 1150 characters
  writeFileSync(data('latin1.txt'), Buffer.from([0x6f, 0x6b, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
  const load = async (name: string, task: string, model = 'char-rnn') => {
    const file = join(dir, name);
    writeFileSync(file, `name: text\ntask: ${task}\nmodel: ${model}\n`);
    const loaded = await loadExperiment(file, createContainer()).then(
      (experiment) => ({ experiment, error: undefined }),
      (error: Error) => ({ experiment: undefined, error }),
    );
    return { file, ...loaded };
  };

  it('resolve the files from the config file, fill in the vocabulary and split defaults, and record the bytes read', async () => {
    const { experiment, error } = await load('ok.yaml', '{ type: text, files: [data/lines.txt], split: { test: 0.1 } }', 'gru');
    expect(error).to.equal(undefined);
    expect(experiment!.config.arms[0].task).to.deep.equal({
      type: 'text',
      files: [data('lines.txt')],
      vocabulary: { maxSize: 96, unknown: '\uFFFD' },
      split: { validation: 0.05, test: 0.1 },
    });
    expect(Object.keys(experiment!.dataFiles)).to.deep.equal([data('lines.txt')]);
  });

  const refused = async (name: string, task: string, model?: string) => {
    const { file, error } = await load(name, task, model);
    expect(error, name).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).exitCode).to.equal(2);
    return { file, message: error!.message };
  };

  it('refuse invalid UTF-8 at the line of the task, with the file, line and column of the bad byte', async () => {
    const { file, message } = await refused('latin1.yaml', '{ type: text, files: [data/latin1.txt] }');
    expect(message).to.equal(`${file}:2:7: task: ${data('latin1.txt')}:2:4: expected UTF-8 text, found invalid UTF-8 at byte 7 (0xe9 0x0a)`);
  });

  it("refuse a held-out block shorter than the model's window, before any seed starts", async () => {
    const { file, message } = await refused('short.yaml', '{ type: text, files: [data/lines.txt] }', '{ type: char-rnn, unroll: 80 }');
    expect(message).to.equal(
      `${file}:2:7: task: ${data('lines.txt')}: the validation block holds 57 characters, fewer than one window of the model's 81; use a longer text or change split:`,
    );
  });

  it('refuse both files and corpus, and neither', async () => {
    expect((await refused('both.yaml', '{ type: text, files: [data/lines.txt], corpus: moby-dick }')).message).to.contain(
      'task.files and task.corpus ("moby-dick"): give one of them, not both',
    );
    expect((await refused('neither.yaml', 'text')).message).to.contain('expected files or corpus');
  });
});
