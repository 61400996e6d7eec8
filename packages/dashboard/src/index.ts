export { isLoopback } from './allowed-hosts.js';
export { type Dashboard, type DashboardOptions, dashboardHandler, startDashboard } from './server.js';
export { findRuns, openRoots } from './run-index.js';
