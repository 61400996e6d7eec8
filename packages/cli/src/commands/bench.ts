import { availableParallelism, cpus } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DiffstructError, TaskContribution } from '@diffstruct/core';
import { ConfigLoader, PluginRegistries } from '@diffstruct/core/host';
import { benchmarkGrown, fixedSizeTimer, type GrownBenchmark, UNIFORM_SYMBOLS_TASK, uniformSymbolsTaskContribution } from '@diffstruct/runner';
import { nonNegativeInteger, positiveInteger, positiveNumber } from './arguments.js';
import { containerWithPluginFlags, pluginFlag } from './plugin-flag.js';
import { BENCH_TASKS, type BenchPlan, type BenchRowPlan, type ModelSetting, modelSetting, planBench } from './bench-plan.js';
import { type RowTimings, startYardsticks, timeInRounds } from './bench-rounds.js';
import { resolveYardsticks, type Yardstick, yardstickList, yardstickPairs } from './yardsticks.js';

interface BenchFlags {
  json?: boolean;
  model: string;
  task?: string;
  hidden: number[];
  seconds: number;
  repeats: number;
  kernel?: string[];
  batch?: number[];
  vocab?: number;
  set: ModelSetting[];
  plugin?: string[];
  grownCycles: number;
  yardstick?: string[];
  python: string;
}

/** A row of the output: what was timed, and its timings (median over the rounds; ratios ours ÷ theirs). */
interface BenchRow extends RowTimings {
  model: string;
  task: string;
  hidden?: number;
  kernel?: string;
  batch?: number;
}

