import type { Command } from 'commander';
import { stringify } from 'yaml';
import { plural } from '@diffstruct/core';
import { type ConfigSetting, loadExperiment } from '@diffstruct/core/host';
import { createContainer } from '@diffstruct/runner';
import { configSetting } from './arguments.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a config file: exit 0 if valid, else print FILE:LINE:COL: key: problem and exit 2')
    .argument('<config>', 'the YAML experiment config')
    .option('--print', 'print the resolved config, every default filled in')
    .option('--set <key=value>', 'set a config value as if written in the file, as run --set does (repeatable)', configSetting)
    .action(async (file: string, options: { print?: boolean; set?: ConfigSetting[] }) => {
      const { config } = await loadExperiment(file, createContainer(), {}, undefined, options.set);
      if (options.print) {
        process.stdout.write(stringify(config));
        return;
      }
      const arms = config.arms.map((a) => a.name).join(', ');
      const size = `${plural(config.arms.length, 'arm')} [${arms}] × ${plural(config.seeds, 'seed')}, ${plural(config.cycles, 'cycle')}`;
      process.stdout.write(`${file}: valid: ${size}\n`);
    });
}
