import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffstruct, diffstructIn } from './test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-cli-'));

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('diffstruct CLI', () => {
  it('--version prints the version of the installed packages', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).to.match(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) expect(diffstruct(flag)).to.include({ code: 0, stdout: `${version}\n` });
  });

  it('validate: prints FILE:LINE:COL for a wrong type and names an unknown key, exit 2, no stack trace', () => {
    const file = configFile('bad.yaml', ['name: bad', 'seeds: 2', 'policy:', '  type: threshold', '  threshold: "high"', 'colour: red', ''].join('\n'));
    const { code, stderr, stdout } = diffstruct('validate', file);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.contain(`${file}:5:14: policy.threshold: expected a number, found "high" (a string)`);
    expect(stderr).to.contain(`${file}:6:1: colour: `).and.contain('unknown key "colour"');
    expect(stderr).to.not.match(/\n\s+at /);
  });

  it('validate: suggests the nearest type for a mistyped plugin, at the top level and nested', () => {
    const file = configFile('types.yaml', ['name: t', 'task: hrad', 'policy: { type: threshold, init: inheritd }', ''].join('\n'));
    const { code, stderr } = diffstruct('validate', file);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${file}:2:7: task.type: expected a known task type (`).and.contain('found "hrad" (a string); did you mean "hard"?');
    expect(stderr).to.contain(
      `${file}:3:34: policy.init.type: expected a known unitInit type (inherited, random), found "inheritd" (a string); did you mean "inherited"?`,
    );
  });

  it('validate: prints schema problems and rules across options in one pass, each where the arm wrote the value, naming the arm', () => {
    const file = configFile(
      'arms.yaml',
      [
        'name: arms',
        'task: hard',
        'model: { hidden: 150 }', // inherited by arm a only: b raises maxHidden
        'policy: { minMultiplier: 0.04 }',
        'arms:',
        '  - name: a',
        '    optimizer: { learningRate: 0 }',
        '  - name: b',
        '    model: { maxHidden: 200 }',
        '    policy: { threshold: 0.03 }',
        '',
      ].join('\n'),
    );
    const { code, stderr, stdout } = diffstruct('validate', file);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr.split('\n')).to.deep.equal([
      `${file}:3:18: model.hidden: model.hidden (150) must be at most model.maxHidden (100) (in arm a)`,
      `${file}:7:32: arms[0].optimizer.learningRate: expected a number > 0, found 0 (in arm a)`,
      `${file}:10:26: arms[1].policy.threshold: policy.minMultiplier (0.04) must be below policy.threshold (0.03) (in arm b)`,
      '',
    ]);
  });

  it('validate and run: refuse a task the model does not accept, at the model, exit 2, before any seed runs', () => {
    const file = configFile('kinds.yaml', ['name: kinds', 'task: parity', 'model: char-rnn', ''].join('\n'));
    const refusal = `${file}:3:8: model.type: the char-rnn model accepts sequence tasks, but the parity task gives table examples (models that accept table tasks: feedforward, residual)\n`;
    expect(diffstruct('validate', file)).to.deep.equal({ code: 2, stdout: '', stderr: refusal });
    const out = join(dir, 'runs', 'kinds');
    expect(diffstruct('run', file, '--out', out)).to.include({ code: 2, stderr: refusal });
    expect(existsSync(out)).to.equal(false);
  });

  it('validate: a missing file is a clear error', () => {
    const { code, stderr } = diffstruct('validate', join(dir, 'absent.yaml'));
    expect(code).to.equal(2);
    expect(stderr.trim()).to.equal(`${join(dir, 'absent.yaml')}: no such file`);
  });

  it('validate: a plugin package that is not installed is named, with its line', () => {
    const file = configFile('plugin.yaml', ['name: p', 'plugins:', '  - diffstruct-no-such-plugin', ''].join('\n'));
    const { code, stderr } = diffstruct('validate', file);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${file}:3:5: plugins[0]: expected an installed plugin package, found "diffstruct-no-such-plugin"`);
    const installed = /plugin packages of diffstruct's install: (.*)$/m.exec(stderr)?.[1].split(', ');
    expect(installed).to.include.members(['@diffstruct/policy-threshold', '@diffstruct/tasks', '@diffstruct/recurrent', '@diffstruct/policy-example']);
  });

  it('validate: refuses sizes that would exhaust memory, and names that would write outside the run folder', () => {
    const big = configFile('big.yaml', ['name: big', 'task: hard', 'model: { maxHidden: 1000000000 }', ''].join('\n'));
    expect(diffstruct('validate', big).stderr).to.contain(`${big}:3:21: model.maxHidden: expected an integer <= 2000, found 1000000000`);
    const escaping = configFile('escape.yaml', ['name: ../../tmp/x', 'task: hard', ''].join('\n'));
    const { code, stderr } = diffstruct('validate', escaping);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${escaping}:1:7: name: expected a name of up to 64 letters`);
  });

  it('plugins: lists each extension point and the threshold policy with its options', () => {
    const { code, stdout } = diffstruct('plugins');
    expect(code).to.equal(0);
    for (const title of ['tasks', 'models', 'growth policies', 'optimizers']) expect(stdout).to.contain(title);
    expect(stdout).to.match(/threshold: the paper's policy/);
    expect(stdout).to.contain('reserve: integer in [0, 1000] = 1');
  });

  it('plugins --json: machine-readable, the same content', () => {
    const { code, stdout } = diffstruct('plugins', '--json');
    expect(code).to.equal(0);
    const policies = JSON.parse(stdout).extensionPoints.find((p: { key: string }) => p.key === 'policy');
    const threshold = policies.types.find((t: { type: string }) => t.type === 'threshold');
    expect(threshold.options.map((o: { name: string }) => o.name)).to.include.members(['reserve', 'threshold', 'minMultiplier', 'l1']);
    // What each model accepts and what each task gives, where the task declares a kind of its own (a schedule's is its phases').
    const types = (key: string) => JSON.parse(stdout).extensionPoints.find((p: { key: string }) => p.key === key).types as Record<string, unknown>[];
    expect(types('model').map((t) => [t.type, t.accepts])).to.deep.equal([
      ['areas', ['sequence']],
      ['char-rnn', ['sequence']],
      ['feedforward', ['table']],
      ['gru', ['sequence']],
      ['residual', ['table']],
    ]);
    expect(types('task').map((t) => [t.type, t.kind])).to.deep.include.members([
      ['hard', 'sequence'],
      ['parity', 'table'],
      ['schedule', undefined],
    ]);
  });

  it('--help answers for every command, an unknown command exits 2', () => {
    for (const command of ['run', 'report', 'validate', 'plugins']) {
      const { code, stdout } = diffstruct(command, '--help');
      expect(code, command).to.equal(0);
      expect(stdout).to.contain(`Usage: diffstruct ${command}`);
    }
    expect(diffstruct('frobnicate').code).to.equal(2);
  });

  it('run --help gives the run folder as written: seed-<s>/ for one arm, <arm>/seed-<s>/ with arms', () => {
    const { stdout } = diffstruct('run', '--help');
    expect(stdout).to.contain('in seed-<s>/, or in <arm>/seed-<s>/ when the config has arms or a sweep');
    expect(stdout).to.contain('plugins.json');
  });
});

describe('docs/configs.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/configs.md', import.meta.url)), 'utf8');

  it('holds the current output of `diffstruct plugins --markdown`', () => {
    const section = /<!-- plugins:begin -->\n([\s\S]*)<!-- plugins:end -->/.exec(doc)?.[1];
    expect(section, 'regenerate it with `npx diffstruct plugins --markdown`').to.equal(diffstruct('plugins', '--markdown').stdout);
  });

  it("holds in docs/open-problems.md consolidate's options as `diffstruct plugins --markdown --plugin @diffstruct/policy-consolidate` prints them", () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const page = readFileSync(join(root, 'docs/open-problems.md'), 'utf8');
    const shown = /<!-- consolidate-options:begin -->\n([\s\S]*)<!-- consolidate-options:end -->/.exec(page)?.[1];
    const printed = diffstructIn(root, 'plugins', '--markdown', '--plugin', '@diffstruct/policy-consolidate').stdout;
    const table = /#### `consolidate`\n\n[^\n]*\n\n(\| option[\s\S]*?\n)\n/.exec(printed)?.[1];
    expect(table, 'the consolidate section of `plugins --markdown`').to.be.a('string');
    expect(shown, 'paste the table `plugins --markdown --plugin @diffstruct/policy-consolidate` prints for consolidate').to.equal(table);
  });

  it('shows what `diffstruct validate` prints for its errors example, as it prints it', () => {
    const example =
      /<!-- errors-example:begin -->\n```yaml\n([\s\S]*?)```\n[\s\S]*?```text\n\$ npx diffstruct validate (\S+)\n([\s\S]*?)```\n<!-- errors-example:end -->/.exec(
        doc,
      );
    expect(example, 'the errors example: a yaml block, then a text block starting with `$ npx diffstruct validate FILE`').to.not.equal(null);
    const [, config, name, output] = example!;
    const folder = mkdtempSync(join(tmpdir(), 'diffstruct-docs-'));
    writeFileSync(join(folder, name), config);
    expect(diffstructIn(folder, 'validate', name)).to.deep.equal({ code: 2, stdout: '', stderr: output });
  });
});
