import { demoUsers } from './demo/demo-users';
import { seedDemo } from './demo/seed-demo';
import { createForgeUiHandler, type AdminResolverFunction, type ForgeResolverFunction } from './forge-ui';
import { createPagesHandler } from './pages';
import { FaultPlan, NO_FAULTS, PagesHandler, createRouter, startSandboxServer } from './server';
import { SANDBOX_SITES, SandboxSite, SandboxState, SandboxUser, createSandboxState } from './state/sandbox-state';
import { createForgeRuntime, ForgeRuntimeDeps, type ForgeRuntime } from './forge-runtime/forge-runtime';
import { DEPLOYMENT_GATE_MODULE_KEY } from '../src/forge/deployment-gate';
import type { RouterResponse } from './workflow/workflow-port';
import { createWorkflowEngine } from './workflow';
import type { SandboxRouter } from './workflow/workflow-port';

export interface SandboxOptions {
  port: number;
  faults?: FaultPlan;
  clock?: () => Date;
  /** Seed the demo tickets (default true; the bare site has none either way). */
  demo?: boolean;
  /** `demo` (default: CC8.1 fields, tickets, stored policy, the app's rules) or `bare` (a fresh project). */
  site?: SandboxSite;
  /**
   * How often the scheduled trigger (`posthoc-sweep`) fires, in ms; 0 turns the timer off (it can
   * still be fired with `POST /sandbox/admin/triggers/posthoc-sweep`). Default:
   * `SANDBOX_TRIGGER_INTERVAL_MS`, else hourly (the manifest's `interval: hour`).
   */
  triggerIntervalMs?: number;
  /** How often due async events are delivered, in ms; 0 turns it off (drain on demand). Default 1 s. */
  eventsIntervalMs?: number;
  /** The rule config page's sandbox build (default static/rule-config/build-sandbox). */
  ruleConfigBuildDir?: string;
  /** The issue panel's sandbox build (default static/issue-panel/build-sandbox). */
  issuePanelBuildDir?: string;
  /** The issue panel's resolver per invoking user (default: the app's `createPanelResolver` over the sandbox). */
  panelResolverFor?: (user: SandboxUser) => ForgeResolverFunction;
  /** The admin page's sandbox build (default static/admin-page/build-sandbox). */
  adminPageBuildDir?: string;
  /** The admin page's resolver per invoking user (default: the app's `createAdminResolver` over the sandbox). */
  adminResolverFor?: (user: SandboxUser) => AdminResolverFunction;
  /** Options of the Forge runtime shim (the sweep's sleep, time budget and page size; the log). */
  forgeRuntime?: Pick<ForgeRuntimeDeps, 'sleep' | 'elapsed' | 'sweepBudgetMs' | 'sweepPageSize' | 'sweepConcurrency' | 'sweepMaxContinuations' | 'log'>;
  /** How the router waits out injected latency (default a real wait; benchmarks count simulated time instead). */
  routerSleep?: (ms: number) => Promise<void>;
  /** Router log (default console). */
  routerLog?: (event: string, fields: Readonly<Record<string, string | number | boolean | null>>) => void;
}

export const HOUR_MS = 60 * 60 * 1000;

/** `SANDBOX_TRIGGER_INTERVAL_MS`: a whole number of ms (0 = off); default hourly. */
export const triggerIntervalFromEnv = (env: Record<string, string | undefined>): number => {
  const raw = env.SANDBOX_TRIGGER_INTERVAL_MS?.trim();
  if (!raw) return HOUR_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`SANDBOX_TRIGGER_INTERVAL_MS must be a whole number of milliseconds (0 = off), got '${raw}'.`);
  return ms;
};

/** `SANDBOX_SITE`: `demo` (default) or `bare`. */
export const siteFromEnv = (env: Record<string, string | undefined>): SandboxSite => {
  const raw = env.SANDBOX_SITE?.trim();
  if (!raw) return 'demo';
  if (!(SANDBOX_SITES as readonly string[]).includes(raw)) throw new Error(`SANDBOX_SITE must be one of ${SANDBOX_SITES.join(', ')}, got '${raw}'.`);
  return raw as SandboxSite;
};

