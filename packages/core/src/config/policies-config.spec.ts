import { expect } from 'chai';
import { formatProblem } from './config-error.js';
import { problemsOfText, resolveText } from '../test-support/config-fixtures.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('policies: a growth policy per growable family', () => {
  it("merges each family's entry over policy, the arm's over the top level's", () => {
    const config = resolveText(
      lines(
        'name: t',
        'task: test-task',
        'policy: { type: test-threshold, threshold: 0.1 }',
        'policies:',
        '  blocks: { reserve: 3 }',
        '  block-width: test-threshold',
        'arms:',
        '  - { name: a }',
        '  - { name: b, policy: { threshold: 0.2 }, policies: { blocks: { minMultiplier: 0.01 } } }',
      ),
    );
    const [a, b] = config.arms;
    expect(a.policies.blocks).to.deep.equal({ type: 'test-threshold', threshold: 0.1, reserve: 3, minMultiplier: 0.025 });
    // Naming the same type keeps the options of policy, as arms do.
    expect(a.policies['block-width']).to.deep.equal({ type: 'test-threshold', threshold: 0.1, reserve: 1, minMultiplier: 0.025 });
    expect(b.policies.blocks).to.deep.equal({ type: 'test-threshold', threshold: 0.2, reserve: 3, minMultiplier: 0.01 });
    expect(b.policy.threshold).to.equal(0.2);
  });

  it('gives an arm without policies an empty map', () => {
    expect(resolveText(lines('name: t', 'task: test-task')).arms[0].policies).to.deep.equal({});
  });

  it("sweeps a family's option into arms", () => {
    const config = resolveText(lines('name: t', 'task: test-task', 'sweep: { policies.blocks.threshold: [0.1, 0.2] }'));
    expect(config.arms.map((a) => [a.name, a.policies.blocks.threshold])).to.deep.equal([
      ['threshold-0.1', 0.1],
      ['threshold-0.2', 0.2],
    ]);
  });

  it('locates a family the model does not have, and a bad option in an entry', () => {
    const problems = problemsOfText(lines('name: t', 'task: test-task', 'policies:', '  blcks: { reserve: 2 }', '  blocks: { threshold: 0.01 }'));
    expect(problems.map(formatProblem)).to.deep.equal([
      'exp.yaml:4:10: policies.blcks: expected a growable family of the test-model model (hidden, blocks, block-width), found "blcks"',
      'exp.yaml:5:24: policies.blocks.threshold: policies.blocks.minMultiplier (0.025) must be below policies.blocks.threshold (0.01)',
    ]);
  });

  it('refuses an entry that is neither a type name nor a mapping', () => {
    const problems = problemsOfText(lines('name: t', 'task: test-task', 'policies: { blocks: 5 }'));
    expect(problems.map(formatProblem)).to.deep.equal(['exp.yaml:3:21: policies.blocks: expected a policy type name or a mapping of policy options, found 5']);
  });
});
