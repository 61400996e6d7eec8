import { spawnSync } from 'node:child_process';
import { DiffstructError } from '@diffstruct/core';
import { type ArmConfig, ConfigLoader, ConfigSource, PluginRegistries, TrainingLoop, type TrainingSetup } from '@diffstruct/core/host';
import type { Container } from 'inversify';
import { buildSetup } from './build-setup.js';
export { RNN_KERNELS } from '@diffstruct/recurrent';
import { createContainer } from './container.js';

export interface FixedSizeBenchmark {
  readonly hidden: number;
  readonly kernel: string;
  /** Median over the repeats. */
  readonly cyclesPerSecond: number;
  readonly repeats: readonly number[];
}

export interface GrownBenchmark {
  readonly cycles: number;
  readonly seconds: number;
  readonly cyclesPerSecond: number;
  readonly units: number;
}

/** A training setup for one arm of the hard task, built from YAML like any experiment. */
function benchArm(container: Container, model: string, policy: string): ArmConfig {
  const text = `name: bench\nseeds: 1\ntask: hard\nmodel: ${model}\npolicy: ${policy}\n`;
  return container.get(ConfigLoader).resolve(ConfigSource.parse(text, '(bench)')).arms[0];
}

/** One container both resolves the bench config and builds its setup. */
function trainingSetup(model: string, policy: string): TrainingSetup {
  const container = createContainer();
  return buildSetup(container.get(PluginRegistries), benchArm(container, model, policy), 0, Number.MAX_SAFE_INTEGER);
}

/**
 * Cycles per second of a fixed-size network on the hard task, in this thread: the whole training
 * cycle (example, forward, backward, optimizer, policy), after a warm-up, median of `repeats`
 * timings of about `seconds / repeats` each.
 */
export function benchmarkFixedSize(hidden: number, kernel: string, seconds: number, repeats: number): FixedSizeBenchmark {
  const loop = new TrainingLoop(trainingSetup(`{ hidden: ${hidden}, maxHidden: ${Math.max(hidden, 100)}, kernel: ${kernel} }`, 'none'));
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
  return { hidden, kernel, cyclesPerSecond: median(rates), repeats: rates };
}

/** Wall time of one grown run (the paper's policy from one unit) on the hard task. */
export function benchmarkGrown(cycles: number, kernel: string): GrownBenchmark {
  const setup = trainingSetup(`{ kernel: ${kernel} }`, 'threshold');
  const loop = new TrainingLoop(setup);
  const started = performance.now();
  loop.run(cycles);
  const seconds = (performance.now() - started) / 1000;
  const units = setup.model.growables.reduce((sum, g) => sum + g.size, 0);
  return { cycles, seconds, cyclesPerSecond: cycles / seconds, units };
}

/** The numpy yardstick (tools/numpy_rnn.py) at a fixed size, for about `seconds`. */
export function benchmarkYardstick(script: string, hidden: number, seconds: number, python = 'python3'): number {
  const run = (cycles: number): number => {
    const result = spawnSync(python, [script, 'hard', String(cycles), '0', '--fixed', String(hidden)], { encoding: 'utf8' });
    if (result.status !== 0) throw new DiffstructError(`${python} ${script} failed: ${(result.stderr || result.error?.message || '').trim()}`);
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
  const estimate = run(50);
  return run(Math.max(50, Math.round(estimate * seconds)));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
