import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { DiffstructError } from '@diffstruct/core';
import type { ArmConfig } from '@diffstruct/core/host';
import { UNIFORM_SYMBOLS_TASK } from '@diffstruct/runner';

/**
 * The model and task pairs the Python yardsticks implement: `tasks` maps our task type to the
 * scripts' name for it; `scripts` names each yardstick's file in the repository's tools/; `extra`
 * are the scripts' flags for a row's arm, so they time the same step.
 */
const YARDSTICKS: readonly {
  model: string;
  tasks: Readonly<Record<string, string>>;
  scripts: Readonly<Record<string, string>>;
  extra: (arm: ArmConfig) => string[];
}[] = [
  {
    model: 'char-rnn',
    tasks: { hard: 'hard', [UNIFORM_SYMBOLS_TASK]: 'uniform' },
    scripts: { numpy: 'numpy_rnn.py', numba: 'numba_rnn.py', jax: 'jax_rnn.py' },
    // The same vocabulary, windows a cycle and steps a window.
    extra: ({ model, task }) => [
      ...(task.type === UNIFORM_SYMBOLS_TASK ? ['--vocab', String(task.symbols)] : []),
      ...(model.batch === undefined ? [] : ['--batch', String(model.batch)]),
      ...(model.unroll === 40 ? [] : ['--unroll', String(model.unroll)]),
    ],
  },
  {
    model: 'feedforward',
    tasks: { mnist: 'mnist' },
    scripts: { numpy: 'numpy_mlp.py' },
    extra: ({ model }) => ['--batch', String(model.batchSize), '--activation', String(model.activation)],
  },
];

export const yardstickPairs = YARDSTICKS.map((y) => `${y.model} on ${Object.keys(y.tasks).join(' or ')}`).join(', ');

/** The repository's tools/ folder, from this file in packages/cli/dist/commands/. */
const TOOLS = fileURLToPath(new URL('../../../../tools/', import.meta.url));

/** One yardstick to run: its name in the output, its script, and what to hand it for a row. */
export interface Yardstick {
  readonly name: string;
  readonly script: string;
  readonly task: string;
  readonly extra: (arm: ArmConfig) => string[];
}

/** A --yardstick item names a yardstick of tools/ unless it looks like a file. */
const isPath = (item: string) => item.includes('/') || item.includes('\\') || extname(item) !== '';

/**
 * The yardsticks `--yardstick` lists (names of tools/ scripts, or scripts' paths) for `model` on
 * `task`: refused, before anything is timed, for a pair no yardstick implements, a name without
 * a script for the pair, or a path that does not exist.
 */
export function resolveYardsticks(list: readonly string[], model: string, task: string): Yardstick[] {
  const pair = YARDSTICKS.find((y) => y.model === model && Object.hasOwn(y.tasks, task));
  if (!pair) throw new DiffstructError(`--yardstick: the Python yardsticks implement ${yardstickPairs}, not ${model} on ${task}`);
  const names = Object.keys(pair.scripts);
  const yardsticks = list.map((item): Yardstick => {
    if (isPath(item)) {
      if (!existsSync(item)) throw new DiffstructError(`--yardstick: no such file: ${item}`);
      return { name: basename(item, extname(item)), script: item, task: pair.tasks[task], extra: pair.extra };
    }
    const file = Object.hasOwn(pair.scripts, item) ? pair.scripts[item] : undefined;
    if (!file) throw new DiffstructError(`--yardstick ${item}: the yardsticks for ${model} on ${task} are ${names.join(', ')} (or a script's path)`);
    const script = `${TOOLS}${file}`;
    if (!existsSync(script))
      throw new DiffstructError(
        `--yardstick ${item}: no ${file} in ${TOOLS} (the named yardsticks are the repository's tools/ scripts): give the script's path`,
      );
    return { name: item, script, task: pair.tasks[task], extra: pair.extra };
  });
  const twice = yardsticks.find((y, i) => yardsticks.findIndex((z) => z.name === y.name) !== i);
  if (twice) throw new DiffstructError(`--yardstick: two yardsticks named ${twice.name} (a script's name is its file's, without extension)`);
  return yardsticks;
}

export function yardstickList(value: string): string[] {
  const items = value.split(',').map((v) => v.trim());
  if (items.some((i) => !i))
    throw new InvalidArgumentError(`--yardstick: expected names (numpy, numba, jax) or scripts' paths, comma-separated, found "${value}"`);
  return items;
}
