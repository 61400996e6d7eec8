// The host's API: what the runner and the CLI use to load configs and plugins, train, save and
// restore runs, and read run folders. Plugins need only `@diffstruct/core`.

export { MAX_SEED_BYTES, type PreparedTaskData, preparedKey } from './config/arm-data.js';
export { ConfigError } from './config/config-error.js';
export { ConfigLoader } from './config/config-loader.js';
export { type ConfigSetting, ConfigSource } from './config/config-source.js';
export { MAX_CYCLES, MAX_SEEDS } from './config/core-schema.js';
export { type ArmConfig, ConfigDefaults, type EvalSettings, type ExperimentConfig, type PluginRef } from './config/experiment-config.js';
export { loadExperiment, loadExperimentConfig } from './config/load-experiment-config.js';
export { familyOf, modelFamilies } from './contracts/model.js';
export { GrowthPolicies } from './engine/growth-policies.js';
export { captureRun, restoreRun } from './engine/run-snapshot.js';
export { DivergedError, TrainingLoop } from './engine/training-loop.js';
export { type HeldOutFigures, HeldOutEvaluation } from './engine/held-out-evaluation.js';
export type { TrainingSetup } from './engine/training-setup.js';
export { type CycleLogged, EventBus, type TaskSwitched, type UnitAdded, type UnitRemoved } from './events/event-bus.js';
export { coreModule } from './plugins/core-module.js';
export type { AnyContribution } from './plugins/contribution.js';
export { EXTENSION_POINTS } from './plugins/extension-points.js';
export { EXPECTED_PACKAGE_NAME, packageNameProblem } from './plugins/installed-package.js';
export { loadPluginPackages, PluginLoadError, type PluginLocations } from './plugins/plugin-loader.js';
export { PluginRegistries } from './plugins/plugin-registries.js';
export { taskKindOf, unacceptedTask } from './plugins/task-kinds.js';
export { RandomStreams } from './random/random-streams.js';
export {
  HELD_OUT_COLUMNS,
  metricsColumnKinds,
  type MetricsTable,
  metricsHeader,
  metricsRow,
  parseMetrics,
  parsePluginLocations,
  pluginLocationsJson,
  RUN_FILE_MAX_BYTES,
  RUN_FILES,
  RUN_LEVEL_FILES,
  SEED_FILES,
  SEED_FOLDER,
  readRunFile,
  readRunFileFrom,
  type ReadRunFile,
  type SeedResult,
  seedFolder,
  seedFolderName,
} from './run-folder/run-folder.js';
export { TEMPORARY, temporaryName, temporaryOf, writeFileAtomic } from './run-folder/atomic-write.js';
export {
  type ArmSettings,
  armSettings,
  armSettingsHash,
  armSettingsOfRunConfig,
  type SettingDifference,
  settingsDifferences,
  showSetting,
} from './config/arm-settings.js';
export {
  changedDataFiles,
  changedInputs,
  checkStartedPlugins,
  type DataFileHashes,
  parseRunInputs,
  type RecordedArm,
  recordRunInputs,
  type RunInputs,
  runInputsJson,
  runInputsOf,
} from './run-folder/run-inputs.js';
export {
  deletionProblem,
  FIGURE_FORMATS,
  RUN_FIGURES,
  RUN_FOLDER_FILES,
  runFolderFileClash,
  runFolderProblem,
  seedFolderDeletionProblem,
} from './run-folder/run-folder-layout.js';
export {
  type GrowableMultipliers,
  MULTIPLIER_DIGITS,
  type MultipliersRow,
  multipliersLine,
  parseMultipliersLine,
} from './run-folder/multipliers-log.js';
export { asWriteError, WriteError, writing } from './run-folder/write-error.js';
export { describeHolder, type LockHolder, liveHolder, WriterLocks } from './run-folder/writer-lock.js';
export { decodeState, encodeState } from './state/state-encoding.js';
