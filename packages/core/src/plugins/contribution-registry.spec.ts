import { expect } from 'chai';
import { Container } from 'inversify';
import { DiffstructError } from '../errors.js';
import { testPluginsModule, testPolicy } from '../test-support/test-plugins.js';
import { ContributionRegistry } from './contribution-registry.js';
import { coreModule } from './core-module.js';
import { PluginRegistries } from './plugin-registries.js';
import { loadPluginPackages, PluginLoadError } from './plugin-loader.js';

describe('ContributionRegistry', () => {
  const registry = new ContributionRegistry('policy', [testPolicy, { ...testPolicy, type: 'none' }]);

  it('finds a contribution by type and lists the types sorted', () => {
    expect(registry.get('test-threshold')).to.equal(testPolicy);
    expect(registry.types()).to.deep.equal(['none', 'test-threshold']);
    expect(registry.has('none')).to.equal(true);
  });

  it('names the known types and the nearest one for an unknown type', () => {
    expect(() => registry.get('test-treshold')).to.throw(
      DiffstructError,
      'unknown policy type "test-treshold" (did you mean "test-threshold"?); known policy types: none, test-threshold',
    );
  });

  it('refuses two contributions of the same type', () => {
    expect(() => new ContributionRegistry('policy', [testPolicy, testPolicy])).to.throw(DiffstructError, 'two policy plugins claim the type "test-threshold"');
  });
});

describe('PluginRegistries in the container', () => {
  it('collects every bound contribution, per extension point', () => {
    const container = new Container();
    container.load(coreModule, testPluginsModule);
    const registries = container.get(PluginRegistries);
    expect(registries.policy.types()).to.deep.equal(['test-threshold']);
    expect(registries.task.types()).to.deep.equal(['test-rows', 'test-task']);
    expect(registries.model.types()).to.deep.equal(['test-model']);
    expect(registries.optimizer.types()).to.deep.equal(['test-sgd']);
  });

  it('is empty, not an error, with no plugin loaded', () => {
    const container = new Container();
    container.load(coreModule);
    expect(container.get(PluginRegistries).policy.types()).to.deep.equal([]);
  });
});

describe('loadPluginPackages', () => {
  it('says which name is not an installed package', async () => {
    const error = await loadPluginPackages(new Container(), ['no-such-diffstruct-plugin'], import.meta.url).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PluginLoadError);
    expect((error as PluginLoadError).index).to.equal(0);
    expect((error as PluginLoadError).message).to.contain('not an installed package');
  });

  it('refuses a package that does not default-export a ContainerModule', async () => {
    const error = await loadPluginPackages(new Container(), ['chai'], import.meta.url).catch((e: unknown) => e);
    expect((error as PluginLoadError).message).to.contain('does not default-export an inversify ContainerModule');
  });
});
