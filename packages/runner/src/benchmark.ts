import { spawnSync } from 'node:child_process';
import { DiffstructError } from '@diffstruct/core';
import { type ArmConfig, type PluginRegistries, TrainingLoop, type TrainingSetup } from '@diffstruct/core/host';
import { buildSetup } from './build-setup.js';

export interface GrownBenchmark {
  readonly cycles: number;
  readonly seconds: number;
  readonly cyclesPerSecond: number;
  readonly units: number;
}

/** The training loop of `arm`'s seed 0, as a run builds it, with no metrics rows. */
function trainingLoop(registries: PluginRegistries, arm: ArmConfig): { loop: TrainingLoop; setup: TrainingSetup } {
  const setup = buildSetup(registries, arm, 0, Number.MAX_SAFE_INTEGER);
  return { loop: new TrainingLoop(setup), setup };
}

/** Something timed again and again, in turn with others: one arm's training loop, or a yardstick. */
export interface CycleTimer {
  /** Cycles per second over about `seconds` of further cycles. */
  time(seconds: number): number;
}

export interface FixedSizeTimer extends CycleTimer {
  /** For a sequence model: symbols predicted per cycle (T × B), what turns cycles/s into characters/s. */
  readonly charactersPerCycle?: number;
  /** On a table task: the rows of a cycle's example (its batchSize), what turns cycles/s into rows/s (images/s on mnist). */
  readonly rowsPerCycle?: number;
}

/**
 * One arm (a fixed-size network: `policy: none`) ready to be timed in this thread: the whole
 * training cycle (example, forward, backward, optimizer, policy), each timing continuing the same
 * run. Warmed up first (about `warmUpSeconds`): every path compiled, the heap grown.
 */
export function fixedSizeTimer(registries: PluginRegistries, arm: ArmConfig, warmUpSeconds: number): FixedSizeTimer {
  const { loop, setup } = trainingLoop(registries, arm);
  const time = (target: number): number => {
    let cycles = 64;
    for (;;) {
      const started = performance.now();
      loop.run(loop.cycle + cycles);
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= target) return cycles / elapsed;
      cycles = Math.ceil(cycles * Math.min(10, Math.max(2, (1.2 * target) / Math.max(elapsed, 1e-4))));
    }
  };
  time(warmUpSeconds);
  const characters = charactersPerCycle(setup);
  const rows = setup.task.shape.kind === 'table' ? setup.model.exampleRequest.batchSize : undefined;
  return { time, ...(characters ? { charactersPerCycle: characters } : {}), ...(rows ? { rowsPerCycle: rows } : {}) };
}

/** Symbols a sequence model predicts per cycle: each window's length less its first, times the windows. */
function charactersPerCycle({ task, model }: TrainingSetup): number | undefined {
  const { length, sequences } = model.exampleRequest;
  return task.shape.kind === 'sequence' && length ? (length - 1) * (sequences ?? 1) : undefined;
}

/** Wall time of `cycles` cycles of one arm (a growing network: e.g. the paper's policy from the model's starting size). */
export function benchmarkGrown(registries: PluginRegistries, arm: ArmConfig, cycles: number): GrownBenchmark {
  const { loop, setup } = trainingLoop(registries, arm);
  const started = performance.now();
  loop.run(cycles);
  const seconds = (performance.now() - started) / 1000;
  const units = setup.model.growables.reduce((sum, g) => sum + g.size, 0);
  return { cycles, seconds, cyclesPerSecond: cycles / seconds, units };
}

/** The exit code with which a yardstick says its Python package is missing (its stderr says which): bench skips it. */
export const YARDSTICK_UNAVAILABLE = 3;

/** A yardstick that said YARDSTICK_UNAVAILABLE after it had run (its message says why): bench skips it from then on. */
export class YardstickUnavailable extends DiffstructError {
  override readonly name = 'YardstickUnavailable';
}

/**
 * A Python yardstick (tools/numpy_rnn.py, numba_rnn.py, jax_rnn.py, numpy_mlp.py) at a fixed size,
 * ready to be timed: each timing runs the script as `SCRIPT TASK CYCLES 0 --fixed N ...extra`, with
 * as many cycles as take about the time asked at the rate last measured, and reads the
 * `cycles_per_second` of the JSON line it prints last (the script compiles before its clock
 * starts). One BLAS thread, as ours is one thread. A first short run measures the rate; it says
 * `{ skipped }` when the script exits with YARDSTICK_UNAVAILABLE, with its message (a later
 * timing throws YardstickUnavailable).
 */
export function yardstickTimer(
  script: string,
  run: { readonly task: string; readonly hidden: number; readonly extra?: readonly string[] },
  python = 'python3',
): CycleTimer | { skipped: string } {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const timed = (cycles: number): number | { skipped: string } => {
    const args = [script, run.task, String(cycles), '0', '--fixed', String(run.hidden), ...(run.extra ?? [])];
    const result = spawnSync(python, args, { encoding: 'utf8', env });
    if (result.error) throw new DiffstructError(`--python ${python}: cannot run it (${result.error.message}); name a Python 3 with numpy`);
    const said = result.stderr.trim();
    if (result.status === YARDSTICK_UNAVAILABLE) return { skipped: said.split('\n').pop() || `${script} is unavailable` };
    if (result.status !== 0) throw new DiffstructError(`${python} ${script} failed: ${said}`);
    const line = result.stdout.trim().split('\n').pop() ?? '';
    let rate: unknown;
    try {
      rate = (JSON.parse(line) as { cycles_per_second?: unknown }).cycles_per_second;
    } catch {
      rate = undefined;
    }
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0)
      throw new DiffstructError(`${script} printed no positive cycles_per_second on its last line: "${line}"`);
    return rate;
  };
  const estimate = timed(50);
  if (typeof estimate !== 'number') return estimate;
  let last = estimate;
  return {
    time(seconds: number): number {
      const rate = timed(Math.max(50, Math.round(last * seconds)));
      if (typeof rate !== 'number') throw new YardstickUnavailable(rate.skipped);
      last = rate;
      return rate;
    },
  };
}
