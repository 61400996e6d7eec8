import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MAX_SEEDS, writeFileAtomic } from '@diffstruct/core/host';
import { exportNetwork, openTrainedSeed, predictRows, sampleText } from '@diffstruct/runner';
import { EXIT, INTERNAL_ERROR_HELP } from '../exit-codes.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from './arguments.js';

interface SeedFlags {
  arm?: string;
  seed?: number;
  out?: string;
}

const EXIT_HELP = `Exit codes: ${EXIT.done} done; ${EXIT.badInput} bad input (not a run folder, no such arm or seed, a seed that did not finish, a bad file or flag); ${INTERNAL_ERROR_HELP}`;
const CHOICE_HELP =
  'The network is a finished seed’s final one (<seed folder>/final.json): --arm may be left out when the run has one arm; --seed defaults to the first finished seed.';

/** The --arm and --seed every command on a trained network takes. */
function withSeedChoice(command: Command): Command {
  return command
    .argument('<run>', 'a run folder (what diffstruct run wrote)')
    .option('--arm <name>', 'the arm (default: the only one)')
    .option('--seed <s>', 'the seed (default: the first finished one)', nonNegativeInteger('--seed', MAX_SEEDS));
}

/** `text` on stdout, or written whole to `out` (said on stderr). */
function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileAtomic(resolve(out), text);
  process.stderr.write(`written: ${resolve(out)}\n`);
}

export function registerSample(program: Command): void {
  withSeedChoice(program.command('sample').description("print text drawn from a sequence model's final network, symbol by symbol"))
    .option('--length <n>', 'symbols to draw', positiveInteger('--length', 10_000_000), 200)
    .option('--temperature <t>', 'below 1 picks likelier symbols, above 1 rarer ones', positiveNumber('--temperature'), 1)
    .option('--prime <text>', 'text fed to the network first and printed before what is drawn (in the vocabulary)')
    .option('--random-seed <r>', 'seeds the draws: the same seed prints the same text', nonNegativeInteger('--random-seed', 0xffffffff), 1)
    .addHelpText(
      'after',
      [
        '',
        'Example: diffstruct sample runs/hard --arm grown --length 300 --temperature 0.8 --prime "(ab"',
        CHOICE_HELP,
        'Without --prime the first symbol is drawn uniformly from the vocabulary; text outside the vocabulary is refused.',
        EXIT_HELP,
      ].join('\n'),
    )
    .action(async (run: string, flags: SeedFlags & { length: number; temperature: number; prime?: string; randomSeed: number }) => {
      const trained = await openTrainedSeed(run, flags);
      const text = sampleText(trained, { length: flags.length, temperature: flags.temperature, randomSeed: flags.randomSeed, prime: flags.prime });
      process.stdout.write(`${text}\n`);
    });
}

export function registerPredict(program: Command): void {
  withSeedChoice(program.command('predict').description("one prediction per row of a CSV file from a table model's final network, as CSV"))
    .argument('<file>', 'a CSV file of rows: the training columns (by name when training had a header; the label may be there and is ignored)')
    .option('--out <file>', 'write the predictions there (default: stdout)')
    .addHelpText(
      'after',
      [
        '',
        'Example: diffstruct predict runs/iris new-flowers.csv --out predictions.csv',
        'Columns: line (of the row in FILE), then class and p(<class>) for each class, or value for a numeric target.',
        'Rows are encoded as the task encoded its training rows (csv: standardised with the training table’s means and deviations).',
        CHOICE_HELP,
        EXIT_HELP,
      ].join('\n'),
    )
    .action(async (run: string, file: string, flags: SeedFlags) => {
      const trained = await openTrainedSeed(run, flags);
      emit(predictRows(trained, resolve(file)), flags.out);
    });
}

export function registerExport(program: Command): void {
  withSeedChoice(program.command('export').description('write a final network as JSON: structure, unit ids, multipliers, weights'))
    .option('--out <file>', 'write the JSON there (default: stdout)')
    .addHelpText(
      'after',
      [
        '',
        'Example: diffstruct export runs/hard --arm grown --seed 2 --out net.json',
        'The format, and a numpy script that loads it: docs/using-a-trained-network.md.',
        CHOICE_HELP,
        EXIT_HELP,
      ].join('\n'),
    )
    .action(async (run: string, flags: SeedFlags) => {
      const trained = await openTrainedSeed(run, flags);
      emit(`${JSON.stringify(exportNetwork(trained))}\n`, flags.out);
    });
}
