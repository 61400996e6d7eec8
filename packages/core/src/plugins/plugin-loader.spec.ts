import { expect } from 'chai';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import { ConfigDefaults } from '../config/experiment-config.js';
import { coreModule } from './core-module.js';
import { EXTENSION_POINTS } from './extension-points.js';
import { EXPECTED_PACKAGE_NAME } from './installed-package.js';
import { loadPluginPackages, PluginLoadError, pluginPackagesResolvableFrom } from './plugin-loader.js';
import { PluginRegistries } from './plugin-registries.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-plugin-loader-')));
const coreFolder = fileURLToPath(new URL('../../', import.meta.url));

/** The folder of `name` as Node finds it from `from`: in the nearest node_modules above that holds it. */
function installedFolder(name: string, from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'node_modules', name))) return join(dir, 'node_modules', name);
  throw new Error(`${name} is not installed above ${from}`);
}

/** Writes a package (package.json and index.js) into `folder`. */
function writePackage(folder: string, manifest: object, index: string): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module', main: 'index.js', ...manifest }));
  writeFileSync(join(folder, 'index.js'), index);
  return join(folder, 'index.js');
}

/** A plugin whose module binds one policy to `token` (an expression); it needs no import at all. */
const policyPlugin = (type: string, token: string) => `
export default {
  id: 424242,
  load({ bind }) {
    bind(${token}).toConstantValue({
      type: '${type}',
      description: 'a fixture',
      optionsSchema: { properties: {} },
      create: () => ({ type: '${type}', regularization: { l1: 0, minMultiplier: 0 }, decide: () => ({ remove: [], removeReason: '', add: [] }) }),
    });
  },
};
`;

/** A module that, if ever imported, says so: no refusal may run it. */
const EVIL = 'globalThis.diffstructEvilRan = true;\n';
const evilRan = () => (globalThis as { diffstructEvilRan?: boolean }).diffstructEvilRan === true;

const containerWithCore = () => {
  const container = new Container();
  container.load(coreModule);
  return container;
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected the load to fail'),
    (error: unknown) => {
      expect(error).to.be.instanceOf(PluginLoadError);
      return error as PluginLoadError;
    },
  );

describe("core's inversify tokens", () => {
  it('are registered symbols named diffstruct.<name>, the same in every copy of core', () => {
    const tokens = [...EXTENSION_POINTS.map((p) => p.token), PluginRegistries, ConfigDefaults];
    expect(tokens.map((t) => Symbol.keyFor(t as symbol))).to.deep.equal([
      'diffstruct.TaskContribution',
      'diffstruct.ModelContribution',
      'diffstruct.PolicyContribution',
      'diffstruct.OptimizerContribution',
      'diffstruct.UnitInitContribution',
      'diffstruct.PluginRegistries',
      'diffstruct.ConfigDefaults',
    ]);
  });
});

