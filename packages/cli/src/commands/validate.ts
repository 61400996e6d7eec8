import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadExperimentConfig } from '@diffstruct/core/host';
import { createContainer } from '@diffstruct/runner';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a config file: exit 0 if valid, else print FILE:LINE:COL: key: problem and exit 2')
    .argument('<config>', 'the YAML experiment config')
    .option('--print', 'print the resolved config, every default filled in')
    .action(async (file: string, options: { print?: boolean }) => {
      const config = await loadExperimentConfig(file, createContainer());
      if (options.print) {
        process.stdout.write(stringify(config));
        return;
      }
      const arms = config.arms.map((a) => a.name).join(', ');
      process.stdout.write(`${file}: valid: ${config.arms.length} arm(s) [${arms}] × ${config.seeds} seed(s), ${config.cycles} cycles\n`);
    });
}
