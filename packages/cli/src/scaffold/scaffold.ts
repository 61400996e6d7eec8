import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiffstructError } from '@diffstruct/core';

/** What `create-plugin` can make, and what each is called in prose. */
export const PLUGIN_KINDS = { policy: 'growth policy', task: 'task', model: 'growable model' } as const;
export type PluginKind = keyof typeof PLUGIN_KINDS;

/**
 * A scaffold's dev dependencies besides diffstruct's own packages: the versions this repository
 * builds and tests with (a test keeps them equal to the root package.json's).
 */
export const SCAFFOLD_DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@types/chai': '^5.2.3',
  '@types/mocha': '^10.0.10',
  '@types/node': '^20.19.43',
  chai: '^6.3.0',
  mocha: '^12.0.3',
  typescript: '^7.0.2',
};

/** The diffstruct install a scaffold is linked to: the folders of its CLI and core packages. */
export interface DiffstructInstall {
  readonly cliFolder: string;
  readonly coreFolder: string;
  /** @diffstruct/layers' folder: the kernels a model template builds on. */
  readonly layersFolder: string;
  /** @diffstruct/core's version, for the peer dependency. */
  readonly version: string;
  /** The inversify range core depends on: a plugin's module is an inversify ContainerModule. */
  readonly inversify: string;
}

/** The install this CLI runs from (this file is dist/scaffold/scaffold.js inside the CLI package). */
export function thisInstall(): DiffstructInstall {
  const require = createRequire(import.meta.url);
  const coreManifest = require.resolve('@diffstruct/core/package.json');
  const core = JSON.parse(readFileSync(coreManifest, 'utf8')) as { version: string; dependencies: Record<string, string> };
  return {
    cliFolder: dirname(fileURLToPath(new URL('../../package.json', import.meta.url))),
    coreFolder: dirname(coreManifest),
    layersFolder: dirname(require.resolve('@diffstruct/layers/package.json')),
    version: core.version,
    inversify: core.dependencies.inversify,
  };
}

/** A plugin's names, all derived from its package name. */
export interface PluginNames {
  /** The npm package name, e.g. `my-policy` or `@me/my-policy`. */
  readonly name: string;
  /** The type configs write, the unscoped name: `my-policy`. Also the config's and its folder's name. */
  readonly type: string;
  /** `MyPolicy`: the class; `MyPolicyOptions`, `MyPolicyContribution` follow. */
  readonly className: string;
  /** `MY_POLICY`: the options schema is `MY_POLICY_OPTIONS`. */
  readonly constant: string;
}

const UNSCOPED = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks a package name for create-plugin: also a config type, a safe folder name and a TypeScript identifier once cased. */
export function pluginNames(name: string): PluginNames {
  const match = /^(?:@([a-z0-9][a-z0-9-]*)\/)?(.*)$/.exec(name);
  const type = match?.[2] ?? '';
  if (!UNSCOPED.test(type) || type.length > 64) {
    throw new DiffstructError(
      `create-plugin: expected a package name of lowercase letters, digits and single hyphens, starting with a letter, at most 64 characters, ` +
        `optionally scoped (e.g. my-policy or @me/my-policy); found "${name}"`,
    );
  }
  const words = type.split('-');
  return {
    name,
    type,
    className: words.map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
    constant: words.join('_').toUpperCase(),
  };
}

export interface ScaffoldFile {
  /** Relative to the package folder, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Template files whose names npm would drop from a published package: stored without the dot. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore', npmrc: '.npmrc' };

/** Every file of a new plugin package of `kind`, linked to `install`. */
export function scaffoldFiles(kind: PluginKind, names: PluginNames, install: DiffstructInstall): ScaffoldFile[] {
  const templates = [...templateFiles(join(TEMPLATES, 'common')), ...templateFiles(join(TEMPLATES, kind))];
  refuseClashes(names, templates);
  const values: Record<string, string> = {
    __name__: names.name,
    __type__: names.type,
    __Class__: names.className,
    __CONSTANT__: names.constant,
    __kind__: kind,
    __what__: PLUGIN_KINDS[kind],
    __cliSpec__: `file:${install.cliFolder}`,
    __coreSpec__: `file:${install.coreFolder}`,
    __version__: install.version,
  };
  const substitute = (text: string) => text.replace(/__(name|type|Class|CONSTANT|kind|what|cliSpec|coreSpec|version)__/g, (key) => values[key]);
  const files = templates.map(({ path, text }) => ({
    path: path === 'configs/config.yaml' ? `configs/${names.type}.yaml` : (RENAMED[path] ?? path),
    text: substitute(text),
  }));
  return [{ path: 'package.json', text: JSON.stringify(packageJson(kind, names, install), null, 2) + '\n' }, ...files];
}

function templateFiles(folder: string, root = folder): ScaffoldFile[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = join(folder, entry.name);
    if (entry.isDirectory()) return templateFiles(file, root);
    return [{ path: relative(root, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }];
  });
}

/** A class named like something the templates already use (e.g. `growth-policy` → `GrowthPolicy`) would not compile. */
function refuseClashes(names: PluginNames, templates: readonly ScaffoldFile[]): void {
  const code = templates.filter((t) => t.path.endsWith('.ts')).map((t) => t.text);
  for (const identifier of [names.className, `${names.className}Options`, `${names.className}Contribution`, `${names.constant}_OPTIONS`]) {
    if (code.some((text) => new RegExp(`\\b${identifier}\\b`).test(text))) {
      throw new DiffstructError(
        `create-plugin: the name "${names.name}" makes the identifier ${identifier}, which the template's code already uses (an import); choose another name`,
      );
    }
  }
}

function packageJson(kind: PluginKind, names: PluginNames, install: DiffstructInstall): object {
  return {
    name: names.name,
    version: '0.1.0',
    description: `A diffstruct ${PLUGIN_KINDS[kind]}: ${names.type}`,
    keywords: ['diffstruct-plugin'],
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist', '!dist/**/*.spec.*'],
    engines: { node: '>=20' },
    scripts: { build: 'tsc', prepare: 'tsc', test: "tsc && mocha 'dist/**/*.spec.js'" },
    peerDependencies: { '@diffstruct/core': `^${install.version}` },
    // A model builds on layers' kernels: a plain dependency (it binds nothing, so a plugin may bring its own copy).
    dependencies: { ...(kind === 'model' ? { '@diffstruct/layers': `file:${install.layersFolder}` } : {}), inversify: install.inversify },
    devDependencies: {
      '@diffstruct/cli': `file:${install.cliFolder}`,
      '@diffstruct/core': `file:${install.coreFolder}`,
      ...SCAFFOLD_DEV_DEPENDENCIES,
    },
  };
}
