import type { Command } from 'commander';
import { stringify } from 'yaml';
import { plural } from '@diffstruct/core';
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
      const size = `${plural(config.arms.length, 'arm')} [${arms}] × ${plural(config.seeds, 'seed')}, ${plural(config.cycles, 'cycle')}`;
      process.stdout.write(`${file}: valid: ${size}\n`);
    });
}
