import type { AnyContribution } from '../plugins/contribution.js';
import { type PluginKey, SLOT_KEYS, type SlotKey } from '../plugins/extension-points.js';
import type { PluginRegistries } from '../plugins/plugin-registries.js';
import { taskKindOf, unacceptedTask } from '../plugins/task-kinds.js';
import type { ConfigPath } from './config-source.js';
import type { PluginRef } from './experiment-config.js';
import { renderOptionProblem } from './option-problem.js';
import { forEachAt, isPlain } from './plain-data.js';

/** An arm's plugin slots after merging, before the arm's name and cycles are added. */
export type ResolvedArm = Record<SlotKey, PluginRef | undefined> & { policies: Record<string, PluginRef> };

/** A rule across options that an arm breaks. */
export interface CrossFieldProblem {
  readonly message: string;
  /** Every option involved, as paths of the resolved arm, the first the one to change. */
  readonly fields: readonly ConfigPath[];
  /** The plugin's options (or `policies` entry) the rule is about: where to point when no field was written. */
  readonly options: ConfigPath;
}

/**
 * Every rule across options that `arm` breaks: that the model accepts the task's kind, each
 * plugin's `check` (nested plugins' too) and that `policies` names families the model has. A slot
 * is checked only when `isValid(its path)`: `check` may rely on the schema its options passed.
 */
export function crossFieldProblems(registries: PluginRegistries, arm: ResolvedArm, isValid: (slot: ConfigPath) => boolean): CrossFieldProblem[] {
  const slots: [SlotKey, ConfigPath, PluginRef | undefined][] = SLOT_KEYS.map((key) => [key, [key], arm[key]]);
  for (const [family, policy] of Object.entries(arm.policies)) slots.push(['policy', ['policies', family], policy]);
  const problems: CrossFieldProblem[] = [];
  for (const [point, path, options] of slots) {
    if (!options || !isValid(path)) continue;
    for (const plugin of pluginsIn(registries, point, options, path)) {
      for (const problem of plugin.contribution.check?.(plugin.options as never) ?? []) {
        problems.push({ ...renderOptionProblem(problem, plugin.path, plugin.options), options: plugin.path });
      }
    }
  }
  return [...unacceptedTaskKind(registries, arm, isValid), ...unknownFamilies(registries, arm, isValid), ...problems];
}

/**
 * A task of a kind the model does not read: the arm's task and every task nested in it (a
 * schedule's phases: the model reads each phase's examples, not only the first's). Reported at
 * the model's type, or at that task's type when the arm wrote it in a more specific place.
 */
function unacceptedTaskKind(registries: PluginRegistries, arm: ResolvedArm, isValid: (slot: ConfigPath) => boolean): CrossFieldProblem[] {
  const { model, task } = arm;
  if (!model || !task || !isValid(['model', 'type']) || !isValid(['task', 'type'])) return [];
  // A kind computed from options (a schedule's phases) needs them valid; a declared value needs only the type.
  if (typeof registries.task.get(task.type).kind === 'function' && !isValid(['task'])) return [];
  for (const { options, path } of pluginsIn(registries, 'task', task, ['task'])) {
    const message = unacceptedTask(registries.model, model.type, options.type, taskKindOf(registries.task, options));
    if (message)
      return [
        {
          message,
          fields: [
            ['model', 'type'],
            [...path, 'type'],
          ],
          options: ['model'],
        },
      ];
  }
  return [];
}

/** `policies:` keys the arm's model has no growable family for. */
function unknownFamilies(registries: PluginRegistries, arm: ResolvedArm, isValid: (slot: ConfigPath) => boolean): CrossFieldProblem[] {
  if (!arm.model || !isValid(['model'])) return [];
  const families = registries.model.get(arm.model.type).families?.(arm.model);
  if (!families) return [];
  return Object.keys(arm.policies)
    .filter((family) => !families.includes(family))
    .map((family) => ({
      message: `expected a growable family of the ${arm.model!.type} model (${families.join(', ')}), found "${family}"`,
      fields: [['policies', family]],
      options: ['policies', family],
    }));
}

/** The plugin at `path` and every plugin nested in its options (a schedule's phase tasks, a policy's `init`), with their paths. */
export function* pluginsIn(
  registries: PluginRegistries,
  point: PluginKey,
  options: PluginRef,
  path: ConfigPath,
): Generator<{ contribution: AnyContribution; options: PluginRef; path: ConfigPath }> {
  const contribution = registries[point].get(options.type) as AnyContribution;
  yield { contribution, options, path };
  for (const nested of contribution.nestedSlots ?? []) {
    const found: [PluginRef, ConfigPath][] = [];
    forEachAt(options, nested.path, (holder, key, at) => {
      if (isPlain(holder[key])) found.push([holder[key] as PluginRef, [...path, ...at]]);
    });
    for (const [inner, at] of found) yield* pluginsIn(registries, nested.point, inner, at);
  }
}
