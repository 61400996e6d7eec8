import { expect } from 'chai';
import { renderOptionProblem } from './option-problem.js';

describe('renderOptionProblem', () => {
  it('writes each option named in braces as its config path and value, and lists them in order', () => {
    const rendered = renderOptionProblem({ message: '{minMultiplier} must be below {threshold}' }, ['policy'], { minMultiplier: 0.06, threshold: 0.05 });
    expect(rendered.message).to.equal('policy.minMultiplier (0.06) must be below policy.threshold (0.05)');
    expect(rendered.fields).to.deep.equal([
      ['policy', 'minMultiplier'],
      ['policy', 'threshold'],
    ]);
  });

  it('follows list indices and nested keys, and shows strings quoted, lists and absent options without a value', () => {
    const options = { phases: [{ until: 10, name: 'warm-up' }, { until: 5 }], hidden: [4, 4] };
    const rendered = renderOptionProblem(
      { message: '{phases[1].until} must be above {phases[0].until} ({phases[0].name}); {hidden} and {phases[1].untilFraction} too' },
      ['task'],
      options,
    );
    expect(rendered.message).to.equal(
      'task.phases[1].until (5) must be above task.phases[0].until (10) (task.phases[0].name ("warm-up")); ' +
        'task.hidden and task.phases[1].untilFraction too',
    );
    expect(rendered.fields.map((f) => f.join('/'))).to.deep.equal([
      'task/phases/1/until',
      'task/phases/0/until',
      'task/phases/0/name',
      'task/hidden',
      'task/phases/1/untilFraction',
    ]);
  });

  it('names an option once however often the message repeats it, and leaves other braces alone', () => {
    const rendered = renderOptionProblem({ message: '{blocks} > {maxBlocks}: lower {blocks} { or raise it }' }, ['model'], { blocks: 70, maxBlocks: 64 });
    expect(rendered.message).to.equal('model.blocks (70) > model.maxBlocks (64): lower model.blocks (70) { or raise it }');
    expect(rendered.fields).to.deep.equal([
      ['model', 'blocks'],
      ['model', 'maxBlocks'],
    ]);
  });
});