/** Forge web trigger URLs (`/x1/<module key>`): the request as Forge hands it to the function, the function's answer as Forge sends it. */
const webTriggerRoutes =
  (runtime: ForgeRuntime) =>
  async (request: { method: string; path: string; headers: Record<string, string[]>; body: string }): Promise<RouterResponse | null> => {
    if (request.path !== `/x1/${DEPLOYMENT_GATE_MODULE_KEY}`) return null;
    const answer = await runtime.invokeWebTrigger('deployment-gate', { method: request.method, headers: request.headers, body: request.body });
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, values]) => [name, values.join(', ')]));
    return { status: answer.statusCode, headers, body: answer.body };
  };

/** Tries each handler in turn; null when none answers (the server then asks the REST router). */
const chain =
  (...handlers: PagesHandler[]): PagesHandler =>
  async (request) => {
    for (const handler of handlers) {
      const response = await handler(request);
      if (response) return response;
    }
    return null;
  };

/** The whole offline site: state, the app's installed rules, the REST API, the pages, on localhost. */
export const startSandbox = async (options: SandboxOptions) => {
  const clock = options.clock ?? (() => new Date());
  const state: SandboxState = createSandboxState(demoUsers(), {}, { site: options.site ?? 'demo' });
  if (state.site === 'demo' && options.demo !== false) seedDemo(state, clock());
  // The engine calls the router lazily (the app's REST calls), and the router calls the engine.
  const runtime = options.forgeRuntime ? createForgeRuntime({ router: (): SandboxRouter => router, clock, appEvidence: () => state.appEvidence, signingKey: state.appSigningKey, ...options.forgeRuntime }) : undefined;
  const workflow = createWorkflowEngine({ state, router: (): SandboxRouter => router, clock, ...(runtime ? { runtime } : {}) });
  const router = createRouter({
    state, workflow, clock, faults: options.faults ?? NO_FAULTS,
    ...(options.routerSleep ? { sleep: options.routerSleep } : {}),
    ...(options.routerLog ? { log: options.routerLog } : {}),
  });
  const forgeUi = createForgeUiHandler({ state, workflow, router: () => router, ruleConfigBuildDir: options.ruleConfigBuildDir,
    issuePanelBuildDir: options.issuePanelBuildDir,
    panelResolverFor: options.panelResolverFor,
    adminPageBuildDir: options.adminPageBuildDir,
    adminResolverFor: options.adminResolverFor,
    clock,
  });
  const pages = createPagesHandler({ state, rules: () => workflow.installedRules() });
  const server = await startSandboxServer({ router, port: options.port, pages: chain(forgeUi, pages), raw: webTriggerRoutes(workflow.runtime) });
  workflow.runtime.setBaseUrl(server.url);

  const triggerIntervalMs = options.triggerIntervalMs ?? triggerIntervalFromEnv(process.env);
  const triggerTimer = triggerIntervalMs > 0 ? setInterval(() => void workflow.runtime.runScheduledTrigger('posthoc-sweep'), triggerIntervalMs) : null;
  triggerTimer?.unref();
  // The self-test trigger is daily (`interval: day`): 24 sweep intervals.
  const selfTestTimer = triggerIntervalMs > 0 ? setInterval(() => void workflow.runtime.runScheduledTrigger('self-test'), triggerIntervalMs * 24) : null;
  selfTestTimer?.unref();
  const eventsIntervalMs = options.eventsIntervalMs ?? 1_000;
  const stopEvents = eventsIntervalMs > 0 ? workflow.runtime.events.start(eventsIntervalMs) : () => undefined;

  return {
    ...server,
    close: async () => {
      if (triggerTimer) clearInterval(triggerTimer);
      if (selfTestTimer) clearInterval(selfTestTimer);
      stopEvents();
      await server.close();
    },
    state,
    workflow,
    router,
    runtime: workflow.runtime,
  };
};
