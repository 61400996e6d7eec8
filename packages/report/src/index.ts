export * from './figure-specs.js';
export * from './quartiles.js';
export * from './render.js';
export * from './run-data.js';
export * from './summary.js';
export * from './write-report.js';
export * from './summary-table.js';
export * from './summary-lines.js';
