// The plugin author's API: the contracts a plugin implements, the pieces growable models are
// built from, and the types of contributions. The runner and CLI use `@diffstruct/core/host`;
// tests use `@diffstruct/core/testing`.

export { type ArrayAllocator, GrowableMatrix, PLAIN_ARRAYS } from './arrays/growable-matrix.js';
export { Parameter } from './arrays/parameter.js';
export type { PluginRef } from './config/experiment-config.js';
export type { AddedUnit, Growable, GrowableView, RemovedUnit, UnitInit, UnitWeights } from './contracts/growable.js';
export { type GrowthDecision, type GrowthPolicy, NO_CHANGE, type PolicyContext, type Regularization, type UnitAddition } from './contracts/growth-policy.js';
export type { Layer } from './contracts/layer.js';
export type { EvaluationTally, Model, SequenceSampler } from './contracts/model.js';
export type { Optimizer } from './contracts/optimizer.js';
export type { Stateful, StateValue } from './contracts/stateful.js';
export {
  createTableExample,
  type ExampleRequest,
  HELD_OUT_SPLITS,
  type HeldOutSplit,
  heldOutRequest,
  type RowEncoder,
  type SequenceExample,
  TASK_KINDS,
  type TableExample,
  type Task,
  type TaskKind,
  type TaskShape,
} from './contracts/task.js';
export type { UnitInitializer } from './contracts/unit-initializer.js';
export { DiffstructError } from './errors.js';
export { FileReadError, formatBytes, readFileCapped } from './read-capped.js';
export { DataFileReader, type ReadDataFile, type ReadDataFileOptions } from './config/data-file-reader.js';
export { REGULARIZATION_OPTIONS } from './growth/regularization-options.js';
export { UnitLedger } from './growth/unit-ledger.js';
export { type UnitAxis, UnitPopulation } from './growth/unit-population.js';
export {
  type Contribution,
  type ModelContext,
  ModelContribution,
  type NestedSlot,
  OptimizerContribution,
  type OptionProblem,
  type PolicyCreateContext,
  PolicyContribution,
  type TaskContext,
  TaskContribution,
  type TaskPrepareContext,
  UnitInitContribution,
} from './plugins/contribution.js';
export { ContributionRegistry } from './plugins/contribution-registry.js';
export { defaultsOf, type OptionsOf, type OptionsSchema, optionsSchema } from './plugins/options-schema.js';
export { plural } from './plural.js';
export { type Random, RandomStream } from './random/random-stream.js';
export { field, isList, isNumber, isRecord } from './state/state-encoding.js';
