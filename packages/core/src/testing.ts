// For plugin and core tests: the gradient check and the conformance suites every growth policy,
// growable model and task runs in its own spec files (they use mocha's describe/it).

export { checkGradients, type GradientCheckOptions, type GradientCheckResult } from './testing/gradient-check.js';
export { policyContext } from './testing/conformance/simulated-training.js';
export { type GrowableModelFixture, growableModelConformance, type LayerConformanceOptions } from './testing/conformance/layer-conformance.js';
export { growthPolicyConformance } from './testing/conformance/policy-conformance.js';
export { taskConformance } from './testing/conformance/task-conformance.js';
