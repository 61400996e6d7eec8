import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { DiffstructError } from '@diffstruct/core';
import { type DiffstructInstall, PLUGIN_KINDS, type PluginKind, pluginNames, SCAFFOLD_DEV_DEPENDENCIES, scaffoldFiles, thisInstall } from './scaffold.js';

const KINDS = Object.keys(PLUGIN_KINDS) as PluginKind[];
const INSTALL: DiffstructInstall = {
  cliFolder: '/opt/diffstruct/cli',
  coreFolder: '/opt/diffstruct/core',
  layersFolder: '/opt/diffstruct/layers',
  version: '1.2.3',
  inversify: '^8.2.3',
};
const manifestOf = (kind: PluginKind, name = 'my-plugin') => JSON.parse(scaffoldFiles(kind, pluginNames(name), INSTALL)[0].text);

describe('create-plugin scaffolds', () => {
  it('derive the type, class and constant names from the package name, scope left out of the type', () => {
    expect(pluginNames('my-policy')).to.deep.equal({ name: 'my-policy', type: 'my-policy', className: 'MyPolicy', constant: 'MY_POLICY' });
    expect(pluginNames('@me/grow2-fast')).to.deep.equal({ name: '@me/grow2-fast', type: 'grow2-fast', className: 'Grow2Fast', constant: 'GROW2_FAST' });
  });

  it('refuse a name that is no config type, folder name and identifier at once, saying what is expected', () => {
    for (const bad of ['My-Policy', '2fast', 'my--policy', 'my_policy', 'my policy', '../x', '@me/', '', 'a'.repeat(65)]) {
      expect(() => pluginNames(bad), bad).to.throw(DiffstructError, 'expected a package name of lowercase letters, digits and single hyphens');
    }
  });

  it('refuse a name whose class would clash with what the template imports', () => {
    expect(() => scaffoldFiles('policy', pluginNames('growth-policy'), INSTALL)).to.throw(
      DiffstructError,
      'the name "growth-policy" makes the identifier GrowthPolicy, which the template\'s code already uses',
    );
  });

  for (const kind of KINDS) {
    it(`${kind}: every placeholder is filled, the config is named after the type, dotfiles get their dot`, () => {
      const files = scaffoldFiles(kind, pluginNames('@me/my-plugin'), INSTALL);
      expect(files.map((f) => f.path)).to.include.members([
        'package.json',
        'tsconfig.json',
        'README.md',
        '.gitignore',
        '.npmrc',
        'src/index.ts',
        `src/${kind}.ts`,
        `src/${kind}.spec.ts`,
        'configs/my-plugin.yaml',
      ]);
      for (const { path, text } of files) expect(text, path).to.not.match(/__[A-Za-z]+__/);
      const config = files.find((f) => f.path === 'configs/my-plugin.yaml')!.text;
      expect(config).to.contain('  - "@me/my-plugin"').and.contain('name: "my-plugin"');
      expect(files.find((f) => f.path === 'src/index.ts')!.text)
        .to.contain("type: 'my-plugin'")
        .and.contain('MyPluginContribution');
      expect(files.find((f) => f.path === 'README.md')!.text)
        .to.match(new RegExp(`^# @me/my-plugin\n\nA diffstruct ${PLUGIN_KINDS[kind]} \\(type \`my-plugin\`\\)`))
        .and.contain('"@diffstruct/core": "file:/opt/diffstruct/core"')
        .and.contain('"^1.2.3"');
    });
  }

  it('package.json: a publishable plugin that peer-depends on core and links the install for development', () => {
    const manifest = manifestOf('policy');
    expect(manifest).to.deep.include({ name: 'my-plugin', keywords: ['diffstruct-plugin'], type: 'module', engines: { node: '>=20' } });
    expect(manifest.exports['.']).to.deep.equal({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest.peerDependencies).to.deep.equal({ '@diffstruct/core': '^1.2.3' });
    expect(manifest.dependencies).to.deep.equal({ inversify: '^8.2.3' });
    expect(manifest.devDependencies).to.deep.include({ '@diffstruct/cli': 'file:/opt/diffstruct/cli', '@diffstruct/core': 'file:/opt/diffstruct/core' });
    // Every kind installs the same packages but a model, which also builds on layers' kernels.
    const { name: _n, description: _d, dependencies: _p, ...policy } = manifest;
    for (const kind of KINDS) {
      const { name: _, description, dependencies, ...rest } = manifestOf(kind);
      expect(rest, kind).to.deep.equal(policy);
      expect(description).to.equal(`A diffstruct ${PLUGIN_KINDS[kind]}: my-plugin`);
      const layers = kind === 'model' ? { '@diffstruct/layers': 'file:/opt/diffstruct/layers' } : {};
      expect(dependencies, kind).to.deep.equal({ ...layers, inversify: '^8.2.3' });
    }
  });

  it("dev dependencies: the versions this repository builds and tests with (its root package.json's)", () => {
    const root = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    for (const [name, version] of Object.entries(SCAFFOLD_DEV_DEPENDENCIES)) expect(version, name).to.equal(root.devDependencies[name]);
    expect(Object.keys(manifestOf('task').devDependencies)).to.include.members(Object.keys(SCAFFOLD_DEV_DEPENDENCIES));
  });

  it("locates this install: the CLI's, core's and layers' package folders, core's version and inversify range", () => {
    const install = thisInstall();
    const read = (folder: string) => JSON.parse(readFileSync(`${folder}/package.json`, 'utf8'));
    expect(read(install.cliFolder).name).to.equal('@diffstruct/cli');
    const core = read(install.coreFolder);
    expect(core.name).to.equal('@diffstruct/core');
    expect(install).to.deep.include({ version: core.version, inversify: core.dependencies.inversify });
    expect(read(install.layersFolder).name).to.equal('@diffstruct/layers');
  });
});
