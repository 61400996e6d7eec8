export * from './build-setup.js';
export * from './container.js';
export * from './experiment-runner.js';
export * from './seed-run.js';
export * from './benchmark.js';
export * from './bench-symbols-task.js';
