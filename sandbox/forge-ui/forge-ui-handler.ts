/**
 * Jira's side of the app's Custom UI rule config page, served next to the REST router:
 *
 * - `POST /sandbox/forge/sessions` (basic auth, the page's acting user): opens the rule config
 *   page for one transition and rule kind, as Jira does when an admin adds or edits the CC8.1
 *   validator / condition. Answers the session token and the iframe URL.
 * - `GET /sandbox/forge/context?session=…`: the session's Forge context (`view.getContext()`).
 * - `POST /sandbox/forge/invoke` `{ moduleKey, functionKey, payload }` (session): runs the app's
 *   real resolver (`createRuleConfigResolver` over the runtime's KVS, the real compiler, and an
 *   admin check as Jira's `mypermissions` would answer for the session's user), called the way
 *   Forge calls `getDefinitions()`. The acting user is the session's, never the payload's.
 * - `POST /sandbox/forge/rule-config` `{ transitionId, kind, config }` (basic auth or session,
 *   Jira admins): saves the string `onConfigure` returned, validated with `RuleConfigSchema`, and
 *   installs it in the workflow engine (`installRuleConfig`).
 * - `/sandbox/forge/jira/rest/api/3/…` (session): `requestJira`, REST as the session's user.
 * - `GET /sandbox/custom-ui/rule-config/…`: the page's sandbox build (static/rule-config/build-sandbox).
 * - `POST /sandbox/admin/triggers/posthoc-sweep`: fires the scheduled trigger now;
 *   `GET /sandbox/admin/triggers`: the invocations so far; `POST /sandbox/admin/events/drain`.
 *
 * Anything else resolves to null (the next handler, then the REST router).
 */
