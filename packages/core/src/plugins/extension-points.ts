import { describeValue } from '../config/config-error.js';
import { TASK_KINDS } from '../contracts/task.js';
import {
  type AnyContribution,
  type ContributionToken,
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
  UnitInitContribution,
} from './contribution.js';

/** A place plugins extend; `key` names it in configs and in `$ref: '#/$defs/<key>'`. */
export interface ExtensionPoint {
  readonly key: PluginKey;
  readonly title: string;
  readonly token: ContributionToken<unknown>;
  /** Whether `key` is a top-level config key (else it appears only inside other plugins' options). */
  readonly slot: boolean;
  /** Where a nested point is written in configs. */
  readonly usedAs?: string;
  /**
   * What a contribution to this point lacks that the config loader relies on (a field a plugin
   * written against an older core, or in plain JavaScript, may not have), as "binds a model ...
   * that ...", or undefined; the plugin loader refuses such a plugin, naming its package.
   */
  readonly lacks?: (contribution: Readonly<Record<string, unknown>>) => string | undefined;
}

const isTaskKind = (value: unknown) => TASK_KINDS.includes(value as never);
const KINDS = TASK_KINDS.map((k) => `'${k}'`).join(', ');

/**
 * Every extension point, in the order `diffstruct plugins` lists them. The registries, the core
 * module's bindings, the config's plugin slots and the composed schema all follow this table: a
 * new point is its contribution type and token (contribution.ts) and one entry here.
 */
const POINTS = [
  {
    key: 'task',
    title: 'tasks',
    token: TaskContribution,
    slot: true,
    lacks: ({ type, kind }) =>
      isTaskKind(kind) || typeof kind === 'function'
        ? undefined
        : `binds a task "${String(type)}" that declares no kind (expected kind: one of ${KINDS}, or a function of its options; found ${describeValue(kind)})`,
  },
  {
    key: 'model',
    title: 'models',
    token: ModelContribution,
    slot: true,
    lacks: ({ type, accepts }) =>
      Array.isArray(accepts) && accepts.length > 0 && accepts.every(isTaskKind)
        ? undefined
        : `binds a model "${String(type)}" that declares no task kinds it accepts (expected accepts: a list of ${KINDS}, e.g. accepts: ['table']; found ${Array.isArray(accepts) ? JSON.stringify(accepts) : describeValue(accepts)})`,
  },
  { key: 'policy', title: 'growth policies', token: PolicyContribution, slot: true },
  { key: 'optimizer', title: 'optimizers', token: OptimizerContribution, slot: true },
  {
    key: 'unitInit',
    title: 'unit initialisations',
    token: UnitInitContribution,
    slot: false,
    usedAs: 'written as the init option of reserve policies: threshold, age-biased, ...',
  },
] as const satisfies readonly (Omit<ExtensionPoint, 'key'> & { readonly key: string })[];

export const EXTENSION_POINTS: readonly ExtensionPoint[] = Object.freeze(POINTS);

type Point = (typeof POINTS)[number];
/** Every extension point's key. */
export type PluginKey = Point['key'];
/** The config keys that select a plugin at the top level and in each arm. */
export type SlotKey = Extract<Point, { slot: true }>['key'];
/** What plugins contribute to the point `K`. */
export type ContributionOf<K extends PluginKey> = Extract<Point, { key: K }>['token'] extends ContributionToken<infer C extends AnyContribution> ? C : never;

/** The plugin slots of a config, in table order. */
export const SLOT_KEYS: readonly SlotKey[] = Object.freeze(POINTS.filter((p): p is Extract<Point, { slot: true }> => p.slot).map((p) => p.key));
