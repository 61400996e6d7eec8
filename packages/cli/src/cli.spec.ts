import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffstruct } from './test-support.js';

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
  it('holds the current output of `diffstruct plugins --markdown`', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/configs.md', import.meta.url)), 'utf8');
    const section = /<!-- plugins:begin -->\n([\s\S]*)<!-- plugins:end -->/.exec(doc)?.[1];
    expect(section, 'regenerate it with `npx diffstruct plugins --markdown`').to.equal(diffstruct('plugins', '--markdown').stdout);
  });
});
