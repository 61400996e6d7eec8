import { DiffstructError } from '@diffstruct/core';
import {
  type ArmConfig,
  type EvalSettings,
  EventBus,
  familyOf,
  GrowthPolicies,
  HeldOutEvaluation,
  modelFamilies,
  type PluginRegistries,
  preparedKey,
  type PreparedTaskData,
  RandomStreams,
  type TrainingSetup,
  unacceptedTask,
} from '@diffstruct/core/host';

/**
 * The pieces of one (arm, seed), created by the registries from the arm's config; file names in
 * options resolve from `configDir` (the config file's folder). With `evaluation` (the config's
 * `eval:`), a task without a validation split or a model that cannot evaluate is refused here.
 */
export function buildSetup(
  registries: PluginRegistries,
  arm: ArmConfig,
  seed: number,
  logEvery: number,
  configDir?: string,
  taskData?: PreparedTaskData,
  evaluation?: EvalSettings,
): TrainingSetup {
  const random = new RandomStreams(seed);
  const taskContext = {
    random: random.stream('data'),
    cycles: arm.cycles,
    tasks: registries.task,
    ...(configDir === undefined ? {} : { configDir }),
    ...(taskData ? { prepared: preparedLookup(taskData) } : {}),
  };
  const task = registries.task.get(arm.task.type).create(arm.task, taskContext);
  // The config loader checked the kind the task declares; this is the kind the created task gives.
  const unaccepted = unacceptedTask(registries.model, arm.model.type, task.type, task.shape.kind);
  if (unaccepted) throw new DiffstructError(`model: ${unaccepted}`);
  const model = registries.model.get(arm.model.type).create(arm.model, { task, random: random.stream('init') });
  const families = modelFamilies(model);
  const unknown = Object.keys(arm.policies).filter((key) => !families.includes(key));
  if (unknown.length) {
    throw new DiffstructError(
      `policies.${unknown[0]}: the ${model.type} model has no growable family "${unknown[0]}"; its families: ${families.join(', ') || 'none'}`,
    );
  }
  const policies = new GrowthPolicies((g) => {
    const ref = arm.policies[familyOf(g)] ?? arm.policy;
    return registries.policy.get(ref.type).create(ref, { unitInits: registries.unitInit });
  });
  const optimizer = registries.optimizer.get(arm.optimizer.type).create(arm.optimizer, {});
  const heldOut = evaluation && { evaluation: new HeldOutEvaluation(task, model, evaluation.examples), every: evaluation.every };
  return { model, task, policies, optimizer, random, events: new EventBus(), logEvery, cycles: arm.cycles, ...(heldOut ? { heldOut } : {}) };
}

/**
 * What the host prepared for a task's options. A key the host did not prepare is a bug (its options
 * differ from those the config loader saw): failing here keeps a seed from silently reading the
 * data for itself, unshared and unchecked.
 */
function preparedLookup(taskData: PreparedTaskData): (options: Readonly<Record<string, unknown>>) => unknown {
  return (options) => {
    const key = preparedKey(options);
    if (!Object.hasOwn(taskData, key)) throw new Error(`no data prepared for the task options ${key}`);
    return taskData[key];
  };
}
