import { demoUsers } from './demo/demo-users';
import { seedDemo } from './demo/seed-demo';
import { createPagesHandler } from './pages';
import { FaultPlan, NO_FAULTS, createRouter, startSandboxServer } from './server';
import { SandboxState, createSandboxState } from './state/sandbox-state';
import { createWorkflowEngine } from './workflow';
import type { SandboxRouter } from './workflow/workflow-port';

export interface SandboxOptions {
  port: number;
  faults?: FaultPlan;
  clock?: () => Date;
  /** Seed the demo users and tickets (default true). */
  demo?: boolean;
}

/** The whole offline site: state, the app's installed rules, the REST API, the pages, on localhost. */
export const startSandbox = async (options: SandboxOptions) => {
  const clock = options.clock ?? (() => new Date());
  const state: SandboxState = createSandboxState(demoUsers());
  if (options.demo !== false) seedDemo(state, clock());
  // The engine calls the router lazily (the app's REST calls), and the router calls the engine.
  const workflow = createWorkflowEngine({ state, router: (): SandboxRouter => router, clock });
  const router = createRouter({ state, workflow, clock, faults: options.faults ?? NO_FAULTS });
  const pages = createPagesHandler({ state, rules: () => workflow.installedRules() });
  const server = await startSandboxServer({ router, port: options.port, pages });
  return { ...server, state, workflow, router };
};
