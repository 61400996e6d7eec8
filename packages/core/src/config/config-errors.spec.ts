import { expect } from 'chai';
import { ConfigError, formatProblem, MAX_LISTED_PROBLEMS } from './config-error.js';
import { problemsOfText, resolveText } from '../test-support/config-fixtures.js';

const lines = (...l: string[]) => l.join('\n') + '\n';
const report = (...l: string[]) => problemsOfText(lines(...l)).map(formatProblem);

describe('config errors: where a value was written, in which arms, all in one pass', () => {
  describe('a rule across options', () => {
    it('names every option involved with its value, at the line of the arm that wrote the value, and the arm', () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'arms:',
          '  - name: easy',
          '  - name: hard',
          '    policy: { minMultiplier: 0.06 }', // line 6
        ),
      ).to.deep.equal(['exp.yaml:6:30: arms[1].policy.minMultiplier: policy.minMultiplier (0.06) must be below policy.threshold (0.05) (in arm hard)']);
    });

    it("points at the arm's value when the arm wrote one option and the top level the other", () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'policy: { minMultiplier: 0.04 }',
          'arms:',
          '  - name: easy',
          '  - name: hard',
          '    policy: { threshold: 0.03 }', // line 7: what makes hard differ from easy
        ),
      ).to.deep.equal(['exp.yaml:7:26: arms[1].policy.threshold: policy.minMultiplier (0.04) must be below policy.threshold (0.03) (in arm hard)']);
    });

    it('shows an inherited top-level value once, at the top level, naming the arms that inherit it', () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'policy: { minMultiplier: 0.06 }', // line 3
          'arms:',
          '  - { name: easy }',
          '  - { name: hard, policy: { threshold: 0.1 } }',
          '  - { name: long, cycles: 900 }',
        ),
      ).to.deep.equal(['exp.yaml:3:26: policy.minMultiplier: policy.minMultiplier (0.06) must be below policy.threshold (0.05) (in arms easy, long)']);
      expect(report('name: t', 'task: test-task', 'policy: { minMultiplier: 0.06 }', 'arms: [{ name: easy }, { name: hard }]')).to.deep.equal([
        'exp.yaml:3:26: policy.minMultiplier: policy.minMultiplier (0.06) must be below policy.threshold (0.05) (in every arm)',
      ]);
    });

    it("points at the sweep's list entry when a swept value breaks the rule, once for the arms it reaches", () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'policy: { minMultiplier: 0.04 }',
          'sweep:',
          '  policy.threshold: [0.03, 0.1]', // line 5
          'arms: [{ name: a }, { name: b }]',
        ),
      ).to.deep.equal([
        'exp.yaml:5:22: sweep.policy.threshold[0]: policy.minMultiplier (0.04) must be below policy.threshold (0.03) (in arms a_threshold-0.03, b_threshold-0.03)',
      ]);
    });

    it("checks a nested plugin's rule, named by its full path", () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'policy: { init: { type: test-pool, capacity: 3 } }',
          'arms:',
          '  - { name: a }',
          '  - { name: b, policy: { init: { size: 5 } } }', // line 6
          '  - { name: c, policy: { init: test-pool } }',
        ),
      ).to.deep.equal(['exp.yaml:6:40: arms[1].policy.init.size: policy.init.size (5) must be at most policy.init.capacity (3) (in arm b)']);
    });

    it('leaves out the arm where the config has no arms and no sweep', () => {
      expect(report('name: t', 'task: test-task', 'policy: { threshold: 0.02 }')).to.deep.equal([
        'exp.yaml:3:22: policy.threshold: policy.minMultiplier (0.025) must be below policy.threshold (0.02)',
      ]);
    });

    it('points at the first option the rule names when the same place wrote all of them', () => {
      expect(report('name: t', 'task: test-task', 'arms:', '  - { name: a, policy: { minMultiplier: 0.05, threshold: 0.05 } }')).to.deep.equal([
        'exp.yaml:4:41: arms[0].policy.minMultiplier: policy.minMultiplier (0.05) must be below policy.threshold (0.05) (in arm a)',
      ]);
    });
  });

  describe('a task of a kind the model does not accept', () => {
    const refused = 'the test-model model accepts sequence tasks, but the test-rows task gives table examples (no loaded model accepts table tasks)';

    it("points at the model's type, naming the model, what it accepts, the task and its kind", () => {
      expect(report('name: t', 'task: test-rows', 'model: { type: test-model, hidden: 2 }')).to.deep.equal([`exp.yaml:3:16: model.type: ${refused}`]);
    });

    it('points at the model itself when it is written as a bare type name', () => {
      expect(report('name: t', 'task: test-rows', 'model: test-model')).to.deep.equal([`exp.yaml:3:8: model.type: ${refused}`]);
    });

    it("points at the task's type when no model is written (the default's)", () => {
      expect(report('name: t', 'task: test-rows')).to.deep.equal([`exp.yaml:2:7: task.type: ${refused}`]);
    });

    it("points at the arm's task when only that arm's task is of another kind, naming the arm", () => {
      expect(
        report(
          'name: t',
          'task: test-task',
          'model: test-model',
          'arms:',
          '  - { name: symbols }',
          '  - { name: rows, task: test-rows }', // line 6
        ),
      ).to.deep.equal([`exp.yaml:6:25: arms[1].task.type: ${refused} (in arm rows)`]);
    });

    it("is reported with the model's other problems, in the same pass", () => {
      expect(report('name: t', 'task: test-rows', 'model: { type: test-model, hidden: 0 }')).to.deep.equal([
        `exp.yaml:3:16: model.type: ${refused}`,
        'exp.yaml:3:36: model.hidden: expected an integer >= 1, found 0',
      ]);
    });
  });

  describe('every problem of a file in one pass', () => {
    it('reports schema problems and rules across options together, in file order', () => {
      expect(
        report(
          'name: t',
          'seeds: -1',
          'task: test-task',
          'model: { hidden: "x" }',
          'policy: { minMultiplier: 0.07 }',
          'arms:',
          '  - { name: a, model: { hidden: 3 } }',
          '  - { name: b, task: { letters: 99 } }',
        ),
      ).to.deep.equal([
        'exp.yaml:2:8: seeds: expected an integer >= 1, found -1',
        'exp.yaml:4:18: model.hidden: expected an integer, found "x" (a string) (in arm b)',
        'exp.yaml:5:26: policy.minMultiplier: policy.minMultiplier (0.07) must be below policy.threshold (0.05) (in every arm)',
        'exp.yaml:8:33: arms[1].task.letters: expected an integer <= 10, found 99 (in arm b)',
      ]);
    });

    it('skips the rules of options that failed the schema: they would judge garbage', () => {
      expect(report('name: t', 'task: test-task', 'policy: { threshold: "high", minMultiplier: 0.07 }')).to.deep.equal([
        'exp.yaml:3:22: policy.threshold: expected a number, found "high" (a string)',
      ]);
    });

    it('checks the rules of known options beside an unknown key: a typo hides nothing', () => {
      expect(report('name: t', 'task: test-task', 'policy: { minMultiplier: 0.07, reserv: 2 }')).to.deep.equal([
        'exp.yaml:3:26: policy.minMultiplier: policy.minMultiplier (0.07) must be below policy.threshold (0.05)',
        'exp.yaml:3:32: policy.reserv: expected one of the keys threshold, minMultiplier, reserve, init; found unknown key "reserv" (did you mean "reserve"?)',
      ]);
    });

    it('reports non-finite numbers and slots that are neither names nor mappings with the rest, each once', () => {
      expect(
        report('name: t', 'cycles: .nan', 'task: test-task', 'policy: { minMultiplier: 0.07 }', 'optimizer: 5', 'model: { hidden: .inf }', 'seeds: 0'),
      ).to.deep.equal([
        'exp.yaml:2:9: cycles: expected a finite number, found .nan',
        'exp.yaml:4:26: policy.minMultiplier: policy.minMultiplier (0.07) must be below policy.threshold (0.05)',
        'exp.yaml:5:12: optimizer: expected a optimizer type name or a mapping with "type" and options, found 5',
        'exp.yaml:6:18: model.hidden: expected a finite number, found .inf (or a number too large)',
        'exp.yaml:7:8: seeds: expected an integer >= 1, found 0',
      ]);
    });
  });

  describe('many arms', () => {
    const grid = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from).join(', ');

    it('a bad value that hundreds of arms inherit is one problem, in every arm', () => {
      const problems = report('name: t', 'task: test-task', 'policy: { minMultiplier: 0.07 }', 'sweep:', `  model.hidden: [${grid(300)}]`);
      expect(problems).to.deep.equal(['exp.yaml:3:26: policy.minMultiplier: policy.minMultiplier (0.07) must be below policy.threshold (0.05) (in every arm)']);
    });

    it('names five of the arms a problem is in, and counts the rest', () => {
      const problems = report(
        'name: t',
        'task: test-task',
        'policy: { minMultiplier: 0.04 }',
        'sweep:',
        '  policy.threshold: [0.03, 0.1]',
        `  model.hidden: [${grid(20)}]`,
      );
      expect(problems).to.deep.equal([
        'exp.yaml:5:22: sweep.policy.threshold[0]: policy.minMultiplier (0.04) must be below policy.threshold (0.03) ' +
          '(in arms threshold-0.03_hidden-1, threshold-0.03_hidden-2, threshold-0.03_hidden-3, threshold-0.03_hidden-4, threshold-0.03_hidden-5 and 15 more)',
      ]);
    });

    it(`lists ${MAX_LISTED_PROBLEMS} problems in the message and counts the rest; the error holds them all`, () => {
      const text = lines('name: t', 'task: test-task', 'sweep:', `  model.hidden: [${grid(120, -119)}]`);
      let error: ConfigError | undefined;
      try {
        resolveText(text);
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error).to.be.instanceOf(ConfigError);
      expect(error!.problems).to.have.length(120);
      const shown = error!.message.split('\n');
      expect(shown).to.have.length(MAX_LISTED_PROBLEMS + 1);
      expect(shown[0]).to.equal('exp.yaml:4:18: sweep.model.hidden[0]: expected an integer >= 1, found -119 (in arm hidden--119)');
      expect(shown[MAX_LISTED_PROBLEMS]).to.equal(`... and ${120 - MAX_LISTED_PROBLEMS} more problems after these`);
    });
  });
});
