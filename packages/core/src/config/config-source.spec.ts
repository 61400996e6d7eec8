import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigLoader } from './config-loader.js';
import { type ConfigSetting, ConfigSource } from './config-source.js';
import { formatProblem } from './config-error.js';
import { problemsOf, testContainer } from '../test-support/config-fixtures.js';

const text = [
  'name: t',
  'task: test-task',
  'model: { hidden: 3 }',
  'arms:',
  '  - { name: small }',
  '  - { name: large, model: { hidden: 9 } }',
  '  - { name: slow, optimizer: { learningRate: 0.01 } }',
  '',
].join('\n');
const loader = testContainer().get(ConfigLoader);
const set = (written: string, path: ConfigSetting['path'], value: unknown): ConfigSetting => ({ path, value, written });
const resolveWith = (...settings: ConfigSetting[]) => loader.resolve(ConfigSource.parse(text, 'exp.yaml').withSettings(settings));
const reportWith = (...settings: ConfigSetting[]) => problemsOf(() => resolveWith(...settings)).map(formatProblem);

describe('ConfigSource.withSettings (run --set): values given outside the file, as if written in it', () => {
  it('puts a top-level value where the file has one, and every arm that does not set its own inherits it', () => {
    const config = resolveWith(set('--set model.hidden=5', ['model', 'hidden'], 5));
    expect(config.arms.map((a) => a.model.hidden)).to.deep.equal([5, 9, 5]);
  });

  it('makes the mappings on the way when the file has none, and reaches an arm by its number', () => {
    const config = resolveWith(
      set('--set optimizer.learningRate=0.5', ['optimizer', 'learningRate'], 0.5),
      set('--set arms.1.model.hidden=7', ['arms', 1, 'model', 'hidden'], 7),
    );
    expect(config.arms.map((a) => a.optimizer.learningRate)).to.deep.equal([0.5, 0.5, 0.01]);
    expect(config.arms.map((a) => a.model.hidden)).to.deep.equal([3, 7, 3]);
  });

  it('names the setting, not a line of the file, for a bad value or an unknown key it brought', () => {
    expect(reportWith(set('--set model.hidden=0', ['model', 'hidden'], 0))).to.deep.equal([
      '--set model.hidden=0: model.hidden: expected an integer >= 1, found 0 (in arms small, slow)',
    ]);
    const [unknown] = reportWith(set('--set model.hiden=4', ['model', 'hiden'], 4));
    expect(unknown).to.match(/^--set model\.hiden=4: model\.hiden: .*unknown key "hiden"/);
  });

  it('still places a problem of the file itself at its line', () => {
    const problems = problemsOf(() =>
      loader.resolve(
        ConfigSource.parse(text.replace('hidden: 9', 'hidden: 0'), 'exp.yaml').withSettings([set('--set model.hidden=5', ['model', 'hidden'], 5)]),
      ),
    );
    expect(problems.map(formatProblem)).to.deep.equal(['exp.yaml:6:37: arms[1].model.hidden: expected an integer >= 1, found 0 (in arm large)']);
  });

  it('sets an option of a plugin the file names by its type alone, as the loader reads `model: test-model`', () => {
    const named = loader.resolve(
      ConfigSource.parse(text.replace('model: { hidden: 3 }', 'model: test-model'), 'exp.yaml').withSettings([
        set('--set model.hidden=4', ['model', 'hidden'], 4),
      ]),
    );
    expect(named.arms.map((a) => [a.model.type, a.model.hidden])).to.deep.equal([
      ['test-model', 4],
      ['test-model', 9],
      ['test-model', 4],
    ]);
  });

  it('refuses a path through a value that is not a mapping, and a list item the list does not have', () => {
    const source = ConfigSource.parse(text, 'exp.yaml');
    expect(problemsOf(() => source.withSettings([set('--set name.first=a', ['name', 'first'], 'a')])).map(formatProblem)).to.deep.equal([
      '--set name.first=a: name.first: name is "t" (a string) here, not a mapping whose keys could be set',
    ]);
    expect(problemsOf(() => source.withSettings([set('--set arms.3.seeds=2', ['arms', 3, 'seeds'], 2)])).map(formatProblem)).to.deep.equal([
      '--set arms.3.seeds=2: arms[3].seeds: expected an index below 3 after arms, a list of 3, found "3"',
    ]);
  });

  it('refuses a key the file may not have either (__proto__ would set a prototype)', () => {
    const source = ConfigSource.parse(text, 'exp.yaml');
    expect(
      problemsOf(() => source.withSettings([set('--set model.__proto__.hidden=4', ['model', '__proto__', 'hidden'], 4)])).map(formatProblem),
    ).to.deep.equal(['--set model.__proto__.hidden=4: model.__proto__.hidden: expected a config key, found "__proto__", which is never allowed']);
    const inValue = set('--set model={ __proto__: { hidden: 4 } }', ['model'], parse('{ __proto__: { hidden: 4 } }'));
    expect(problemsOf(() => source.withSettings([inValue])).map(formatProblem)).to.deep.equal([
      '--set model={ __proto__: { hidden: 4 } }: model: expected a config key, found "__proto__", which is never allowed',
    ]);
  });

  it('leaves the source it came from as it was: a second setting from it does not see the first', () => {
    const source = ConfigSource.parse(text, 'exp.yaml');
    source.withSettings([set('--set model.hidden=5', ['model', 'hidden'], 5)]);
    const second = loader.resolve(source.withSettings([set('--set optimizer.learningRate=0.5', ['optimizer', 'learningRate'], 0.5)]));
    expect(second.arms.map((a) => a.model.hidden)).to.deep.equal([3, 9, 3]);
  });

  it('changes only the place it names when the file shares a node by an alias, and replaces an anchored node without breaking its aliases', () => {
    const aliased = ['name: t', 'task: test-task', 'arms:', '  - { name: a, model: &shared { hidden: 3 } }', '  - { name: b, model: *shared }', ''].join('\n');
    const source = ConfigSource.parse(aliased, 'exp.yaml');
    const hiddenOf = (...settings: ConfigSetting[]) => loader.resolve(source.withSettings(settings)).arms.map((a) => a.model.hidden);
    expect(hiddenOf(set('--set arms.1.model.hidden=7', ['arms', 1, 'model', 'hidden'], 7))).to.deep.equal([3, 7]);
    expect(hiddenOf(set('--set arms.0.model.hidden=5', ['arms', 0, 'model', 'hidden'], 5))).to.deep.equal([5, 3]);
    expect(hiddenOf(set('--set arms.0.model={ hidden: 4 }', ['arms', 0, 'model'], { hidden: 4 }))).to.deep.equal([4, 3]);
  });

  it("names the setting for a key it made on the way (a misspelt mapping), and reports every setting's problems, not the first only", () => {
    expect(reportWith(set('--set modle.hidden=4', ['modle', 'hidden'], 4))[0]).to.match(/^--set modle\.hidden=4: modle: .*unknown key "modle"/);
    expect(reportWith(set('--set seeds=.nan', ['seeds'], Number.NaN), set('--set model.hidden=0', ['model', 'hidden'], 0))).to.deep.equal([
      '--set seeds=.nan: seeds: expected a finite number, found .nan',
      '--set model.hidden=0: model.hidden: expected an integer >= 1, found 0 (in arms small, slow)',
    ]);
  });

  it("keeps the file's line for a problem of a plugin named by its type alone that a setting gave options to", () => {
    const named = ConfigSource.parse(text.replace('model: { hidden: 3 }', 'model: no-such-model'), 'exp.yaml');
    const [problem] = problemsOf(() => loader.resolve(named.withSettings([set('--set model.hidden=4', ['model', 'hidden'], 4)])));
    expect([problem.file, problem.line, problem.col]).to.deep.equal(['exp.yaml', 3, 8]);
  });

  it('refuses a value that refers to itself, and an item of a list the file does not have', () => {
    const source = ConfigSource.parse(text, 'exp.yaml');
    expect(
      problemsOf(() => source.withSettings([set('--set description=&a {x: *a}', ['description'], parse('&a { x: *a }'))])).map(formatProblem),
    ).to.deep.equal(['--set description=&a {x: *a}: description: refused: a YAML alias inside the node it refers to (a cycle)']);
    expect(problemsOf(() => source.withSettings([set('--set plugins.1=x', ['plugins', 1], 'x')])).map(formatProblem)).to.deep.equal([
      '--set plugins.1=x: plugins[1]: plugins is not a list in the file, so it has no item 1',
    ]);
  });
});
