import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffstructIn } from './test-support.js';

/** A module that announces itself if it is ever imported: no refusal may run it. */
const EVIL = "process.stderr.write('EVIL RAN\\n');\n";

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-outside-plugin-')));
const project = join(dir, 'project');

// A plugin package that is installed nowhere: its own configs name it (a package may import
// itself by name). Its module needs no import at all, since core's tokens are registered symbols.
mkdirSync(join(project, 'configs'), { recursive: true });
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'project-policy', type: 'module', keywords: ['diffstruct-plugin'], exports: './index.js' }),
);
writeFileSync(
  join(project, 'index.js'),
  `export default {
  id: 515151,
  load({ bind }) {
    bind(Symbol.for('diffstruct.PolicyContribution')).toConstantValue({
      type: 'keep-all',
      description: 'never adds or removes a unit',
      optionsSchema: { properties: {} },
      create: () => ({ type: 'keep-all', regularization: { l1: 0, minMultiplier: 0 }, decide: () => ({ remove: [], removeReason: '', add: [] }) }),
    });
  },
};
`,
);
const config = join(project, 'configs', 'keep.yaml');
writeFileSync(
  config,
  ['name: keep', 'seeds: 1', 'cycles: 400', 'log: { every: 100 }', 'task: hard', 'plugins: [project-policy]', 'policy: keep-all', ''].join('\n'),
);

