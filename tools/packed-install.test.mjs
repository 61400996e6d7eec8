// diffstruct as a user outside this repository would install it once published: every package
// packed with `npm pack`, the tarballs installed in a scratch folder under the system's temporary
// folder, a config with a plugin package run there, and create-plugin's scaffold built and run
// against that install. It needs the npm registry (for the packages' own dependencies, from npm's
// cache when it holds them) and about a minute, so it is not part of `npm test`: `.ci/run` runs it
// as `npm run test:packed`.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'diffstruct-packed-')));
const tarballs = join(dir, 'tarballs');
const scratch = join(dir, 'scratch');

/** None of the npm_* variables of the npm running this: each command behaves as typed in a shell. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

function shell(cwd, command, ...args) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.status, `${command} ${args.join(' ')} in ${cwd}:\n${output}`).to.equal(0);
  return output;
}

const CONFIG = [
  'name: packed',
  'seeds: 1',
  'cycles: 2000',
  'log: { every: 500 }',
  'task: hard',
  'plugins:',
  '  - "@diffstruct/policy-example"',
  'policy: smallest-first',
  '',
].join('\n');

describe('diffstruct installed from packed tarballs, outside the repository', function () {
  this.timeout(600000);
  // Four installs: some 200 MB.
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(() => {
    mkdirSync(tarballs, { recursive: true });
    shell(ROOT, 'npm', 'pack', '--workspaces', '--pack-destination', tarballs, '--silent');
    const dependencies = Object.fromEntries(
      readdirSync(tarballs).map((file) => [`@diffstruct/${/^diffstruct-(.*)-\d+\.\d+\.\d+\.tgz$/.exec(file)[1]}`, `file:${join(tarballs, file)}`]),
    );
    mkdirSync(scratch);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, dependencies }, null, 2));
    shell(scratch, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund');
  });

  it('holds one copy of @diffstruct/core, without the packages’ specs', () => {
    const copies = spawnSync('find', ['node_modules', '-path', '*/@diffstruct/core/package.json'], { cwd: scratch, encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(copies).to.deep.equal(['node_modules/@diffstruct/core/package.json']);
    expect(readdirSync(join(scratch, 'node_modules', '@diffstruct', 'core', 'dist', 'plugins')).filter((f) => f.includes('.spec.'))).to.deep.equal([]);
  });

  it('runs a config with a plugin package, to the same metrics as the repository’s own CLI', () => {
    writeFileSync(join(scratch, 'packed.yaml'), CONFIG);
    shell(scratch, 'npx', 'diffstruct', 'run', 'packed.yaml', '--out', join(dir, 'packed-run'), '--workers', '1');
    writeFileSync(join(dir, 'packed.yaml'), CONFIG);
    shell(
      ROOT,
      process.execPath,
      join(ROOT, 'packages', 'cli', 'bin', 'diffstruct.js'),
      'run',
      join(dir, 'packed.yaml'),
      '--out',
      join(dir, 'repo-run'),
      '--workers',
      '1',
    );
    const metrics = (run) => readFileSync(join(dir, run, 'seed-0', 'metrics.csv'), 'utf8');
    expect(metrics('packed-run').split('\n')).to.have.length(6); // the header, 4 rows, the final newline
    expect(metrics('packed-run')).to.equal(metrics('repo-run'));
    const plugins = JSON.parse(readFileSync(join(dir, 'packed-run', 'plugins.json'), 'utf8'));
    // The folder the name was resolved from: the config's, whose node_modules holds the package.
    expect(plugins).to.deep.equal({ '@diffstruct/policy-example': scratch });
  });

  it('compiles AssemblyScript that imports @diffstruct/layers/assembly from that install, to the math of JavaScript', () => {
    mkdirSync(join(scratch, 'assembly'), { recursive: true });
    const probe = [
      "import { sigmoid64x2, tanhRow64 } from '@diffstruct/layers/assembly/simd-math';",
      "import { dotRows } from '@diffstruct/layers/assembly/simd-rows';",
      "import { softmaxLoss, softmaxLossStart, softmaxLossStep } from '@diffstruct/layers/assembly/softmax-steps';",
      'export function probe(x: f64): f64 {',
      '  const at = (__heap_base + 15) & ~15;',
      '  if (memory.size() == 0) memory.grow(1);',
      '  v128.store(at, v128.splat<f64>(x));',
      '  tanhRow64(at, at, 16);',
      '  store<f64>(at + 16, x);',
      '  store<f64>(at + 24, 0);',
      '  softmaxLossStart();',
      '  softmaxLossStep(at + 16, 2, 0);',
      '  v128.store(at + 32, v128.splat<f64>(x));',
      '  v128.store(at + 48, v128.splat<f64>(0));',
      '  dotRows<f64>(at + 32, 16, at + 32, 1, at + 48, at + 48, at + 64);', // [x, x]·[x, x]
      '  return load<f64>(at) + v128.extract_lane<f64>(sigmoid64x2(v128.splat<f64>(x)), 0) + softmaxLoss() + load<f64>(at + 64);',
      '}',
    ];
    writeFileSync(join(scratch, 'assembly', 'probe.ts'), probe.join('\n'));
    // The repository's compiler (the scratch install has no dev dependencies): asc resolves the import from the scratch's node_modules.
    const asc = join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    shell(scratch, process.execPath, asc, 'assembly/probe.ts', '-o', 'probe.wasm', '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd');
    const { probe: run } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(scratch, 'probe.wasm'))), {}).exports;
    const x = 0.3;
    expect(run(x)).to.be.closeTo(Math.tanh(x) + 1 / (1 + Math.exp(-x)) + Math.log(1 + Math.exp(-x)) + 2 * x * x, 1e-15);
  });

  for (const kind of ['policy', 'task', 'model']) {
    it(`create-plugin ${kind} from that install: the scaffold installs, passes its spec and runs its config`, () => {
      shell(scratch, 'npx', 'diffstruct', 'create-plugin', kind, `packed-${kind}`, '--dir', join(dir, `packed-${kind}`));
      const folder = join(dir, `packed-${kind}`);
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      expect(manifest.devDependencies['@diffstruct/core']).to.equal(`file:${join(scratch, 'node_modules', '@diffstruct', 'core')}`);
      shell(folder, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund');
      expect(shell(folder, 'npm', 'test')).to.match(/\d+ passing/);
      shell(folder, 'npx', 'diffstruct', 'run', `configs/packed-${kind}.yaml`, '--seeds', '1', '--cycles', '2000', '--workers', '1');
      expect(readdirSync(join(folder, 'runs', `packed-${kind}`))).to.include('summary.json');
    });
  }
});
