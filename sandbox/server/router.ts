/**
 * The sandbox's Jira REST v3: one in-process request handler (`SandboxRouter`) that the HTTP
 * server wraps and the app's own REST calls use directly (`asApp` / `asAccountId`).
 *
 * Per request: admin resources are served first (no faults, no auth, not counted); otherwise
 * injected latency, then an injected 429 / 500 if the fault plan draws one, then the route, then
 * authentication, then the handler. Every error has Jira's `{ errorMessages, errors }` shape.
 */
import { consoleLogger, Logger } from '../../src/ports/logger';
import type { SandboxState } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse, SandboxRouter, SandboxWorkflow } from '../workflow/workflow-port';
import { ADMIN_PREFIX, serveAdmin } from './admin-routes';
import { authenticate } from './auth';
import { changelogRoutes } from './changelog-routes';
import { commentRoutes } from './comment-routes';
import { createFaultController, FaultController, FaultPlan, NO_FAULTS } from './faults';
import { issueRoutes } from './issue-routes';
import { jiraError, unauthorized } from './jira-responses';
import { propertyRoutes } from './property-routes';
import { expressionRoutes } from './expression-routes';
import { fieldRoutes } from './field-routes';
import { projectRoutes } from './project-routes';
import { createRequestStats, RequestStats } from './request-stats';
import { matchRoute, Route, RouteDeps } from './route-table';
import { searchRoutes } from './search-routes';
import { siteRoutes } from './site-routes';
import { transitionRoutes } from './transition-routes';
import { workflowRoutes } from './workflow-routes';
import { asRestV2, fromRestV2 } from './rest-v2';

export interface RouterOptions {
  state: SandboxState;
  workflow: SandboxWorkflow;
  clock: () => Date;
  /** The initial fault plan (default: none); changeable at runtime through `/sandbox/admin/faults`. */
  faults?: FaultPlan;
  /** Ids only. Default: console. */
  log?: Logger;
  /** How injected latency waits (tests may inject). */
  sleep?: (ms: number) => Promise<void>;
  /** Base of `self` links when a request has no `Host` header (in-process calls). */
  baseUrl?: string;
}

export interface SandboxServerRouter extends SandboxRouter {
  readonly faults: FaultController;
  readonly stats: RequestStats;
}

export const RATE_LIMIT_REASON = 'jira-burst-based';
export const RATE_LIMITED = 'Rate limit exceeded.';
export const INTERNAL_ERROR = 'Internal server error';
export const DEFAULT_BASE_URL = 'http://localhost:8080';

const LOG_EVENT = 'sandbox-http';
/** Operations Jira Cloud answers anonymously ("This operation can be accessed anonymously"): what a client reads before it signs in. */
const ANONYMOUS_ROUTES: ReadonlySet<string> = new Set(['/rest/api/3/serverInfo']);
const ANONYMOUS_CALLER = { user: { accountId: 'anonymous', emailAddress: '', displayName: 'Anonymous', active: true, groups: [], timeZone: 'Etc/UTC' }, isApp: false };
const V2_PREFIX = '/rest/api/2/';
const V3_PREFIX = '/rest/api/3/';

const allRoutes = (): Route[] => [
  ...siteRoutes(),
  ...issueRoutes(),
  ...transitionRoutes(),
  ...changelogRoutes(),
  ...commentRoutes(),
  ...propertyRoutes(),
  ...searchRoutes(),
  ...projectRoutes(),
  ...fieldRoutes(),
  ...workflowRoutes(),
  ...expressionRoutes(),
];

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const hostOf = (request: RouterRequest): string | undefined => Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1];

export const createRouter = (options: RouterOptions): SandboxServerRouter => {
  const log = options.log ?? consoleLogger;
  const sleep = options.sleep ?? realSleep;
  const faults = createFaultController(options.faults ?? NO_FAULTS);
  const stats = createRequestStats();
  const routes = allRoutes();
  const deps: RouteDeps = { state: options.state, workflow: options.workflow, clock: options.clock, log };

  const serve = async (request: RouterRequest, method: string, path: string, asked: string): Promise<{ route: string; response: RouterResponse }> => {
    const plan = faults.plan();
    if (plan.latencyMs > 0) {
      stats.fault('latency');
      await sleep(plan.latencyMs);
    }
    const match = matchRoute(routes, method, path);
    const routeName = match.kind === 'found' ? `${method} ${match.route.template}` : 'unmatched';
    const fault = faults.draw();
    if (fault === '429') {
      stats.fault('rate429');
      const headers = { 'Retry-After': String(plan.retryAfterSeconds), 'RateLimit-Reason': RATE_LIMIT_REASON };
      return { route: routeName, response: jiraError(429, [RATE_LIMITED], {}, headers) };
    }
    if (fault === '500') {
      stats.fault('rate500');
      return { route: routeName, response: jiraError(500, [INTERNAL_ERROR]) };
    }
    if (match.kind === 'none') return { route: routeName, response: jiraError(404, [`No REST resource at ${method} ${asked}.`]) };
    if (match.kind === 'wrong-method') return { route: routeName, response: jiraError(405, [`${method} is not allowed on ${match.template}.`]) };
    const caller = authenticate(options.state, request) ?? (ANONYMOUS_ROUTES.has(match.route.template) ? ANONYMOUS_CALLER : null);
    if (!caller) return { route: routeName, response: unauthorized() };
    const host = hostOf(request);
    const baseUrl = host ? `http://${host}` : (options.baseUrl ?? DEFAULT_BASE_URL);
    const response = await match.route.handler({ request, params: match.params, caller, baseUrl, deps });
    return { route: routeName, response };
  };

  const router = async (incoming: RouterRequest): Promise<RouterResponse> => {
    const method = incoming.method.toUpperCase();
    const given = incoming.path.length > 1 ? incoming.path.replace(/\/+$/, '') : incoming.path;
    // REST v2 answers where v3 does (clients such as python-jira default to it), with rich text as plain text.
    const v2 = given.startsWith(V2_PREFIX);
    const path = v2 ? `${V3_PREFIX}${given.slice(V2_PREFIX.length)}` : given;
    // The sandbox's state never shares objects with a caller's request.
    const copied: RouterRequest = { ...incoming, query: { ...(incoming.query ?? {}) }, headers: { ...(incoming.headers ?? {}) }, body: incoming.body === undefined ? undefined : structuredClone(incoming.body) };
    const request = v2 ? fromRestV2(copied, path) : copied;
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return serveAdmin(request, method, path, { faults, stats, state: options.state, log });
    let route = 'unmatched';
    let response: RouterResponse;
    try {
      ({ route, response } = await serve(request, method, path, given));
    } catch (error) {
      // A sandbox bug: answered as Jira answers its own failures, and logged by name only.
      log(LOG_EVENT, { event: 'handler-error', method, route, errorName: error instanceof Error ? error.name : typeof error });
      response = jiraError(500, [INTERNAL_ERROR]);
    }
    stats.record(route, response.status);
    log(LOG_EVENT, { method, route, status: response.status, caller: incoming.asApp ? 'app' : (incoming.asAccountId ?? 'basic'), ...(v2 ? { apiVersion: 2 } : {}) });
    return v2 ? asRestV2(response) : response;
  };
  return Object.assign(router, { faults, stats });
};
