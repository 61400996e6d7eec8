import type { Model } from '../contracts/model.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import type { EventBus } from '../events/event-bus.js';
import type { RandomStreams } from '../random/random-streams.js';
import type { GrowthPolicies } from './growth-policies.js';
import type { HeldOutEvaluation } from './held-out-evaluation.js';

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
  /** Cycles the run trains in all (policies see it as `totalCycles`). */
  readonly cycles: number;
  /** With `eval:`: the validation split evaluated on logged rows every `every` cycles and at the last. */
  readonly heldOut?: { readonly evaluation: HeldOutEvaluation; readonly every: number };
}
