// tools/numba_rnn.py and tools/jax_rnn.py (the benchmark's compiled yardsticks) train the same
// network on the same symbols as tools/numpy_rnn.py: for the same arguments, the same final loss.
// Their packages are no dependency of the project: where one is not installed, the script exits 3
// with a one-line message, and its agreement test is skipped with that message.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tool = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));
// One BLAS thread, as `diffstruct bench` runs a yardstick. What numba and XLA compile is cached
// outside the work tree, for the next run of this spec (a few seconds each): numba reuses it while
// the script's timestamp is unchanged, jax while the program, its version and its flags are.
const env = {
  ...process.env,
  OPENBLAS_NUM_THREADS: '1',
  OMP_NUM_THREADS: '1',
  MKL_NUM_THREADS: '1',
  NUMBA_CACHE_DIR: join(tmpdir(), 'diffstruct-numba-cache'),
  JAX_COMPILATION_CACHE_DIR: join(tmpdir(), 'diffstruct-jax-cache'),
};

function python(args, extraEnv = {}) {
  return spawnSync('python3', args, { encoding: 'utf8', env: { ...env, ...extraEnv } });
}

/** The final smooth loss on a script's last line (it must have exited 0). */
function finalLoss(result) {
  expect(result.status, result.stderr).to.equal(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()).loss;
}

const relative = (a, b) => Math.abs(a - b) / Math.abs(b);

// 300 cycles from seed 7 at 5 neurons; a batch of 3 short windows over a 6-symbol vocabulary.
// Here numba's loss equals numpy's to the last digit printed and jax's is within 1e-15 relative: the
// sums differ from BLAS's only in rounding (order, fused multiply-adds; libm's tanh and exp against
// numpy's own). Training carries such differences on, more the larger the network: at 27 neurons,
// batch 4, numba and numpy part at 1e-8 relative after 300 cycles, as numpy does with itself when one
// starting weight moves by one ulp (2e-9). So 1e-9 holds for these small cases only.
const CASES = [
  ['hard', '300', '7', '--fixed', '5'],
  ['uniform', '300', '7', '--fixed', '5', '--batch', '3', '--unroll', '10', '--vocab', '6'],
];

describe('the Python yardsticks: numba_rnn.py and jax_rnn.py beside numpy_rnn.py, and what each says without its package', function () {
  this.timeout(120000);
  let hasPython = false;
  let hasNumpy = false;
  const numpyLoss = new Map();
  before(() => {
    hasPython = python(['--version']).status === 0;
    hasNumpy = hasPython && python(['-c', 'import numpy']).status === 0;
  });

  /** numpy_rnn.py's loss for a case, run once for both yardsticks. */
  function reference(args) {
    const key = args.join(' ');
    if (!numpyLoss.has(key)) numpyLoss.set(key, finalLoss(python([tool('numpy_rnn.py'), ...args])));
    return numpyLoss.get(key);
  }

  /** A module of that name that fails to import, found first. */
  function missing(module) {
    const fake = mkdtempSync(join(tmpdir(), `diffstruct-no-${module}-`));
    mkdirSync(join(fake, module));
    writeFileSync(join(fake, module, '__init__.py'), 'raise ImportError("not here")\n');
    return { PYTHONPATH: fake };
  }
  const saysMissing = (module) => new RegExp(`^${module} is not installed for this Python \\(\\S+ -m pip install ${module}\\)$`);

  for (const script of ['numpy_rnn.py', 'numpy_mlp.py']) {
    it(`${script} exits 3, saying how to install numpy, where numpy cannot be imported (bench skips it)`, function () {
      if (!hasPython) this.skip();
      const result = python([tool(script), 'hard', '10', '0', '--fixed', '3'], missing('numpy'));
      expect(result.status, result.stderr).to.equal(3);
      expect(result.stderr.trim()).to.match(saysMissing('numpy'));
    });
  }

  for (const [script, module] of [
    ['numba_rnn.py', 'numba'],
    ['jax_rnn.py', 'jax'],
  ]) {
    describe(script, () => {
      it('refuses a command line without --fixed N (exit 2, one line on stderr) before it imports anything', function () {
        if (!hasPython) this.skip();
        const result = python([tool(script), 'hard', '300', '7']);
        expect(result.status).to.equal(2);
        expect(result.stderr).to.match(/only --fixed N is supported/);
        expect(result.stderr.trim().split('\n')).to.have.length(1);
      });

      it(`exits 3 with "${module} is not installed for this Python (… -m pip install ${module})" where ${module} cannot be imported`, function () {
        if (!hasPython) this.skip();
        const result = python([tool(script), ...CASES[0]], missing(module));
        expect(result.status, result.stderr).to.equal(3);
        expect(result.stderr.trim()).to.match(saysMissing(module));
      });

      it(`ends on numpy_rnn.py's final loss (1e-9 relative): ${CASES.map((c) => c.join(' ')).join('; ')}`, function () {
        if (!hasNumpy) this.skip();
        for (const args of CASES) {
          const result = python([tool(script), ...args]);
          if (result.status === 3) {
            console.log(`    (skipped: ${result.stderr.trim()})`);
            this.skip();
          }
          const loss = finalLoss(result);
          expect(relative(loss, reference(args)), `${args.join(' ')}: ${loss} vs ${reference(args)}`).to.be.below(1e-9);
        }
      });
    });
  }
});
