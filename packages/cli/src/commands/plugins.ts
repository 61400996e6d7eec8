import type { Command } from 'commander';
import { type AnyContribution, EXTENSION_POINTS, PluginRegistries } from '@diffstruct/core/host';
import { containerWithPluginFlags, pluginFlag } from './plugin-flag.js';

interface OptionRow {
  readonly name: string;
  readonly type: string;
  readonly default?: unknown;
  readonly description?: string;
  readonly required?: boolean;
}

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list every extension point, its plugin types and their options')
    .option('--json', 'print JSON instead of text')
    .option('--markdown', 'print Markdown tables (the reference in docs/configs.md)')
    .option('--plugin <package...>', "also load these plugin packages (as a config's plugins: list would)", pluginFlag)
    .action(async (options: { json?: boolean; markdown?: boolean; plugin?: string[] }) => {
      const registries = (await containerWithPluginFlags(options.plugin ?? [])).get(PluginRegistries);
      const points = EXTENSION_POINTS.map((point) => ({
        key: point.key,
        title: point.title,
        where: point.usedAs ?? `config key: ${point.key}`,
        types: registries[point.key].all().map(describeContribution),
      }));
      if (options.json) {
        process.stdout.write(JSON.stringify({ extensionPoints: points }, null, 2) + '\n');
        return;
      }
      if (options.markdown) {
        process.stdout.write(markdown(points));
        return;
      }
      const lines: string[] = [];
      for (const point of points) {
        lines.push(`${point.title} (${point.where})`);
        if (!point.types.length) lines.push('  (none installed)');
        for (const t of point.types) {
          const kinds = kindsNote(t);
          lines.push(`  ${t.type}${kinds ? ` (${kinds})` : ''}: ${t.description}`);
          for (const o of t.options) {
            const dflt = o.default === undefined ? (o.required ? ' (required)' : '') : ` = ${JSON.stringify(o.default)}`;
            lines.push(`      ${o.name}: ${o.type}${dflt}${o.description ? `  ${o.description}` : ''}`);
          }
        }
        lines.push('');
      }
      process.stdout.write(lines.join('\n'));
    });
}

function describeContribution(c: AnyContribution) {
  const required = new Set(c.optionsSchema.required ?? []);
  const options: OptionRow[] = Object.entries(c.optionsSchema.properties).map(([name, schema]) => ({
    name,
    type: schemaType(schema),
    default: schema.default,
    description: schema.description as string | undefined,
    required: required.has(name),
  }));
  const { accepts, kind } = c as { accepts?: readonly string[]; kind?: unknown };
  // A task whose kind follows from its options (a schedule's phases) has none to show.
  const declared = { ...(accepts ? { accepts } : {}), ...(typeof kind === 'string' ? { kind } : {}) };
  return { type: c.type, description: c.description, ...declared, options };
}

/** What a model reads, or what a task gives, in words: 'accepts sequence tasks', 'gives table examples'. */
function kindsNote({ accepts, kind }: { accepts?: readonly string[]; kind?: string }): string | undefined {
  if (accepts) return `accepts ${accepts.join(' or ')} tasks`;
  return kind === undefined ? undefined : `gives ${kind} examples`;
}

function schemaType(schema: Record<string, unknown>): string {
  if (typeof schema.$ref === 'string') return `a ${schema.$ref.replace('#/$defs/', '')} plugin: a type name or { type, ...options }`;
  if (schema.type === 'array') return 'list';
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  if (schema.enum) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  const low = schema.minimum ?? schema.exclusiveMinimum;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low === undefined && high === undefined) return type;
  const open = schema.exclusiveMinimum !== undefined ? '(' : '[';
  const close = schema.exclusiveMaximum !== undefined ? ')' : ']';
  return `${type} in ${open}${low ?? '-∞'}, ${high ?? '∞'}${close}`;
}

function markdown(points: { key: string; title: string; where: string; types: ReturnType<typeof describeContribution>[] }[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines: string[] = [];
  for (const point of points) {
    lines.push(`### ${point.title} (${point.where.replace(/^config key: (\w+)$/, '`$1:`')})`, '');
    for (const t of point.types) {
      const kinds = kindsNote(t);
      lines.push(`#### \`${t.type}\``, '', t.description, '', ...(kinds ? [`${kinds[0].toUpperCase()}${kinds.slice(1)}.`, ''] : []));
      if (!t.options.length) {
        lines.push('No options.', '');
        continue;
      }
      lines.push('| option | type | default | meaning |', '| --- | --- | --- | --- |');
      for (const o of t.options) {
        const dflt = o.default === undefined ? (o.required ? 'required' : '') : `\`${JSON.stringify(o.default)}\``;
        lines.push(`| \`${o.name}\` | ${cell(o.type)} | ${dflt} | ${cell(o.description ?? '')} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
