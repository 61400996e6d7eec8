import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from 'inversify';
import { coreModule } from '../plugins/core-module.js';
import { ConfigLoader } from './config-loader.js';
import { ConfigSource } from './config-source.js';
import { formatProblem } from './config-error.js';
import { problemsOf, problemsOfText, resolveText } from '../test-support/config-fixtures.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('ConfigLoader', () => {
  it('fills defaults, expands shorthand and freezes the result', () => {
    const config = resolveText(lines('name: t', 'task: test-task', 'policy: test-threshold'));
    expect(config.seeds).to.equal(20);
    expect(config.cycles).to.equal(300000);
    expect(config.log.every).to.equal(1000);
    expect(config.explicitArms).to.equal(false);
    expect(config.arms).to.have.length(1);
    const arm = config.arms[0];
    expect(arm.name).to.equal('t');
    expect(arm.policy).to.deep.equal({ type: 'test-threshold', threshold: 0.05, minMultiplier: 0.025, reserve: 1 });
    expect(arm.task).to.deep.equal({ type: 'test-task', letters: 6 });
    expect(arm.model).to.deep.equal({ type: 'test-model', hidden: 1, layers: { width: 2 } });
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(arm.policy)).to.equal(true);
  });

  it('merges each arm over the top level, replacing a slot whose type changes', () => {
    const config = resolveText(
      lines(
        'name: t',
        'cycles: 500',
        'task: { type: test-task, letters: 3 }',
        'policy: { type: test-threshold, threshold: 0.1 }',
        'arms:',
        '  - { name: grown, policy: { reserve: 2 } }',
        '  - { name: fixed, cycles: 200, model: { hidden: 27 }, task: test-task }',
      ),
    );
    expect(config.explicitArms).to.equal(true);
    const [grown, fixed] = config.arms;
    expect(grown.policy).to.include({ threshold: 0.1, reserve: 2 });
    expect(grown.cycles).to.equal(500);
    expect(grown.task).to.deep.equal({ type: 'test-task', letters: 3 });
    expect(fixed.cycles).to.equal(200);
    expect(fixed.model).to.include({ type: 'test-model', hidden: 27 });
    expect(fixed.task).to.deep.equal({ type: 'test-task', letters: 3 });
  });

  describe('refuses bad input with file, line, column and key path', () => {
    const one = (text: string) => {
      const problems = problemsOfText(text);
      expect(problems, problems.map(formatProblem).join('\n')).to.have.length(1);
      return problems[0];
    };

    it('a value of the wrong type', () => {
      const p = one(lines('name: t', 'task: test-task', 'policy:', '  type: test-threshold', '  threshold: "high"'));
      expect(p).to.include({ file: 'exp.yaml', line: 5, col: 14, path: 'policy.threshold' });
      expect(p.message).to.equal('expected a number, found "high" (a string)');
    });

    it('a value out of range', () => {
      const p = one(lines('name: t', 'task: test-task', 'seeds: 0'));
      expect(p).to.include({ line: 3, col: 8, path: 'seeds' });
      expect(p.message).to.equal('expected an integer >= 1, found 0');
    });

    it('an unknown key, naming it and the nearest known key', () => {
      const p = one(lines('name: t', 'task: test-task', 'polcy: test-threshold'));
      expect(p).to.include({ line: 3, col: 1, path: 'polcy' });
      expect(p.message).to.contain('unknown key "polcy"').and.contain('did you mean "policy"');
    });

    it("an unknown key among a plugin's options", () => {
      const p = one(lines('name: t', 'task: test-task', 'policy:', '  type: test-threshold', '  treshold: 0.1'));
      expect(p).to.include({ line: 5, col: 3, path: 'policy.treshold' });
      expect(p.message).to.contain('did you mean "threshold"').and.contain('reserve');
    });

    it('an unknown plugin type, listing the known ones', () => {
      const p = one(lines('name: t', 'task: test-task', 'policy: test-treshold'));
      expect(p).to.include({ line: 3, col: 9, path: 'policy.type' });
      expect(p.message).to.contain('known policy type (test-threshold)').and.contain('did you mean "test-threshold"');
    });

    it('a plugin slot that is neither a name nor a mapping', () => {
      const p = one(lines('name: t', 'task: test-task', 'policy: 5'));
      expect(p).to.include({ line: 3, col: 9, path: 'policy' });
    });

    it('a missing task', () => {
      const p = one(lines('name: t'));
      expect(p).to.include({ line: 1, col: 1, path: 'task' });
      expect(p.message).to.equal('expected key "task", found none');
    });

    it('a YAML syntax error', () => {
      const p = one(lines('name: t', 'task: [test-task', 'seeds: 3'));
      expect(p.line).to.be.greaterThan(1);
      expect(p.message).to.match(/^YAML syntax: /);
    });

    it('a duplicate key, pointing at the second one', () => {
      const p = one(lines('name: t', 'task: test-task', 'policy:', '  reserve: 1', '  reserve: 2'));
      expect(p).to.include({ line: 5, col: 3, path: 'policy.reserve' });
      expect(p.message).to.contain('duplicate key "reserve" (first on line 4)');
    });

    it('a duplicate key inside a list item', () => {
      const p = one(lines('name: t', 'task: test-task', 'arms:', '  - name: a', '    name: b'));
      expect(p).to.include({ line: 5, col: 5, path: 'arms[0].name' });
    });

    it('an empty file', () => {
      const p = one('');
      expect(p).to.include({ line: 1, col: 1 });
      expect(p.message).to.contain('found an empty file');
    });

    it('a top-level list', () => {
      const p = one(lines('- name: t', '- task: test-task'));
      expect(p).to.include({ line: 1, col: 1 });
      expect(p.message).to.contain('found a list');
    });

    it('a YAML alias bomb, quickly', () => {
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i++)
        bomb.push(
          `l${i}: &l${i} [${Array(9)
            .fill(i === 1 ? '*a' : `*l${i - 1}`)
            .join(', ')}]`,
        );
      const started = Date.now();
      const p = one(lines('name: t', ...bomb));
      expect(Date.now() - started).to.be.below(1000);
      expect(p.line).to.equal(3);
      expect(p.message).to.contain('refused: YAML aliases expand too much');
    });

    it('a list used as a key', () => {
      const p = one(lines('name: t', 'task: test-task', '? [a, b]', ': 1'));
      expect(p).to.include({ line: 3, col: 3 });
      expect(p.message).to.contain('expected a plain key');
    });

    it('an alias whose anchor is missing', () => {
      const p = one(lines('name: t', 'task: *nowhere'));
      expect(p).to.include({ line: 2, col: 7 });
      expect(p.message).to.match(/^YAML: Unresolved alias/);
    });

    it('an alias inside the node it refers to (a cycle)', () => {
      for (const text of ['&a\n: *a', lines('name: t', 'task: &t { type: test-task, phases: [*t] }')]) {
        expect(one(text).message).to.equal('refused: a YAML alias inside the node it refers to (a cycle)');
      }
    });

    for (const [text, found] of [
      ['.nan', '.nan'],
      ['.inf', '.inf'],
      ['-.inf', '-.inf'],
      ['1e400', '.inf'],
    ]) {
      it(`a non-finite number (${text})`, () => {
        const p = one(lines('name: t', 'task: test-task', `cycles: ${text}`));
        expect(p).to.include({ line: 3, col: 9, path: 'cycles' });
        expect(p.message).to.contain(`expected a finite number, found ${found}`);
      });
    }

    it('a cross-field rule: minMultiplier below threshold', () => {
      const p = one(lines('name: t', 'task: test-task', 'policy:', '  type: test-threshold', '  minMultiplier: 0.1'));
      expect(p).to.include({ line: 5, col: 18, path: 'policy.minMultiplier' });
      expect(p.message).to.equal('policy.minMultiplier (0.1) must be below policy.threshold (0.05)');
    });

    it('an error inside an arm points into the arm', () => {
      const p = one(lines('name: t', 'task: test-task', 'arms:', '  - name: a', '  - name: b', '    model: { hidden: -3 }'));
      expect(p).to.include({ line: 6, col: 22, path: 'arms[1].model.hidden' });
    });

    it('a top-level error shared by every arm shows once, at the top level', () => {
      const p = one(lines('name: t', 'task: test-task', 'model: { hidden: 0 }', 'arms: [{ name: a }, { name: b }]'));
      expect(p).to.include({ line: 3, col: 18, path: 'model.hidden' });
    });

    it('duplicate arm names', () => {
      const p = one(lines('name: t', 'task: test-task', 'arms:', '  - name: a', '  - name: a'));
      expect(p).to.include({ line: 5, col: 11, path: 'arms[1].name' });
      expect(p.message).to.contain('(also arms[0])');
    });

    it('an arm name that cannot be a folder name', () => {
      const p = one(lines('name: t', 'task: test-task', 'arms: [{ name: ../up }]'));
      expect(p).to.include({ line: 3, col: 16, path: 'arms[0].name' });
    });

    it('several problems at once, top level and plugin options, in file order', () => {
      const problems = problemsOfText(lines('name: t', 'task: test-task', 'colour: red', 'seeds: -1', 'policy: { threshold: high }'));
      expect(problems.map((p) => `${p.line}:${p.path}`)).to.deep.equal(['3:colour', '4:seeds', '5:policy.threshold']);
    });
  });

  it('with no plugin loaded, says none is loaded instead of failing', () => {
    const container = new Container();
    container.load(coreModule);
    const problems = problemsOf(() => container.get(ConfigLoader).resolve(ConfigSource.parse('name: t\ntask: hard\n', 'exp.yaml')));
    expect(problems.map(formatProblem)).to.include(
      'exp.yaml:2:7: task.type: expected a known task type (none (no task plugin is loaded)), found "hard" (a string); a plugin package\'s task types need the package in plugins:',
    );
  });

  describe('reading files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-config-'));

    it('a missing file', () => {
      const [p] = problemsOf(() => ConfigSource.read(join(dir, 'absent.yaml')));
      expect(formatProblem(p)).to.equal(`${join(dir, 'absent.yaml')}: no such file`);
    });

    it('a folder', () => {
      const [p] = problemsOf(() => ConfigSource.read(dir));
      expect(p.message).to.contain('is a folder');
    });

    it('a file over 1 MiB, and a device whose size stat gives as 0 (/dev/zero), read no further than the cap', () => {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, `name: big\n#${'x'.repeat(1 << 20)}\n`);
      expect(formatProblem(problemsOf(() => ConfigSource.read(big))[0])).to.equal(`${big}: file over 1 MiB; a config file is at most 1 MiB`);
      expect(formatProblem(problemsOf(() => ConfigSource.read('/dev/zero'))[0])).to.equal('/dev/zero: file over 1 MiB; a config file is at most 1 MiB');
    });

    it('a FIFO, at once, not waiting for a writer that never comes', () => {
      const fifo = join(dir, 'fifo.yaml');
      execFileSync('mkfifo', [fifo]);
      expect(formatProblem(problemsOf(() => ConfigSource.read(fifo))[0])).to.equal(`${fifo}: is a pipe, not a file; a config file must be a regular file`);
    });

    it('a binary file', () => {
      const file = join(dir, 'binary.yaml');
      writeFileSync(file, Buffer.from([0x6e, 0x00, 0x01, 0x02]));
      const [p] = problemsOf(() => ConfigSource.read(file));
      expect(p.message).to.contain('binary file');
    });

    it('a file that is not UTF-8', () => {
      const file = join(dir, 'latin1.yaml');
      writeFileSync(file, Buffer.from('name: caf\xe9\n', 'latin1'));
      const [p] = problemsOf(() => ConfigSource.read(file));
      expect(p.message).to.contain('not UTF-8');
    });
  });
});
