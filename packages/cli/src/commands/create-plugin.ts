import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DiffstructError } from '@diffstruct/core';
import { PluginRegistries } from '@diffstruct/core/host';
import { createContainer } from '@diffstruct/runner';
import { PLUGIN_KINDS, type PluginKind, pluginNames, scaffoldFiles, thisInstall } from '../scaffold/scaffold.js';

export function registerCreatePlugin(program: Command): void {
  program
    .command('create-plugin')
    .description('write a standalone plugin package (a growth policy, a task or a model) that builds, tests and runs as written')
    .argument('<kind>', `what the plugin adds: ${Object.keys(PLUGIN_KINDS).join(', ')}`, pluginKind)
    .argument('<name>', 'its npm package name, e.g. my-policy or @me/my-policy; the name without its scope is the type configs use')
    .option('--dir <folder>', 'where to write it (default: ./<name without its scope>); must not exist or be empty')
    .addHelpText(
      'after',
      [
        '',
        'The package holds package.json, tsconfig.json, src/ (the plugin, its contribution and ContainerModule, a spec that',
        "runs @diffstruct/core/testing's conformance suite), configs/<type>.yaml that runs it, and a README with the commands.",
        'Nothing of diffstruct is published yet: its dev dependencies link the diffstruct install that ran create-plugin',
        '(file: specs), which gives it @diffstruct/core and the diffstruct command; the README says how to switch to',
        'published versions. Then:',
        '',
        '  cd <folder> && npm install && npm test && npx diffstruct run configs/<type>.yaml',
      ].join('\n'),
    )
    .action((kind: PluginKind, name: string, flags: { dir?: string }) => {
      const names = pluginNames(name);
      // A type a built-in plugin has would be refused when a config loads the package.
      if (createContainer().get(PluginRegistries)[kind].has(names.type)) {
        throw new DiffstructError(
          `create-plugin: "${names.type}" is the type of a built-in ${PLUGIN_KINDS[kind]}; a config that loads your package could not tell them apart: choose another name`,
        );
      }
      const folder = resolve(flags.dir ?? names.type);
      if (existsSync(folder) && readdirSync(folder).length > 0) {
        throw new DiffstructError(`${folder} exists and is not empty; choose another --dir (create-plugin never overwrites files)`);
      }
      const install = thisInstall();
      const files = scaffoldFiles(kind, names, install);
      for (const file of files) {
        const path = join(folder, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.text);
      }
      const shown = relative(process.cwd(), folder) || '.';
      process.stdout.write(
        [
          `Created ${folder}: a ${PLUGIN_KINDS[kind]} plugin, type "${names.type}", linked to the diffstruct install of ${install.cliFolder}.`,
          ...files.map((f) => `  ${f.path}`),
          'Next:',
          `  cd ${shown}`,
          '  npm install',
          '  npm test',
          `  npx diffstruct run configs/${names.type}.yaml`,
          '',
        ].join('\n'),
      );
    });
}

function pluginKind(value: string): PluginKind {
  if (!Object.hasOwn(PLUGIN_KINDS, value)) throw new InvalidArgumentError(`expected one of ${Object.keys(PLUGIN_KINDS).join(', ')}, found "${value}"`);
  return value as PluginKind;
}