describe('a plugin package found from the config’s folder', function () {
  this.timeout(60000);
  const out = join(dir, 'out');

  it('is recorded in the run folder’s plugins.json, so --resume finds it from any working directory', () => {
    const first = diffstructIn(project, 'run', 'configs/keep.yaml', '--out', out);
    expect(first.code, first.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(join(out, 'plugins.json'), 'utf8'))).to.deep.equal({ 'project-policy': join(project, 'configs') });
    const metrics = readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8');
    // Unfinished again, so the resumed session trains it: its worker must load the plugin too.
    rmSync(join(out, 'seed-0', 'result.json'));
    const resumed = diffstructIn('/', 'run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.stderr).to.contain('(resuming)');
    expect(readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8')).to.equal(metrics);
  });

  it('a plugins.json that is not a map of folders is refused, with the file named', () => {
    writeFileSync(join(out, 'plugins.json'), '{"project-policy": "configs"}\n');
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(code).to.equal(2);
    expect(stderr).to.contain(
      `${join(out, 'plugins.json')}: "project-policy": expected the absolute path of the folder the package was resolved from, found "configs"`,
    );
  });

  it('a plugins.json naming a file (tampered) never gets it imported: the name is resolved from its folder, by the same rules', () => {
    writeFileSync(join(dir, 'evil.mjs'), EVIL);
    writeFileSync(join(out, 'plugins.json'), JSON.stringify({ 'project-policy': join(dir, 'evil.mjs') }));
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(stderr).not.to.contain('EVIL RAN');
    expect(code).to.equal(2);
    expect(stderr).to.contain(`was found from ${dir} before, where it no longer resolves, and is not an installed package`);
  });

  it('without that record, a run folder outside the package cannot find it', () => {
    writeFileSync(join(out, 'plugins.json'), '{}\n');
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(code).to.equal(2);
    expect(stderr)
      .to.contain(`${join(out, 'config.yaml')}:`)
      .and.contain('plugins[0]: expected an installed plugin package, found "project-policy"');
  });

  it('a mistyped plugin name: the plugin packages resolvable from the config’s folder are listed', () => {
    const typo = join(project, 'configs', 'typo.yaml');
    writeFileSync(typo, ['name: typo', 'task: hard', 'plugins: [project-polcy]', ''].join('\n'));
    const { code, stderr } = diffstructIn('/', 'validate', typo);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${typo}:3:11: plugins[0]: expected an installed plugin package, found "project-polcy", which is not an installed package`);
    expect(stderr).to.contain(`plugin packages resolvable from ${join(project, 'configs')}: project-policy;`);
  });
});

describe('plugins only by npm package name', function () {
  this.timeout(60000);
  const evilDir = join(dir, 'evil');
  mkdirSync(join(evilDir, 'configs'), { recursive: true });
  writeFileSync(join(evilDir, 'evil.mjs'), EVIL);

  it('validate refuses a relative path, a path up the tree, an absolute path and a name that climbs out, at their FILE:LINE:COL, running none', () => {
    const config = join(evilDir, 'configs', 'paths.yaml');
    const names = ['../evil.mjs', './paths.yaml', '/etc/passwd', join(evilDir, 'evil.mjs'), 'x/../../../evil.mjs'];
    writeFileSync(config, ['name: paths', 'task: hard', 'plugins:', ...names.map((n) => `  - ${JSON.stringify(n)}`), ''].join('\n'));
    const { code, stderr } = diffstructIn(evilDir, 'validate', config);
    expect(stderr).not.to.contain('EVIL RAN');
    expect(code).to.equal(2);
    names.forEach((name, i) =>
      expect(stderr).to.contain(
        `${config}:${4 + i}:5: plugins[${i}]: expected an npm package name (my-plugin or @scope/my-plugin), found "${name}", which is a file path`,
      ),
    );
  });

  it('a name shadowed in the working directory by a file or a foreign folder in node_modules is refused, not run', () => {
    const cwd = join(dir, 'shadowing');
    const modules = join(cwd, 'node_modules');
    mkdirSync(join(modules, '@diffstruct', 'policy-example'), { recursive: true });
    // Node loads node_modules/shadow.js for "shadow", and a folder's index.js whatever its package.json says.
    writeFileSync(join(modules, 'shadow.js'), EVIL);
    writeFileSync(join(modules, '@diffstruct', 'policy-example', 'package.json'), '{"name": "evil"}');
    writeFileSync(join(modules, '@diffstruct', 'policy-example', 'index.js'), EVIL);
    writeFileSync(join(cwd, 'shadow.yaml'), ['name: shadow', 'task: hard', 'plugins: [shadow]', ''].join('\n'));
    writeFileSync(join(cwd, 'example.yaml'), ['name: example', 'task: hard', 'plugins: ["@diffstruct/policy-example"]', ''].join('\n'));
    const shadow = diffstructIn(cwd, 'validate', 'shadow.yaml');
    const example = diffstructIn(cwd, 'validate', 'example.yaml');
    const flag = diffstructIn(cwd, 'plugins', '--plugin', '@diffstruct/policy-example');
    for (const result of [shadow, example, flag]) {
      expect(result.stderr).not.to.contain('EVIL RAN');
      expect(result.code).to.equal(2);
    }
    expect(shadow.stderr).to.contain('shadow.yaml:3:11: plugins[0]: expected an installed plugin package, found "shadow", which is not an installed package');
    const impostor = `resolves to ${join(modules, '@diffstruct', 'policy-example')}, which holds the package.json of "evil", not an installed package "@diffstruct/policy-example"`;
    expect(example.stderr).to.contain('example.yaml:3:11: plugins[0]: expected an installed plugin package').and.contain(impostor);
    expect(flag.stderr).to.contain('--plugin @diffstruct/policy-example: expected an installed plugin package').and.contain(impostor);
  });

  it('plugins --plugin PATH and bench --plugin PATH are refused before anything is imported', () => {
    for (const args of [
      ['plugins', '--plugin', './evil.mjs'],
      ['bench', '--plugin', join(evilDir, 'evil.mjs'), '--model', 'evil'],
    ]) {
      const { code, stderr } = diffstructIn(evilDir, ...args);
      expect(stderr).not.to.contain('EVIL RAN');
      expect(code).to.equal(2);
      expect(stderr).to.contain(`--plugin: expected an npm package name (my-plugin or @scope/my-plugin), found "${args[2]}", which is a file path`);
    }
  });

  it('a package named by --plugin is found from the working directory, as a config’s plugins: from its folder', () => {
    const { code, stdout, stderr } = diffstructIn(project, 'plugins', '--plugin', 'project-policy');
    expect(code, stderr).to.equal(0);
    expect(stdout).to.contain('keep-all: never adds or removes a unit');
  });
});

describe('run --resume of a config.yaml whose plugins: list was edited', function () {
  this.timeout(60000);
  const out = join(dir, 'edited-plugins');
  const configYaml = join(out, 'config.yaml');
  // An installed package of that name, so that nothing but the check stands between it and being imported.
  const installed = join(dir, 'installed');
  mkdirSync(join(installed, 'node_modules', 'evil'), { recursive: true });
  writeFileSync(join(installed, 'node_modules', 'evil', 'package.json'), JSON.stringify({ name: 'evil', type: 'module', exports: './index.js' }));
  writeFileSync(join(installed, 'node_modules', 'evil', 'index.js'), EVIL);
  const original = join(dir, 'plain.yaml');
  writeFileSync(original, ['name: plain', 'seeds: 1', 'cycles: 200', 'log: { every: 100 }', 'task: hard', ''].join('\n'));
  const addEvil = () => {
    writeFileSync(configYaml, readFileSync(configYaml, 'utf8').replace('plugins: []', 'plugins: [evil]'));
    writeFileSync(join(out, 'plugins.json'), JSON.stringify({ evil: installed }));
  };
  const withoutRecordedPlugins = () => {
    const inputs = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as Record<string, unknown>;
    delete inputs.plugins;
    writeFileSync(join(out, 'inputs.json'), JSON.stringify(inputs));
  };

  it('is refused before any package on it is imported, naming config.yaml and the names', () => {
    const first = diffstructIn(dir, 'run', original, '--out', out);
    expect(first.code, first.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')))
      .to.have.property('plugins')
      .that.deep.equals([]);
    addEvil();
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(stderr).not.to.contain('EVIL RAN');
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${configYaml}: plugins: other packages than the run started with ("evil" added); none of them was loaded`);
  });

  it('a run whose inputs.json predates the record resumes as before without plugins, and is refused with them', () => {
    rmSync(out, { recursive: true, force: true });
    expect(diffstructIn(dir, 'run', original, '--out', out).code).to.equal(0);
    withoutRecordedPlugins();
    const plain = diffstructIn('/', 'run', '--resume', out);
    expect(plain.code, plain.stderr).to.equal(0);
    addEvil();
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(stderr).not.to.contain('EVIL RAN');
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${configYaml}: names plugins ("evil"), but ${join(out, 'inputs.json')} does not record the plugins the run started with`);
  });
});
