import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffstructIn } from './test-support.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-outside-plugin-')));
const project = join(dir, 'project');

// A plugin package that is installed nowhere: its own configs name it (a package may import
// itself by name). Its module needs no import at all, since core's tokens are registered symbols.
mkdirSync(join(project, 'configs'), { recursive: true });
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'project-policy', type: 'module', keywords: ['diffstruct-plugin'], exports: './index.js' }),
);
writeFileSync(
  join(project, 'index.js'),
  `export default {
  id: 515151,
  load({ bind }) {
    bind(Symbol.for('diffstruct.PolicyContribution')).toConstantValue({
      type: 'keep-all',
      description: 'never adds or removes a unit',
      optionsSchema: { properties: {} },
      create: () => ({ type: 'keep-all', regularization: { l1: 0, minMultiplier: 0 }, decide: () => ({ remove: [], removeReason: '', add: [] }) }),
    });
  },
};
`,
);
const config = join(project, 'configs', 'keep.yaml');
writeFileSync(
  config,
  ['name: keep', 'seeds: 1', 'cycles: 400', 'log: { every: 100 }', 'task: hard', 'plugins: [project-policy]', 'policy: keep-all', ''].join('\n'),
);

describe('a plugin package found from the config’s folder', function () {
  this.timeout(60000);
  const out = join(dir, 'out');

  it('is recorded in the run folder’s plugins.json, so --resume finds it from any working directory', () => {
    const first = diffstructIn(project, 'run', 'configs/keep.yaml', '--out', out);
    expect(first.code, first.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(join(out, 'plugins.json'), 'utf8'))).to.deep.equal({ 'project-policy': join(project, 'index.js') });
    const metrics = readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8');
    // Unfinished again, so the resumed session trains it: its worker must load the plugin too.
    rmSync(join(out, 'seed-0', 'result.json'));
    const resumed = diffstructIn('/', 'run', '--resume', out);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(resumed.stderr).to.contain('(resuming)');
    expect(readFileSync(join(out, 'seed-0', 'metrics.csv'), 'utf8')).to.equal(metrics);
  });

  it('a plugins.json that is not a map of entry files is refused, with the file named', () => {
    writeFileSync(join(out, 'plugins.json'), '{"project-policy": "index.js"}\n');
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${join(out, 'plugins.json')}: "project-policy": expected the absolute path of an entry file, found "index.js"`);
  });

  it('without that record, a run folder outside the package cannot find it', () => {
    writeFileSync(join(out, 'plugins.json'), '{}\n');
    const { code, stderr } = diffstructIn('/', 'run', '--resume', out);
    expect(code).to.equal(2);
    expect(stderr)
      .to.contain(`${join(out, 'config.yaml')}:`)
      .and.contain('plugins[0]: expected an installed plugin package, found "project-policy"');
  });

  it('a mistyped plugin name: the plugin packages resolvable from the config’s folder are listed', () => {
    const typo = join(project, 'configs', 'typo.yaml');
    writeFileSync(typo, ['name: typo', 'task: hard', 'plugins: [project-polcy]', ''].join('\n'));
    const { code, stderr } = diffstructIn('/', 'validate', typo);
    expect(code).to.equal(2);
    expect(stderr).to.contain(`${typo}:3:11: plugins[0]: expected an installed plugin package, found "project-polcy", which is not an installed package`);
    expect(stderr).to.contain(`plugin packages resolvable from ${join(project, 'configs')}: project-policy;`);
  });
});
