// For plugin and core tests: the gradient check and the conformance suites every growth policy
// and growable model runs in its own spec files (they use mocha's describe/it).

export { checkGradients, type GradientCheckResult } from './testing/gradient-check.js';
export { type GrowableModelFixture, growableModelConformance, type LayerConformanceOptions } from './testing/conformance/layer-conformance.js';
export { growthPolicyConformance, type PolicyConformanceOptions } from './testing/conformance/policy-conformance.js';
export { SimulatedPopulation } from './testing/conformance/simulated-population.js';