import { readGateRecords } from '../../src/deployments/gate-record';
import { DEPLOYMENT_GATE_MODULE_KEY } from '../../src/forge/deployment-gate';
import { unrecordedStepsOf } from '../../src/evidence-log/unrecorded-steps';
import { readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { compileEdge, RULE_KINDS, RuleConfigSchema, RuleKind } from '../../src/domain/expression';
import { createAdminResolver } from '../../src/forge/create-admin-resolver';
import { createPanelResolver } from '../../src/forge/create-panel-resolver';
import { createRuleConfigResolver } from '../../src/forge/create-rule-config-resolver';
import { consoleLogger, Logger } from '../../src/ports/logger';
import { loadPolicy } from '../../src/policy/policy-store';
import { FORGE_UI_PATHS, SESSION_HEADER } from '../bridge/protocol';
import { SANDBOX_INSTALL_CONTEXT } from '../forge-runtime/forge-payloads';
import type { ScheduledFunctionKey } from '../forge-runtime/forge-runtime';
import { SCHEDULED_TRIGGERS } from '../forge-runtime/forge-runtime';
import { authenticate, isJiraAdmin, JIRA_ADMINS_GROUP } from '../server/auth';
import { jiraError, json, parseWith, unauthorized } from '../server/jira-responses';
import type { SandboxState, SandboxUser } from '../state/sandbox-state';
import type { SandboxWorkflowEngine } from '../workflow/workflow-engine';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../workflow/workflow-port';
import { ENTRY_POINTS, MODULE_KEY_OF, RuleConfigSession, ruleConfigContext } from './forge-context';
import { contentSecurityPolicy } from '../pages/html';
import { LAST_RUN_KEY } from '../../src/sweep/sweep';
import { createIssuePanelHost, type ForgeResolverFunction } from './issue-panel-host';
import { createAdminPageHost, type AdminResolverFunction } from './admin-page-host';
import { headerOf, noStore, serveCustomUiFile } from './custom-ui-build';

/** Where `vite build --config static/rule-config/vite.sandbox.config.mts` writes. */
export const DEFAULT_RULE_CONFIG_BUILD = resolve(__dirname, '..', '..', 'static', 'rule-config', 'build-sandbox');

export const SANDBOX_BUILD_COMMAND = 'npx vite build --config static/rule-config/vite.sandbox.config.mts';

export { isJiraAdmin, JIRA_ADMINS_GROUP } from '../server/auth';

export const ADMIN_TRIGGERS_PREFIX = '/sandbox/admin/triggers';
export const ADMIN_EVENTS_DRAIN = '/sandbox/admin/events/drain';

export interface ForgeUiHandlerOptions {
  state: SandboxState;
  workflow: SandboxWorkflowEngine;
  /** For `requestJira` (REST as the session's user). */
  router: () => SandboxRouter;
  /** The rule config page's sandbox build; default static/rule-config/build-sandbox. */
  ruleConfigBuildDir?: string;
  /** The issue panel's sandbox build; default static/issue-panel/build-sandbox. */
  issuePanelBuildDir?: string;
  /**
   * The issue panel's resolver for an invoking user; default the app's `createPanelResolver`
   * (src/forge/create-panel-resolver.ts) over the runtime's user / app transports and KVS.
   */
  panelResolverFor?: (user: SandboxUser) => ForgeResolverFunction;
  /** The admin page's sandbox build; default static/admin-page/build-sandbox. */
  adminPageBuildDir?: string;
  /**
   * The admin page's resolver for an invoking user; default the app's `createAdminResolver`
   * (src/forge/create-admin-resolver.ts) over the runtime's user / app transports and KVS.
   */
  adminResolverFor?: (user: SandboxUser) => AdminResolverFunction;
  /** The clock the panel resolver reads (the sandbox's); default the real one. */
  clock?: () => Date;
  log?: Logger;
  /** Session tokens; default 24 random bytes. */
  token?: () => string;
  now?: () => number;
}

export type ForgeUiHandler = (request: RouterRequest) => Promise<RouterResponse | null>;

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;
const LOG_EVENT = 'sandbox-forge-ui';

/** Like Forge's Custom UI CSP: the page's own files only; framed only by the sandbox's pages. */
export const CUSTOM_UI_CSP = contentSecurityPolicy(["frame-ancestors 'self'"]);

const SessionRequestSchema = z.object({
  transitionId: z.string().min(1),
  kind: z.enum(RULE_KINDS),
  entryPoint: z.enum(ENTRY_POINTS as [string, ...string[]]).optional(),
  part: z.number().int().min(1).optional(),
});

const InvokeSchema = z.object({
  moduleKey: z.string().min(1),
  functionKey: z.string().min(1),
  payload: z.unknown().optional(),
});

const RuleConfigRequestSchema = z.object({
  transitionId: z.string().min(1),
  kind: z.enum(RULE_KINDS),
  /** The JSON string `onConfigure` returned. */
  config: z.string({ message: 'config must be the string the rule config page returned from onConfigure' }),
});

const header = headerOf;

export const createForgeUiHandler = (options: ForgeUiHandlerOptions): ForgeUiHandler => {
  const { state, workflow } = options;
  const runtime = workflow.runtime;
  const log = options.log ?? consoleLogger;
  const now = options.now ?? Date.now;
  const newToken = options.token ?? (() => randomBytes(24).toString('base64url'));
  const ruleConfigBuild = { dir: resolve(options.ruleConfigBuildDir ?? DEFAULT_RULE_CONFIG_BUILD), prefix: FORGE_UI_PATHS.ruleConfigPage, what: 'the rule config page', buildCommand: SANDBOX_BUILD_COMMAND, csp: CUSTOM_UI_CSP };
  const sessions = new Map<string, RuleConfigSession>();

  /** The page's acting user from basic auth, as the REST API authenticates (never an in-process caller). */
  const basicUser = (request: RouterRequest): SandboxUser | null => {
    const caller = authenticate(state, { ...request, asApp: undefined, asAccountId: undefined });
    return caller && !caller.isApp ? caller.user : null;
  };

  const sessionOf = (request: RouterRequest): { session: RuleConfigSession; user: SandboxUser } | null => {
    const token = header(request, SESSION_HEADER) ?? request.query.session;
    if (!token) return null;
    const session = sessions.get(token);
    if (!session) return null;
    if (now() - session.createdAt > SESSION_TTL_MS) {
      sessions.delete(token);
      return null;
    }
    const user = state.users.find((u) => u.accountId === session.accountId);
    return user && user.active ? { session, user } : null;
  };

  const sessionExpired = (): RouterResponse =>
    jiraError(401, ['This rule config page has no valid sandbox session. Close the dialog and open it again from /sandbox/rules.']);

  const baseUrl = (request: RouterRequest): string => {
    const host = header(request, 'host');
    return host ? `http://${host}` : 'http://localhost:8080';
  };

  const transitionRules = (transitionId: string) => workflow.installedRules().find((rules) => rules.transitionId === transitionId);

  const openSession = (request: RouterRequest): RouterResponse => {
    const user = basicUser(request);
    if (!user) return unauthorized();
    const parsed = parseWith(SessionRequestSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const { transitionId, kind } = parsed.value;
    const rules = transitionRules(transitionId);
    if (!rules) return jiraError(404, [`The CC8.1 workflow has no transition ${transitionId}.`]);
    const part = parsed.value.part ?? 1;
    const existing = (kind === 'condition' ? rules.conditions : rules.validators).find((rule) => rule.part === part);
    const savedConfig = existing?.config ?? null;
    const entryPoint = (parsed.value.entryPoint as RuleConfigSession['entryPoint'] | undefined) ?? (savedConfig ? 'edit' : 'create');
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    const session: RuleConfigSession = {
      token: newToken(),
      accountId: user.accountId,
      transition: { transitionId, transitionName: rules.transitionName, edge: rules.edge, from: rules.from ? { ...rules.from } : null, to: { ...rules.to } },
      kind,
      entryPoint,
      part,
      savedConfig: savedConfig ? { ...savedConfig } : null,
      createdAt: now(),
    };
    sessions.set(session.token, session);
    log(LOG_EVENT, { event: 'session-opened', accountId: user.accountId, transitionId, kind, entryPoint, part });
    return json(201, {
      token: session.token,
      url: `${FORGE_UI_PATHS.ruleConfigPage}index.html?session=${encodeURIComponent(session.token)}`,
      entryPoint,
      context: ruleConfigContext(session, baseUrl(request)),
    });
  };

  const context = (request: RouterRequest): RouterResponse => {
    const found = sessionOf(request);
    return found ? json(200, ruleConfigContext(found.session, baseUrl(request)), noStore()) : sessionExpired();
  };

  const invoke = async (request: RouterRequest): Promise<RouterResponse> => {
    const found = sessionOf(request);
    if (!found) return sessionExpired();
    const parsed = parseWith(InvokeSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const { session, user } = found;
    const { moduleKey, functionKey, payload } = parsed.value;
    if (moduleKey !== MODULE_KEY_OF[session.kind]) {
      return jiraError(400, [`This page was opened for module ${MODULE_KEY_OF[session.kind]}, not ${moduleKey}.`]);
    }
    // Built per call: the admin check is "as the invoking user", which Forge knows from the invocation.
    const resolver = createRuleConfigResolver({
      compile: compileEdge,
      loadPolicy: () => loadPolicy(runtime.store),
      checkAdmin: async () => isJiraAdmin(user),
      log,
    });
    const uiContext = ruleConfigContext(session, baseUrl(request));
    try {
      // Forge's call: `{ call: { functionKey, payload }, context }` plus the backend runtime payload.
      const result = await resolver(
        { call: { functionKey, payload: payload as Record<string, unknown> | undefined }, context: uiContext } as Parameters<typeof resolver>[0],
        { principal: { accountId: user.accountId }, installContext: SANDBOX_INSTALL_CONTEXT } as Parameters<typeof resolver>[1],
      );
      log(LOG_EVENT, { event: 'invoke', function: functionKey, accountId: user.accountId, moduleKey });
      return json(200, result ?? null, noStore());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(LOG_EVENT, { event: 'invoke-failed', function: functionKey, errorName: error instanceof Error ? error.name : typeof error });
      return /has no definition/.test(message) ? jiraError(404, [message]) : jiraError(500, ['The resolver threw; see the sandbox log.']);
    }
  };

  const saveRuleConfig = (request: RouterRequest): RouterResponse => {
    const user = sessionOf(request)?.user ?? basicUser(request);
    if (!user) return unauthorized();
    if (!isJiraAdmin(user)) return jiraError(403, [`Only Jira admins (group ${JIRA_ADMINS_GROUP}) can change workflow rules; ${user.displayName} is not one.`]);
    const parsed = parseWith(RuleConfigRequestSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const { transitionId, kind } = parsed.value;
    let raw: unknown;
    try {
      raw = JSON.parse(parsed.value.config) as unknown;
    } catch {
      return jiraError(400, ['The rule config is not JSON: the rule config page must return the JSON string of a CC8.1 rule config.'], { config: 'not JSON' });
    }
    const config = RuleConfigSchema.safeParse(raw);
    if (!config.success) {
      const errors = Object.fromEntries(config.error.issues.map((issue) => [`config.${issue.path.join('.')}`, issue.message]));
      return jiraError(400, ['The rule config is not a CC8.1 rule config (RuleConfigSchema).'], errors);
    }
    const installed = workflow.installRuleConfig(transitionId, kind as RuleKind, config.data);
    if (!installed.ok) return jiraError(installed.reason === 'unknown-transition' ? 404 : 400, [installed.message]);
    const warnings: string[] = [];
    if (config.data.edge !== installed.rules.edge) {
      warnings.push(`This config guards the ${config.data.edge} step but is saved on the ${installed.rules.transitionName} transition (${installed.rules.edge ?? 'no lifecycle step'}).`);
    }
    if (config.data.policyVersion !== state.policy.version) {
      warnings.push(`It was compiled from policy version ${config.data.policyVersion}; the sandbox's policy is version ${state.policy.version}.`);
    }
    log(LOG_EVENT, { event: 'rule-config-saved', accountId: user.accountId, transitionId, kind, part: config.data.part });
    return json(200, { installed: { transitionId, ...config.data }, rules: installed.rules, warnings });
  };

  const requestJira = async (request: RouterRequest, method: string): Promise<RouterResponse> => {
    const found = sessionOf(request);
    if (!found) return sessionExpired();
    const path = request.path.slice(FORGE_UI_PATHS.jira.length);
    const headers: Record<string, string | undefined> = { accept: header(request, 'accept') ?? 'application/json', host: header(request, 'host') };
    const contentType = header(request, 'content-type');
    if (contentType) headers['content-type'] = contentType;
    return options.router()({ method, path, query: { ...request.query }, headers, body: request.body, asAccountId: found.user.accountId });
  };

  const trigger = async (method: string, path: string): Promise<RouterResponse> => {
    const rest = path.slice(ADMIN_TRIGGERS_PREFIX.length);
    if (rest === '' || rest === '/') {
      if (method !== 'GET') return jiraError(405, [`${method} is not allowed on ${path}.`]);
      // The sweep's own run summary, as the app stored it in KVS.
      const lastSweepRun = (await runtime.store.get(LAST_RUN_KEY)) ?? null;
      return json(200, { triggers: Object.keys(SCHEDULED_TRIGGERS), invocations: runtime.triggerInvocations(), lastSweepRun });
    }
    const key = rest.slice(1);
    if (!Object.hasOwn(SCHEDULED_TRIGGERS, key)) return jiraError(404, [`No scheduled trigger ${key}. Known: ${Object.keys(SCHEDULED_TRIGGERS).join(', ')}.`]);
    if (method !== 'POST') return jiraError(405, [`${method} is not allowed on ${path}.`]);
    const invocation = await runtime.runScheduledTrigger(key as ScheduledFunctionKey);
    const invocations = runtime.triggerInvocations().filter((i) => i.function === key).length;
    return json(200, { result: invocation.result, invocation, invocations });
  };

  // The issue panel's sessions, context, invoke and build (issue-panel-host.ts); null when a request is not the panel's.
  const requestJiraAs = (request: RouterRequest, accountId: string): Promise<RouterResponse> => {
    const headers: Record<string, string | undefined> = { accept: header(request, 'accept') ?? 'application/json', host: header(request, 'host') };
    const contentType = header(request, 'content-type');
    if (contentType) headers['content-type'] = contentType;
    const path = request.path.slice(FORGE_UI_PATHS.jira.length);
    return options.router()({ method: request.method.toUpperCase(), path, query: { ...request.query }, headers, body: request.body, asAccountId: accountId });
  };
  const issuePanel = createIssuePanelHost({
    state,
    basicUser,
    requestJira: requestJiraAs,
    panelResolverFor:
      options.panelResolverFor ??
      ((user) =>
        createPanelResolver({
          userTransport: runtime.asUser(user.accountId),
          appTransport: runtime.asApp(),
          evidenceLog: (issueId) => readEvidenceWithNote(runtime.store, issueId),
          unrecordedSteps: (issueId, issueKey) => unrecordedStepsOf(runtime.store, issueId, issueKey),
          deployments: (issueId) => readGateRecords(runtime.store, issueId),
          loadPolicy: () => loadPolicy(runtime.store),
          clock: options.clock ?? (() => new Date()),
          log,
        }) as unknown as ForgeResolverFunction),
    buildDir: options.issuePanelBuildDir,
    token: newToken,
    now,
    log,
    sessionHeader: SESSION_HEADER,
    csp: CUSTOM_UI_CSP,
  });

  // The admin page's sessions (Jira admins only), context, invoke and build (admin-page-host.ts).
  const adminPage = createAdminPageHost({
    state,
    basicUser,
    isAdmin: isJiraAdmin,
    requestJira: requestJiraAs,
    adminResolverFor:
      options.adminResolverFor ??
      ((user) =>
        createAdminResolver({
          userTransport: runtime.asUser(user.accountId),
          appTransport: runtime.asApp(),
          store: runtime.store,
          clock: options.clock ?? (() => new Date()),
          exportQueue: runtime.exportQueue,
          gateUrl: async () => runtime.webTriggerUrl(DEPLOYMENT_GATE_MODULE_KEY) ?? '',
          log,
        }) as unknown as AdminResolverFunction),
    buildDir: options.adminPageBuildDir,
    token: newToken,
    now,
    log,
    sessionHeader: SESSION_HEADER,
    csp: CUSTOM_UI_CSP,
  });

  return async (request) => {
    const adminAnswer = await adminPage(request);
    if (adminAnswer) return adminAnswer;
    const panelAnswer = await issuePanel(request);
    if (panelAnswer) return panelAnswer;
    const method = request.method.toUpperCase();
    const path = request.path;
    if (path === FORGE_UI_PATHS.sessions) return method === 'POST' ? openSession(request) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path === FORGE_UI_PATHS.context) return method === 'GET' ? context(request) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path === FORGE_UI_PATHS.invoke) return method === 'POST' ? invoke(request) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path === FORGE_UI_PATHS.ruleConfig) return method === 'POST' ? saveRuleConfig(request) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path.startsWith(`${FORGE_UI_PATHS.jira}/rest/`)) return requestJira(request, method);
    if (path.startsWith(FORGE_UI_PATHS.ruleConfigPage) && method === 'GET') return serveCustomUiFile(ruleConfigBuild, path);
    if (path === '/sandbox/custom-ui/rule-config') return { status: 308, headers: { Location: FORGE_UI_PATHS.ruleConfigPage }, body: undefined };
    if (path === ADMIN_TRIGGERS_PREFIX || path.startsWith(`${ADMIN_TRIGGERS_PREFIX}/`)) return trigger(method, path);
    if (path === ADMIN_EVENTS_DRAIN) {
      if (method !== 'POST') return jiraError(405, [`${method} is not allowed on ${path}.`]);
      const all = request.query.all === 'true';
      return json(200, { ...(await runtime.events.drain({ all })), pending: runtime.events.pending().length });
    }
    return null;
  };
};
