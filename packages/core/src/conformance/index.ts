export * from './layer-conformance.js';
export * from './policy-conformance.js';
export * from './simulated-population.js';
