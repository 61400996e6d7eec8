import { availableParallelism, cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DiffstructError } from '@diffstruct/core';
import { benchmarkFixedSize, benchmarkGrown, benchmarkYardstick, RNN_KERNELS, type FixedSizeBenchmark, type GrownBenchmark } from '@diffstruct/runner';
import { nonNegativeInteger, positiveInteger } from './arguments.js';

interface BenchFlags {
  json?: boolean;
  hidden: number[];
  seconds: number;
  repeats: number;
  kernel: string[];
  grownCycles: number;
  yardstick?: string;
  python: string;
}

interface BenchRow extends FixedSizeBenchmark {
  yardstick?: { cyclesPerSecond: number; ratio: number };
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('single-thread cycles/s of fixed-size recurrent networks on the hard task, and the time of a grown run')
    .option('--json', 'print { results: [{ hidden, kernel, cyclesPerSecond, repeats, yardstick? }], grown, machine } on stdout')
    .addOption(new Option('--hidden <list>', 'hidden sizes, comma-separated').argParser(sizeList).default([6, 27, 50, 100], '6,27,50,100'))
    .option('--seconds <s>', 'measuring time per size and kernel, split over the repeats', positiveNumber, 3)
    .option('--repeats <n>', 'timings per size and kernel; the median is reported', positiveInteger('--repeats', 100), 5)
    .addOption(
      new Option('--kernel <list>', `kernels to compare, comma-separated (${RNN_KERNELS.join(', ')})`).argParser(kernelList).default(['simd-f64'], 'simd-f64'),
    )
    .option('--grown-cycles <n>', 'cycles of the grown run timed end to end (0: skip it)', nonNegativeInteger('--grown-cycles', 1e7), 30000)
    .option('--yardstick <script>', 'also time this numpy implementation (tools/numpy_rnn.py) at each size, side by side')
    .option('--python <command>', 'the Python that runs --yardstick', 'python3')
    .addHelpText(
      'after',
      '\nEach figure is the whole training cycle (example, forward, backward, Adagrad, policy) after a warm-up.\n' +
        'Run on a quiet machine: other work on the same cores lowers every figure.',
    )
    .action((flags: BenchFlags) => {
      if (flags.yardstick && !existsSync(flags.yardstick)) throw new DiffstructError(`--yardstick: no such file: ${flags.yardstick}`);
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const results: BenchRow[] = [];
      for (const hidden of flags.hidden) {
        let yardstick: number | undefined;
        if (flags.yardstick) {
          yardstick = benchmarkYardstick(flags.yardstick, hidden, flags.seconds, flags.python);
          say(`  N = ${hidden}: numpy yardstick ${yardstick.toFixed(0)} cycles/s`);
        }
        for (const kernel of flags.kernel) {
          const row: BenchRow = benchmarkFixedSize(hidden, kernel, flags.seconds, flags.repeats);
          if (yardstick !== undefined) row.yardstick = { cyclesPerSecond: yardstick, ratio: row.cyclesPerSecond / yardstick };
          results.push(row);
          say(`  N = ${hidden}: ${kernel} ${row.cyclesPerSecond.toFixed(0)} cycles/s`);
        }
      }
      let grown: GrownBenchmark | undefined;
      if (flags.grownCycles > 0) {
        grown = benchmarkGrown(flags.grownCycles, flags.kernel[0]);
        say(`  grown run: ${grown.cycles} cycles in ${grown.seconds.toFixed(2)} s, ${grown.units} units`);
      }
      const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version };
      if (flags.json) process.stdout.write(JSON.stringify({ results, ...(grown ? { grown } : {}), machine }, null, 2) + '\n');
      else process.stdout.write(benchTable(results, grown, machine, flags));
    });
}

function benchTable(
  results: readonly BenchRow[],
  grown: GrownBenchmark | undefined,
  machine: { cpu: string; cores: number; node: string },
  flags: BenchFlags,
): string {
  const withYardstick = results.some((r) => r.yardstick);
  const head = ['hidden', 'kernel', 'cycles/s', ...(withYardstick ? ['numpy cycles/s', '× numpy'] : [])];
  const rows = results.map((r) => [
    String(r.hidden),
    r.kernel,
    r.cyclesPerSecond.toFixed(0),
    ...(r.yardstick ? [r.yardstick.cyclesPerSecond.toFixed(0), r.yardstick.ratio.toFixed(1)] : withYardstick ? ['', ''] : []),
  ]);
  const lines = [
    `hard task, fixed size, one thread, median of ${flags.repeats} timings (${flags.seconds} s per row); ${machine.cpu}, node ${machine.node}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (grown)
    lines.push(
      '',
      `grown run (threshold policy from 1 unit, ${flags.kernel[0]}): ${grown.cycles} cycles in ${grown.seconds.toFixed(2)} s ` +
        `(${grown.cyclesPerSecond.toFixed(0)} cycles/s), ${grown.units} units at the end`,
    );
  return lines.join('\n') + '\n';
}

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((v) => Number(v.trim()));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 2000))
    throw new InvalidArgumentError(`--hidden: expected sizes from 1 to 2000 like 6,27,100, found "${value}"`);
  return sizes;
}

function kernelList(value: string): string[] {
  const kernels = value.split(',').map((v) => v.trim());
  const unknown = kernels.find((k) => !RNN_KERNELS.includes(k as never));
  if (unknown !== undefined) throw new InvalidArgumentError(`--kernel: expected ${RNN_KERNELS.join(', ')}, found "${unknown}"`);
  return kernels;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError(`--seconds: expected a number of seconds above 0 (at most 3600), found "${value}"`);
  return n;
}
