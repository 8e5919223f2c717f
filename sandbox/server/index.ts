/** The sandbox's Jira REST server: the in-process router and its HTTP wrapper. */
export { SANDBOX_APP_USER } from './auth';
export { createFaultController, faultPlanFromEnv, NO_FAULTS } from './faults';
export type { Fault, FaultController, FaultPlan } from './faults';
export { JSON_CONTENT_TYPE, sandboxPort, startSandboxServer } from './http-server';
export type { PagesHandler, SandboxServer, SandboxServerOptions } from './http-server';
export type { RequestStats, RequestStatsSnapshot } from './request-stats';
export { createRouter, RATE_LIMIT_REASON } from './router';
export type { RouterOptions, SandboxServerRouter } from './router';
