import { spawnSync } from 'node:child_process';
import { DiffstructError } from '@diffstruct/core';
import { type ArmConfig, type PluginRegistries, TrainingLoop, type TrainingSetup } from '@diffstruct/core/host';
import { buildSetup } from './build-setup.js';

export interface FixedSizeBenchmark {
  /** Median over the repeats. */
  readonly cyclesPerSecond: number;
  readonly repeats: readonly number[];
  /** For a sequence model: symbols predicted per second, cycles/s × T × B (steps a window × windows a cycle). */
  readonly charactersPerSecond?: number;
}

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

/**
 * Cycles per second of one arm (a fixed-size network: `policy: none`) in this thread: the whole
 * training cycle (example, forward, backward, optimizer, policy), after a warm-up, median of
 * `repeats` timings of about `seconds / repeats` each.
 */
export function benchmarkFixedSize(registries: PluginRegistries, arm: ArmConfig, seconds: number, repeats: number): FixedSizeBenchmark {
  const { loop, setup } = trainingLoop(registries, arm);
  const timeFor = (target: number): number => {
    let cycles = 64;
    for (;;) {
      const started = performance.now();
      loop.run(loop.cycle + cycles);
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= target) return cycles / elapsed;
      cycles = Math.ceil(cycles * Math.min(10, Math.max(2, (1.2 * target) / Math.max(elapsed, 1e-4))));
    }
  };
  timeFor(Math.min(0.5, seconds / 4)); // warm-up: compile every path and grow the heap
  const rates = Array.from({ length: repeats }, () => timeFor(seconds / repeats));
  const cyclesPerSecond = median(rates);
  const characters = charactersPerCycle(setup);
  return { cyclesPerSecond, repeats: rates, ...(characters ? { charactersPerSecond: cyclesPerSecond * characters } : {}) };
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

/**
 * A Python yardstick (tools/numpy_rnn.py, numba_rnn.py, jax_rnn.py, numpy_mlp.py) at a fixed size,
 * for about `seconds`: the script is run as `SCRIPT TASK CYCLES 0 --fixed N ...extra` and prints a
 * JSON line with `cycles_per_second` last. One BLAS thread, as the benchmark of ours is one
 * thread. `{ skipped }` when the script exits with YARDSTICK_UNAVAILABLE, with its message.
 */
export function benchmarkYardstick(
  script: string,
  run: { readonly task: string; readonly hidden: number; readonly extra?: readonly string[] },
  seconds: number,
  python = 'python3',
): { cyclesPerSecond: number } | { skipped: string } {
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
    if (typeof rate !== 'number' || !Number.isFinite(rate)) throw new DiffstructError(`${script} printed no cycles_per_second on its last line: "${line}"`);
    return rate;
  };
  const estimate = timed(50);
  if (typeof estimate !== 'number') return estimate;
  const rate = timed(Math.max(50, Math.round(estimate * seconds)));
  return typeof rate === 'number' ? { cyclesPerSecond: rate } : rate;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