describe('loadPluginPackages', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('registers the contributions of a plugin built against a second copy of @diffstruct/core (registered-symbol tokens)', async () => {
    const project = join(root, 'second-copy');
    // A copy of this core at another path is another module instance, as when installed from a tarball.
    const copy = join(project, 'node_modules', '@diffstruct', 'core');
    mkdirSync(copy, { recursive: true });
    cpSync(join(coreFolder, 'package.json'), join(copy, 'package.json'));
    cpSync(join(coreFolder, 'dist'), join(copy, 'dist'), { recursive: true });
    for (const dependency of ['inversify', 'ajv', 'eventemitter3', 'reflect-metadata', 'yaml']) {
      symlinkSync(installedFolder(dependency, coreFolder), join(project, 'node_modules', dependency), 'dir');
    }
    writePackage(
      join(project, 'node_modules', 'copy-plugin'),
      { name: 'copy-plugin' },
      `import { PolicyContribution } from '@diffstruct/core';\n${policyPlugin('from-a-copy', 'PolicyContribution')}`,
    );
    const container = containerWithCore();
    await loadPluginPackages(container, ['copy-plugin'], join(project, 'config.yaml'));
    expect(container.get(PluginRegistries).policy.types()).to.deep.equal(['from-a-copy']);
  });

  it('refuses a package whose module contributes nothing, naming it and saying what a plugin default-exports', async () => {
    const project = join(root, 'empty');
    writePackage(join(project, 'node_modules', 'empty-plugin'), { name: 'empty-plugin' }, 'export default { id: 1, load() {} };\n');
    const error = await failure(loadPluginPackages(containerWithCore(), ['empty-plugin'], join(project, 'config.yaml')));
    expect(error.message).to.contain('plugin "empty-plugin": contributes nothing: its ContainerModule binds nothing');
    expect(error.message).to.contain('a plugin package must default-export an inversify ContainerModule that binds at least one contribution');
    expect(error.message).to.contain('TaskContribution, ModelContribution, PolicyContribution, OptimizerContribution, UnitInitContribution');
  });

  it('refuses a package that binds only tokens of its own (a copy of core with unregistered symbols), naming what it bound', async () => {
    const project = join(root, 'foreign');
    writePackage(join(project, 'node_modules', 'foreign-plugin'), { name: 'foreign-plugin' }, policyPlugin('foreign', "Symbol('PolicyContribution')"));
    const error = await failure(loadPluginPackages(containerWithCore(), ['foreign-plugin'], join(project, 'config.yaml')));
    expect(error.message).to.contain(
      'contributes nothing: its ContainerModule binds only Symbol(PolicyContribution), no contribution token of this @diffstruct/core',
    );
  });

  it('refuses a model that declares no task kinds it accepts, and a task with no kind, naming the package and the type', async () => {
    const project = join(root, 'undeclared');
    const bindings = (token: string, contribution: string) => `
export default {
  id: 434343,
  load({ bind }) {
    bind(Symbol.for('diffstruct.${token}')).toConstantValue({ description: 'a fixture', optionsSchema: { properties: {} }, create() {}, ${contribution} });
  },
};
`;
    writePackage(join(project, 'node_modules', 'old-model'), { name: 'old-model' }, bindings('ModelContribution', "type: 'old'"));
    writePackage(join(project, 'node_modules', 'bad-model'), { name: 'bad-model' }, bindings('ModelContribution', "type: 'bad', accepts: ['rows']"));
    writePackage(join(project, 'node_modules', 'old-task'), { name: 'old-task' }, bindings('TaskContribution', "type: 'old'"));
    const config = join(project, 'config.yaml');
    const refusal = async (name: string) => (await failure(loadPluginPackages(containerWithCore(), [name], config))).message;
    expect(await refusal('old-model')).to.equal(
      'plugin "old-model": binds a model "old" that declares no task kinds it accepts ' +
        "(expected accepts: a list of 'sequence', 'table', e.g. accepts: ['table']; found nothing (null))",
    );
    expect(await refusal('bad-model'))
      .to.contain('binds a model "bad" that declares no task kinds it accepts')
      .and.contain('found ["rows"]');
    expect(await refusal('old-task')).to.equal(
      'plugin "old-task": binds a task "old" that declares no kind ' +
        "(expected kind: one of 'sequence', 'table', or a function of its options; found nothing (null))",
    );
  });

  it('returns the folder each package was found from, and finds it from there again, by name', async () => {
    const project = join(root, 'recorded');
    writePackage(join(project, 'node_modules', 'kept-plugin'), { name: 'kept-plugin' }, policyPlugin('kept', "Symbol.for('diffstruct.PolicyContribution')"));
    const locations = await loadPluginPackages(containerWithCore(), ['kept-plugin'], join(project, 'config.yaml'));
    expect(locations).to.deep.equal({ 'kept-plugin': project });
    // From a folder where the name resolves to nothing, the recorded folder is used.
    const elsewhere = join(root, 'elsewhere', 'config.yaml');
    const container = containerWithCore();
    expect(await loadPluginPackages(container, ['kept-plugin'], elsewhere, locations)).to.deep.equal(locations);
    expect(container.get(PluginRegistries).policy.types()).to.deep.equal(['kept']);
    // Once the package is gone from there, the name is looked up as usual, and the error says where it was.
    const gone = { 'kept-plugin': join(root, 'moved') };
    expect(await loadPluginPackages(containerWithCore(), ['kept-plugin'], join(project, 'config.yaml'), gone)).to.deep.equal(locations);
    const error = await failure(loadPluginPackages(containerWithCore(), ['kept-plugin'], elsewhere, gone));
    expect(error.message).to.contain(
      `plugin "kept-plugin": was found from ${gone['kept-plugin']} before, where it no longer resolves, and is not an installed package`,
    );
  });

  it('never imports a recorded file: a record naming one (a tampered plugins.json) only says where to resolve the name from', async () => {
    const project = join(root, 'tampered');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'evil.mjs'), EVIL);
    const error = await failure(
      loadPluginPackages(containerWithCore(), ['kept-plugin'], join(root, 'elsewhere', 'config.yaml'), { 'kept-plugin': join(project, 'evil.mjs') }),
    );
    expect(error.message).to.contain('is not an installed package');
    expect(evilRan()).to.equal(false);
  });

  it('refuses a file path, or anything else that is no npm package name, before importing anything', async () => {
    const project = join(root, 'paths');
    mkdirSync(join(project, 'configs'), { recursive: true });
    writeFileSync(join(project, 'evil.mjs'), EVIL);
    writeFileSync(join(project, 'configs', 'evil.mjs'), EVIL);
    const config = join(project, 'configs', 'run.yaml');
    // Node resolves `x/../../evil.mjs` lexically from configs/node_modules: to configs/evil.mjs.
    for (const name of ['./evil.mjs', '../evil.mjs', join(project, 'evil.mjs'), '/etc/passwd', 'x/../../evil.mjs', '.evil', '_evil', 'a\\evil', '@s/a/b', '']) {
      const error = await failure(loadPluginPackages(containerWithCore(), [name], config));
      expect(error.expected, name).to.equal(EXPECTED_PACKAGE_NAME);
    }
    expect(evilRan()).to.equal(false);
    expect((await failure(loadPluginPackages(containerWithCore(), ['./evil.mjs'], config))).reason).to.contain('is a file path');
  });

  it('imports only a node_modules/<name> folder whose package.json has that name, and only a file inside it', async () => {
    const project = join(root, 'shadowed');
    const config = join(project, 'config.yaml');
    const modules = join(project, 'node_modules');
    mkdirSync(modules, { recursive: true });
    // A file beside the folder Node would look in: Node loads node_modules/shadow.js for "shadow".
    writeFileSync(join(modules, 'shadow.js'), EVIL);
    // A folder with no package.json (Node loads its index.js), one naming another package, one whose entry lies outside it.
    mkdirSync(join(modules, 'nameless'));
    writeFileSync(join(modules, 'nameless', 'index.js'), EVIL);
    writePackage(join(modules, 'impostor'), { name: '@diffstruct/policy-example' }, EVIL);
    writeFileSync(join(project, 'outside.js'), EVIL);
    writePackage(join(modules, 'escaping'), { name: 'escaping', main: '../../outside.js' }, EVIL);
    const reasons = async (name: string) => (await failure(loadPluginPackages(containerWithCore(), [name], config))).reason;
    expect(await reasons('shadow')).to.contain('is not an installed package');
    expect(await reasons('nameless')).to.contain(
      `resolves to ${join(modules, 'nameless')}, which holds no package.json with a name, not an installed package "nameless"`,
    );
    expect(await reasons('impostor')).to.contain('which holds the package.json of "@diffstruct/policy-example", not an installed package "impostor"');
    expect(await reasons('escaping')).to.contain(`resolves to ${join(project, 'outside.js')}, outside its package folder ${join(modules, 'escaping')}`);
    expect(evilRan()).to.equal(false);
  });

  it('loads the package a config sits in by its own name (a package may import itself when it has exports)', async () => {
    const own = join(root, 'own-plugin');
    writePackage(
      own,
      { name: 'own-plugin', keywords: ['diffstruct-plugin'], exports: { '.': './index.js' } },
      policyPlugin('own', "Symbol.for('diffstruct.PolicyContribution')"),
    );
    const container = containerWithCore();
    expect(await loadPluginPackages(container, ['own-plugin'], join(own, 'configs', 'run.yaml'))).to.deep.equal({ 'own-plugin': join(own, 'configs') });
    expect(container.get(PluginRegistries).policy.types()).to.deep.equal(['own']);
  });

  it("a missing package: the message lists the plugin packages resolvable from the config's folder, then diffstruct's own", async () => {
    const project = join(root, 'listing');
    writePackage(join(project, 'node_modules', 'listed-plugin'), { name: 'listed-plugin', keywords: ['diffstruct-plugin'] }, 'export default {};\n');
    writePackage(join(project, 'node_modules', 'not-a-plugin'), { name: 'not-a-plugin' }, 'export default {};\n');
    writePackage(project, { name: 'listing-project', keywords: ['diffstruct-plugin'], exports: './index.js' }, 'export default {};\n');
    const config = join(project, 'configs', 'run.yaml');
    expect(pluginPackagesResolvableFrom(config)).to.include.members(['listed-plugin', 'listing-project']).and.not.include('not-a-plugin');
    const error = await failure(loadPluginPackages(containerWithCore(), ['no-such-plugin'], config));
    expect(error.expected).to.equal('an installed plugin package');
    expect(error.message).to.contain(`plugin packages resolvable from ${dirname(config)}: listed-plugin, listing-project`);
    // This core's own install (the repository's node_modules) holds the built-in plugins.
    expect(error.message).to.match(/plugin packages of diffstruct's install: .*@diffstruct\/policy-threshold/);
  });
});
