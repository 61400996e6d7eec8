import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffstructIn } from './test-support.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-create-plugin-')));

/** The environment of a command an author types: none of the npm_* variables of the `npm test` running this. */
const authorEnvironment = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

/** Runs `command args` in `cwd` as an author would in a shell; returns the exit code, both outputs together, and stdout. */
function shell(cwd: string, command: string, ...args: string[]): { code: number | null; output: string; stdout: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: authorEnvironment });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}`, stdout: result.stdout };
}

describe('diffstruct create-plugin', function () {
  // One npm install (from npm's cache when it holds the packages) and three small runs.
  this.timeout(180000);
  // The scaffolds' node_modules hold some 50 MB (TypeScript's native compiler among them).
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--help answers; a bad kind, a bad name, a built-in type and a folder in use are refused with exit 2', () => {
    expect(diffstructIn(dir, 'create-plugin', '--help').stdout).to.contain('Usage: diffstruct create-plugin [options] <kind> <name>');
    const kind = diffstructIn(dir, 'create-plugin', 'optimizer', 'x');
    expect(kind.code).to.equal(2);
    expect(kind.stderr).to.contain('expected one of policy, task, model, found "optimizer"');
    expect(diffstructIn(dir, 'create-plugin', 'policy', 'My_Policy').stderr).to.contain('expected a package name of lowercase letters');
    const builtIn = diffstructIn(dir, 'create-plugin', 'model', 'gru');
    expect(builtIn.code).to.equal(2);
    expect(builtIn.stderr).to.contain('"gru" is the type of a built-in growable model');
    expect(existsSync(join(dir, 'gru'))).to.equal(false);
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine\n');
    const taken = diffstructIn(dir, 'create-plugin', 'policy', 'taken');
    expect(taken.code).to.equal(2);
    expect(taken.stderr).to.contain(`${join(dir, 'taken')} exists and is not empty`);
    expect(readFileSync(join(dir, 'taken', 'notes.txt'), 'utf8')).to.equal('mine\n');
  });

  it('policy, task and model packages install, build, pass their specs and run their configs as written', () => {
    for (const kind of ['policy', 'task', 'model']) {
      const created = diffstructIn(dir, 'create-plugin', kind, `scaffold-${kind}`, '--dir', `packages/scaffold-${kind}`);
      expect(created.code, created.stderr).to.equal(0);
      expect(created.stdout).to.contain(`npx diffstruct run configs/scaffold-${kind}.yaml`);
    }
    const model = join(dir, 'packages', 'scaffold-model');
    const installed = shell(model, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund');
    expect(installed.code, installed.output).to.equal(0);
    // The three package.json files differ in name and description, and the model's adds layers (a
    // scaffold spec checks it): the model's install serves all three.
    for (const kind of ['policy', 'task']) symlinkSync(join(model, 'node_modules'), join(dir, 'packages', `scaffold-${kind}`, 'node_modules'), 'dir');

    for (const kind of ['policy', 'task', 'model']) {
      const folder = join(dir, 'packages', `scaffold-${kind}`);
      const tested = shell(folder, 'npm', 'test');
      expect(tested.code, tested.output).to.equal(0);
      expect(tested.output)
        .to.match(/scaffold-\w+( \(\w+\))?: [\w ]+conformance/)
        .and.match(/\d+ passing/);
      expect(tested.output).to.not.contain('failing');
      const out = join(dir, 'runs', kind);
      const run = shell(
        folder,
        'npx',
        'diffstruct',
        'run',
        `configs/scaffold-${kind}.yaml`,
        '--seeds',
        '1',
        '--cycles',
        '1000',
        '--workers',
        '1',
        '--out',
        out,
      );
      expect(run.code, run.output).to.equal(0);
      // The folder the package's name was resolved from: its own configs name it.
      expect(JSON.parse(readFileSync(join(out, 'plugins.json'), 'utf8'))).to.deep.equal({ [`scaffold-${kind}`]: join(folder, 'configs') });
    }

    // bench times an outside model, loaded by --plugin as a config's plugins: list would load it, on the table task its accepts asks for.
    const flags = ['--hidden', '3,80', '--seconds', '0.2', '--repeats', '1', '--grown-cycles', '100', '--json'];
    const bench = shell(model, 'npx', 'diffstruct', 'bench', '--plugin', 'scaffold-model', '--model', 'scaffold-model', ...flags);
    expect(bench.code, bench.output).to.equal(0);
    const report = JSON.parse(bench.stdout) as { results: { model: string; task: string; hidden: number }[] };
    expect(report.results.map((r) => [r.model, r.task, r.hidden])).to.deep.equal([
      ['scaffold-model', 'parity', 3],
      ['scaffold-model', 'parity', 80],
    ]);
  });
});
