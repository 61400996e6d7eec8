import type { EventBus } from '../events/event-bus.js';
import type { RandomStreams } from '../random/random-streams.js';
import type { GrowthPolicies } from '../engine/growth-policies.js';
import type { Model } from './model.js';
import type { Optimizer } from './optimizer.js';
import type { Task } from './task.js';

/** Everything one (arm, seed) trains with. */
export interface TrainingSetup {
  readonly model: Model;
  readonly task: Task;
  /** One policy instance per growable, created when the growable first needs one. */
  readonly policies: GrowthPolicies;
  readonly optimizer: Optimizer;
  readonly random: RandomStreams;
  readonly events: EventBus;
  readonly logEvery: number;
}

/**
 * One loop for every model and policy: example → forward/backward → L1 → clip and update →
 * multiplier floor → policy decision → apply → events → log.
 */
export interface Trainer {
  readonly cycle: number;
  readonly smoothLoss: number;
  /** Trains until `cycle` reaches `untilCycle`, or until `shouldStop` (checked between cycles) is true. */
  run(untilCycle: number, shouldStop?: () => boolean): void;
}
export const Trainer = Symbol('Trainer');
