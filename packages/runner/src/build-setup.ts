import { EventBus, PluginRegistries, RandomStreams, type ArmConfig, type GrowthPolicy, type TrainingSetup } from '@diffstruct/core';

/** The pieces of one (arm, seed), created by the registries from the arm's config. */
export function buildSetup(registries: PluginRegistries, arm: ArmConfig, seed: number, logEvery: number): TrainingSetup {
  const random = new RandomStreams(seed);
  const task = registries.task.get(arm.task.type).create(arm.task, { random: random.stream('data'), cycles: arm.cycles, tasks: registries.task });
  const model = registries.model.get(arm.model.type).create(arm.model, { task, random: random.stream('init') });
  const policies = new Map<string, GrowthPolicy>();
  for (const g of model.growables) policies.set(g.id, registries.policy.get(arm.policy.type).create(arm.policy, { unitInits: registries.unitInit }));
  const optimizer = registries.optimizer.get(arm.optimizer.type).create(arm.optimizer, {});
  return { model, task, policies, optimizer, random, events: new EventBus(), logEvery };
}