interface GrownRow extends GrownBenchmark {
  readonly model: string;
  readonly task: string;
  /** The first of --kernel (or the model's default), for a model with a kernel option. */
  readonly kernel?: string;
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('single-thread cycles/s of a model at fixed sizes (char-rnn on the hard task by default), and the time of a grown run')
    .option(
      '--json',
      'print { results: [{ model, task, hidden?, kernel?, batch?, cyclesPerSecond, rowsPerSecond?, charactersPerSecond?, repeats, yardsticks?, best? }], grown?, skipped?, settings: { task, set, seconds, repeats }, machine } on stdout',
    )
    .option('--model <type>', 'the model to time, any model type (see diffstruct plugins)', 'char-rnn')
    .option(
      '--task <task>',
      `the task: a type name or a YAML mapping with its options (default: by the kinds the model accepts, ${Object.entries(BENCH_TASKS)
        .map(([kind, type]) => `${type} for ${kind}`)
        .join(', ')})`,
    )
    .addOption(
      new Option(
        '--hidden <list>',
        'hidden sizes, comma-separated, for a model with a hidden option (N, or [N] for a list of layers); maxHidden is raised to fit',
      )
        .argParser(sizeList)
        .default([6, 27, 50, 100], '6,27,50,100'),
    )
    .addOption(
      new Option('--kernel <list>', "kernels to compare, comma-separated, for a model with a kernel option (default: the model's)").argParser(kernelList),
    )
    .addOption(new Option('--batch <list>', 'windows per cycle to compare, comma-separated, for a model with a batch option (char-rnn)').argParser(batchList))
    .option(
      '--vocab <V>',
      `time a sequence model on symbols drawn uniformly from V (the vocabulary of a text, ~80; task ${UNIFORM_SYMBOLS_TASK}) instead of --task`,
      positiveInteger('--vocab', 4096),
    )
    .addOption(
      new Option('--set <key=value>', 'set any other model option, the value in YAML (repeatable: --set unroll=20 --set initScale=0.1)')
        .argParser(modelSetting)
        .default([], 'none'),
    )
    .option('--plugin <package...>', "load these plugin packages first, for their models and tasks (as a config's plugins: list would)", pluginFlag)
    .option('--seconds <s>', 'measuring time per size and kernel (and per yardstick), split over the --repeats rounds', positiveNumber('--seconds', 3600), 3)
    .option(
      '--repeats <n>',
      'rounds per size: each kernel and yardstick timed once a round, in turn; the medians are reported',
      positiveInteger('--repeats', 100),
      5,
    )
    .option('--grown-cycles <n>', 'cycles of the grown run timed end to end (0: skip it)', nonNegativeInteger('--grown-cycles', 1e7), 30000)
    .addOption(
      new Option(
        '--yardstick <list>',
        `also time these Python implementations at each size and batch, comma-separated: numpy, numba, jax (tools/<name>_rnn.py; numpy only for feedforward, tools/numpy_mlp.py) or scripts' paths; ${yardstickPairs}; ${UNIFORM_SYMBOLS_TASK} is --vocab's. Each is timed in turn with the kernels, round by round (compiled before its clock starts); a column × NAME per yardstick (ours ÷ theirs) and, with two or more, × best (ours ÷ the fastest of them in each round), each the median of the rounds' ratios. One whose Python package is missing is skipped with a message`,
      ).argParser(yardstickList),
    )
    .option('--python <command>', 'the Python that runs --yardstick', 'python3')
    .addHelpText(
      'after',
      [
        '',
        'Each figure is the whole training cycle (example, forward, backward, optimizer, policy) of a fixed-size network',
        '(policy: none) after a warm-up. The kernels (and yardsticks) of a size are timed in --repeats rounds, in order, then',
        "in reverse, and so on (A B, B A, A B): each ratio is taken within a round, so that the machine's drift falls on both",
        'sides of it (an even --repeats gives both orders as many rounds). Each round starts every yardstick again, its',
        'compilation outside its clock.',
        'The grown run starts the same model from its default size under the threshold policy, with the first of --kernel',
        '(--hidden does not apply to it).',
        'The model options go through its options schema like a config: defaults filled in, a bad value refused, naming the flag.',
        'e.g. diffstruct bench --model feedforward --hidden 8,32 --set activation=relu',
        '     diffstruct bench --model residual --set blocks=4 --task "{ type: spirals, turns: 2 }"',
        '     diffstruct bench --plugin my-model --model my-model',
        'Run on a quiet machine: other work on the same cores lowers every figure.',
      ].join('\n'),
    )
    .action(async (flags: BenchFlags, command: Command) => {
      if (flags.vocab !== undefined && flags.task !== undefined) throw new DiffstructError('--vocab and --task: give one of them (--vocab V is a task)');
      const container = await containerWithPluginFlags(flags.plugin ?? []);
      if (flags.vocab !== undefined) container.bind(TaskContribution).toConstantValue(uniformSymbolsTaskContribution);
      const registries = container.get(PluginRegistries);
      const task = flags.vocab === undefined ? flags.task : `{ type: ${UNIFORM_SYMBOLS_TASK}, symbols: ${flags.vocab} }`;
      const plan = planBench(container.get(ConfigLoader), registries, {
        model: flags.model,
        ...(task === undefined ? {} : { task }),
        hidden: flags.hidden,
        hiddenGiven: command.getOptionValueSource('hidden') === 'cli',
        ...(flags.kernel ? { kernel: flags.kernel } : {}),
        ...(flags.batch ? { batch: flags.batch } : {}),
        set: flags.set,
      });
      const yardsticks: Yardstick[] = flags.yardstick ? resolveYardsticks(flags.yardstick, plan.model, plan.task) : [];
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const results: BenchRow[] = [];
      const skipped: Record<string, string> = {};
      const rounds = { seconds: flags.seconds, repeats: flags.repeats, python: flags.python, skipped, say };
      const warmUp = Math.min(0.5, flags.seconds / 4);
      for (const group of sizeGroups(plan.rows)) {
        const ours = group.map(({ kernel, arm }) => ({ name: kernel ?? plan.model, timer: fixedSizeTimer(registries, arm, warmUp) }));
        const size = group[0];
        const label = sizeLabel(size) || plan.model;
        const theirs = size.hidden === undefined ? [] : startYardsticks(yardsticks, size.hidden, size.arm, rounds, label);
        const timings = timeInRounds(ours, theirs, rounds, label);
        group.forEach(({ hidden, kernel, batch }, k) => {
          const row: BenchRow = {
            model: plan.model,
            task: plan.task,
            ...(hidden === undefined ? {} : { hidden }),
            ...(kernel === undefined ? {} : { kernel }),
            ...(batch === undefined ? {} : { batch }),
            ...timings[k],
          };
          results.push(row);
          const rows = row.rowsPerSecond === undefined ? '' : `, ${row.rowsPerSecond.toFixed(0)} rows/s`;
          say(`  ${[label, ...(kernel === undefined ? [] : [kernel])].join(', ')}: ${row.cyclesPerSecond.toFixed(0)} cycles/s${rows}${ratiosSaid(row)}`);
        });
      }
      let grown: GrownRow | undefined;
      if (flags.grownCycles > 0) {
        const kernel = plan.grown.model.kernel;
        grown = {
          model: plan.model,
          task: plan.task,
          ...(typeof kernel === 'string' ? { kernel } : {}),
          ...benchmarkGrown(registries, plan.grown, flags.grownCycles),
        };
        say(`  grown run: ${grown.cycles} cycles in ${grown.seconds.toFixed(2)} s, ${grown.units} units`);
      }
      const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version };
      const skips = Object.keys(skipped).length ? { skipped } : {};
      // What was timed beyond the rows' own fields: the task with its options, and --set, so that two files can be told apart.
      const settings = { task: plan.grown.task, set: flags.set.map((s) => s.written), seconds: flags.seconds, repeats: flags.repeats };
      if (flags.json) process.stdout.write(JSON.stringify({ results, ...(grown ? { grown } : {}), ...skips, settings, machine }, null, 2) + '\n');
      else process.stdout.write(benchTable(plan, results, grown, machine, flags, skipped));
    });
}

