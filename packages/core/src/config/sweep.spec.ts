import { expect } from 'chai';
import { formatProblem } from './config-error.js';
import { problemsOfText, resolveText } from '../test-support/config-fixtures.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('sweep', () => {
  it('expands a grid over config paths into named arms, the last path varying fastest', () => {
    const config = resolveText(
      lines('name: s', 'task: test-task', 'policy: test-threshold', 'sweep:', '  policy.threshold: [0.03, 0.1]', '  model.hidden: [1, 5]'),
    );
    expect(config.explicitArms).to.equal(true);
    expect(config.arms.map((a) => [a.name, a.policy.threshold, a.model.hidden])).to.deep.equal([
      ['threshold-0.03_hidden-1', 0.03, 1],
      ['threshold-0.03_hidden-5', 0.03, 5],
      ['threshold-0.1_hidden-1', 0.1, 1],
      ['threshold-0.1_hidden-5', 0.1, 5],
    ]);
    expect(config.arms[1].description).to.equal('policy.threshold = 0.03, model.hidden = 5');
    expect(config.arms[1].policy).to.include({ type: 'test-threshold', reserve: 1 });
    expect(config).to.not.have.property('sweep');
  });

  it("crosses every declared arm with the grid; swept values win over the arm's own", () => {
    const config = resolveText(
      lines(
        'name: s',
        'task: test-task',
        'policy: test-threshold',
        'sweep: { policy.threshold: [0.03, 0.1] }',
        'arms:',
        '  - { name: a, policy: { threshold: 0.5, reserve: 2 } }',
        '  - { name: b, cycles: 7 }',
      ),
    );
    expect(config.arms.map((a) => [a.name, a.policy.threshold, a.policy.reserve, a.cycles])).to.deep.equal([
      ['a_threshold-0.03', 0.03, 2, 300000],
      ['a_threshold-0.1', 0.1, 2, 300000],
      ['b_threshold-0.03', 0.03, 1, 7],
      ['b_threshold-0.1', 0.1, 1, 7],
    ]);
  });

  it('sweeps cycles, and names paths in full where their last keys clash', () => {
    const config = resolveText(
      lines('name: s', 'task: test-task', 'policy: test-threshold', 'sweep:', '  cycles: [10, 20]', '  model.hidden: [2]', '  model.layers.width: [3]'),
    );
    expect(config.arms.map((a) => [a.name, a.cycles, a.model.layers])).to.deep.equal([
      ['cycles-10_hidden-2_width-3', 10, { width: 3 }],
      ['cycles-20_hidden-2_width-3', 20, { width: 3 }],
    ]);
  });

  it('points a bad swept value at its place in the sweep list, with line and column', () => {
    const problems = problemsOfText(lines('name: s', 'task: test-task', 'policy: test-threshold', 'sweep:', '  policy.threshold: [0.03, high]'));
    expect(problems.map(formatProblem)).to.deep.equal([
      'exp.yaml:5:28: sweep.policy.threshold[1]: expected a number, found "high" (a string) (in arm threshold-high)',
    ]);
  });

  it("checks the arms of a sweep's acceptable paths and values in the same pass as the refused ones", () => {
    const text = lines('name: s', 'task: test-task', 'policy: { minMultiplier: 0.07 }', 'sweep:', '  seeds: [1, 2]', '  model.hidden: [0, { a: 1 }, 3]');
    expect(problemsOfText(text).map(formatProblem)).to.deep.equal([
      'exp.yaml:3:26: policy.minMultiplier: policy.minMultiplier (0.07) must be below policy.threshold (0.05) (in every arm)',
      'exp.yaml:5:10: sweep.seeds: expected a path into task, model, policy, optimizer (e.g. policy.threshold), policies.<family> or "cycles", found "seeds"',
      'exp.yaml:6:18: sweep.model.hidden[0]: expected an integer >= 1, found 0 (in arm hidden-0)',
      'exp.yaml:6:21: sweep.model.hidden[1]: expected a number, string or boolean, found a mapping',
    ]);
  });

  it('checks each swept cycles value by the schema cycles has where an arm writes it, at its place in the list', () => {
    const problems = problemsOfText(lines('name: s', 'task: test-task', 'sweep: { cycles: [-5, 2.5, "x", true, 1e12, 100] }'));
    const written = ['-5', '2.5', '"x"', 'true', '1e12'].map(
      (value) => problemsOfText(lines('name: s', 'task: test-task', 'arms:', `  - { name: a, cycles: ${value} }`))[0].message,
    );
    expect(problems.map((p) => [p.path, p.line, p.col, p.message])).to.deep.equal([
      ['sweep.cycles[0]', 3, 19, written[0]],
      ['sweep.cycles[1]', 3, 23, written[1]],
      ['sweep.cycles[2]', 3, 28, written[2]],
      ['sweep.cycles[3]', 3, 33, written[3]],
      ['sweep.cycles[4]', 3, 39, written[4]],
    ]);
    expect(written).to.deep.equal([
      'expected an integer >= 1, found -5',
      'expected an integer, found 2.5',
      'expected an integer, found "x" (a string)',
      'expected an integer, found true (a boolean)',
      'expected an integer <= 1000000000, found 1000000000000',
    ]);
    expect(resolveText(lines('name: s', 'task: test-task', 'sweep: { cycles: [100] }')).arms.map((a) => [a.name, a.cycles])).to.deep.equal([
      ['cycles-100', 100],
    ]);
  });

  it('refuses paths outside the plugin slots, plugin types, empty lists and grids that are too large', () => {
    const text = lines('name: s', 'task: test-task', 'sweep:', '  seeds: [1, 2]', '  policy.type: [a]', '  model.hidden: []', '  task.letters: [{ a: 1 }]');
    const messages = problemsOfText(text).map(formatProblem);
    expect(messages).to.deep.equal([
      'exp.yaml:4:10: sweep.seeds: expected a path into task, model, policy, optimizer (e.g. policy.threshold), policies.<family> or "cycles", found "seeds"',
      'exp.yaml:5:16: sweep.policy.type: expected an option path: compare plugin types with arms, not a sweep',
      'exp.yaml:6:17: sweep.model.hidden: expected a non-empty list of values, found a list',
      'exp.yaml:7:18: sweep.task.letters[0]: expected a number, string or boolean, found a mapping',
    ]);
    const grid = Array.from({ length: 40 }, (_, i) => i + 1).join(', ');
    const big = problemsOfText(lines('name: s', 'task: test-task', 'sweep:', `  model.hidden: [${grid}]`, `  cycles: [${grid}]`)).map(formatProblem);
    expect(big).to.deep.equal(['exp.yaml:4:3: sweep: expected at most 1000 arms in all, found 1 arm × 1600 sweep points = 1600']);
  });
});