/** plan.rows in runs of one size and batch (a row per kernel), timed together round by round. */
function sizeGroups(rows: readonly BenchRowPlan[]): BenchRowPlan[][] {
  const groups: BenchRowPlan[][] = [];
  for (const row of rows) {
    const last = groups.at(-1)?.[0];
    if (last && last.hidden === row.hidden && last.batch === row.batch) groups[groups.length - 1].push(row);
    else groups.push([row]);
  }
  return groups;
}

const ratiosSaid = (row: BenchRow) =>
  Object.entries(row.yardsticks ?? {})
    .map(([name, y]) => `, × ${name} ${y.ratio.toFixed(2)}`)
    .join('') + (row.best && Object.keys(row.yardsticks ?? {}).length > 1 ? `, × best ${row.best.ratio.toFixed(2)}` : '');

/** "N = 27, B = 4": a row's size and batch, as far as the model has them. */
function sizeLabel({ hidden, batch }: { readonly hidden?: number; readonly batch?: number }): string {
  return [...(hidden === undefined ? [] : [`N = ${hidden}`]), ...(batch === undefined ? [] : [`B = ${batch}`])].join(', ');
}

function benchTable(
  plan: BenchPlan,
  results: readonly BenchRow[],
  grown: GrownRow | undefined,
  machine: { cpu: string; cores: number; node: string },
  flags: BenchFlags,
  skipped: Readonly<Record<string, string>>,
): string {
  const withHidden = results.some((r) => r.hidden !== undefined);
  const withKernel = results.some((r) => r.kernel !== undefined);
  const withBatch = results.some((r) => r.batch !== undefined);
  const withCharacters = results.some((r) => r.charactersPerSecond !== undefined);
  // Every yardstick timed, in the order given: a pair of columns each, and × best when there are several.
  const names = [...new Set(results.flatMap((r) => Object.keys(r.yardsticks ?? {})))];
  const withRows = results.some((r) => r.rowsPerSecond !== undefined);
  const head = [
    ...(withHidden ? ['hidden'] : []),
    ...(withBatch ? ['batch'] : []),
    ...(withKernel ? ['kernel'] : []),
    'cycles/s',
    ...(withRows ? ['rows/s'] : []),
    ...(withCharacters ? ['chars/s'] : []),
    ...names.flatMap((n) => [`${n} cycles/s`, `× ${n}`]),
    ...(names.length > 1 ? ['× best'] : []),
  ];
  const rows = results.map((r) => [
    ...(withHidden ? [String(r.hidden ?? '')] : []),
    ...(withBatch ? [String(r.batch ?? '')] : []),
    ...(withKernel ? [r.kernel ?? ''] : []),
    r.cyclesPerSecond.toFixed(0),
    ...(withRows ? [r.rowsPerSecond?.toFixed(0) ?? ''] : []),
    ...(withCharacters ? [r.charactersPerSecond?.toFixed(0) ?? ''] : []),
    ...names.flatMap((n) => {
      const y = r.yardsticks?.[n];
      return y ? [y.cyclesPerSecond.toFixed(0), y.ratio.toFixed(2)] : ['', ''];
    }),
    ...(names.length > 1 ? [r.best?.ratio.toFixed(2) ?? ''] : []),
  ]);
  const options = flags.set.length ? ` (${flags.set.map((s) => s.written).join(', ')})` : '';
  const lines = [
    `${plan.model}${options} on the ${plan.task} task, fixed size, one thread, median of ${flags.repeats} round${flags.repeats === 1 ? '' : 's'} (${flags.seconds} s per row); ` +
      `${machine.cpu}, node ${machine.node}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (grown) {
    const kernel = grown.kernel ? `, ${grown.kernel}` : '';
    lines.push(
      '',
      `grown run (threshold policy from the model's starting size${kernel}): ${grown.cycles} cycles in ${grown.seconds.toFixed(2)} s ` +
        `(${grown.cyclesPerSecond.toFixed(0)} cycles/s), ${grown.units} units at the end`,
    );
  }
  for (const [name, reason] of Object.entries(skipped)) lines.push('', `${name} yardstick skipped: ${reason}`);
  return lines.join('\n') + '\n';
}

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((v) => Number(v.trim()));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new InvalidArgumentError(`--hidden: expected whole sizes of 1 or more like 6,27,100, found "${value}"`);
  return sizes;
}

function batchList(value: string): number[] {
  const batches = value.split(',').map((v) => Number(v.trim()));
  if (batches.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new InvalidArgumentError(`--batch: expected whole numbers of windows of 1 or more like 1,4,16, found "${value}"`);
  return batches;
}

function kernelList(value: string): string[] {
  const kernels = value.split(',').map((v) => v.trim());
  if (kernels.some((k) => !k)) throw new InvalidArgumentError(`--kernel: expected kernel names, comma-separated, found "${value}"`);
  return kernels;
}
