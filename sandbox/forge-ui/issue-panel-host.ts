/**
 * Jira's side of the app's issue panel (Custom UI, `jira:issuePanel` module `cc81-issue-panel`),
 * next to the rule config page's routes in forge-ui-handler.ts:
 *
 * - `POST /sandbox/forge/sessions` `{ module: 'jira:issuePanel', issueKey }` (basic auth, the
 *   page's acting user): opens the panel for one issue, as Jira does when it renders the issue
 *   view. The context (`extension.issue`, `extension.project`) is built here from the sandbox's
 *   state, never taken from the page. Answers the session token and the iframe URL.
 * - `GET /sandbox/forge/context?session=…` / `POST /sandbox/forge/invoke` for a panel session:
 *   the panel's Forge context, and the app's panel resolver (manifest function `panel-resolver`),
 *   called the way Forge calls `getDefinitions()`, as the session's user.
 * - `/sandbox/forge/jira/rest/…` for a panel session: `requestJira` as the session's user.
 * - `GET /sandbox/custom-ui/issue-panel/…`: the panel's sandbox build (static/issue-panel/build-sandbox).
 *
 * The resolver is made per invocation for the session's user by `panelResolverFor` (forge-ui-handler
 * passes the app's `createPanelResolver` over the sandbox runtime's transports and KVS).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { consoleLogger, Logger } from '../../src/ports/logger';
import { FORGE_UI_PATHS, ISSUE_PANEL_MODULE_TYPE } from '../bridge/protocol';
import { SANDBOX_INSTALL_CONTEXT } from '../forge-runtime/forge-payloads';
import { headerOf, noStore, serveCustomUiFile, type CustomUiBuild } from './custom-ui-build';
import { forgeContextEnvelope } from './forge-context';
import { jiraError, json, parseWith, unauthorized } from '../server/jira-responses';
import { findIssue, type SandboxState, type SandboxUser } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';

/** Where `vite build --config static/issue-panel/vite.sandbox.config.mts` writes. */
export const DEFAULT_ISSUE_PANEL_BUILD = resolve(__dirname, '..', '..', 'static', 'issue-panel', 'build-sandbox');
export const ISSUE_PANEL_BUILD_COMMAND = 'npx vite build --config static/issue-panel/vite.sandbox.config.mts';

/** The manifest's `jira:issuePanel` module key and its resolver function. */
export const ISSUE_PANEL_MODULE_KEY = 'cc81-issue-panel';
export const PANEL_FUNCTION = 'panel-resolver';

/** A Forge resolver as `new Resolver().getDefinitions()` returns it: `(payload, backend context)`. */
export type ForgeResolverFunction = (
  payload: { call: { functionKey: string; payload?: Record<string, unknown> }; context: Record<string, unknown> },
  backend: { principal: { accountId: string }; installContext: string },
) => Promise<unknown>;

export interface IssuePanelSession {
  token: string;
  accountId: string;
  issue: { id: string; key: string; type: string };
  project: { id: string; key: string };
  createdAt: number;
}

export const issuePanelContext = (session: IssuePanelSession, siteUrl: string) => ({
  ...forgeContextEnvelope(session.accountId, siteUrl, ISSUE_PANEL_MODULE_KEY, `ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/${ISSUE_PANEL_MODULE_KEY}`),
  extension: {
    type: ISSUE_PANEL_MODULE_TYPE,
    issue: { id: session.issue.id, key: session.issue.key, type: session.issue.type },
    project: { id: session.project.id, key: session.project.key, type: 'software' },
    isNewToIssue: false,
  },
});

export interface IssuePanelHostOptions {
  state: SandboxState;
  /** Authenticates the page's basic auth (the acting user), as forge-ui-handler does. */
  basicUser: (request: RouterRequest) => SandboxUser | null;
  /** REST as the session's user (`requestJira`). */
  requestJira: (request: RouterRequest, accountId: string) => Promise<RouterResponse>;
  /** The app's panel resolver, as the invoking user (Forge knows the user from the invocation). */
  panelResolverFor: (user: SandboxUser) => ForgeResolverFunction;
  buildDir?: string;
  token: () => string;
  now: () => number;
  log?: Logger;
  sessionHeader: string;
}

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;
const LOG_EVENT = 'sandbox-issue-panel';

const SessionRequestSchema = z.object({
  module: z.literal(ISSUE_PANEL_MODULE_TYPE),
  issueKey: z.string().min(1),
});

const InvokeSchema = z.object({ moduleKey: z.string().min(1), functionKey: z.string().min(1), payload: z.unknown().optional() });

const isPanelSessionRequest = (body: unknown): boolean => !!body && typeof body === 'object' && (body as { module?: unknown }).module === ISSUE_PANEL_MODULE_TYPE;

/** Answers the panel's requests; null for anything that is not the panel's (the rule config page's routes then run). */
export const createIssuePanelHost = (options: IssuePanelHostOptions & { csp: string }) => {
  const { state } = options;
  const log = options.log ?? consoleLogger;
  const build: CustomUiBuild = { dir: options.buildDir ?? DEFAULT_ISSUE_PANEL_BUILD, prefix: FORGE_UI_PATHS.issuePanelPage, what: 'the issue panel', buildCommand: ISSUE_PANEL_BUILD_COMMAND, csp: options.csp };
  const sessions = new Map<string, IssuePanelSession>();
  const header = headerOf;

  const baseUrl = (request: RouterRequest): string => {
    const host = header(request, 'host');
    return host ? `http://${host}` : 'http://localhost:8080';
  };

  const sessionOf = (request: RouterRequest): { session: IssuePanelSession; user: SandboxUser } | null | 'expired' => {
    const token = header(request, options.sessionHeader) ?? request.query.session;
    if (!token) return null;
    const session = sessions.get(token);
    if (!session) return null;
    if (options.now() - session.createdAt > SESSION_TTL_MS) {
      sessions.delete(token);
      return 'expired';
    }
    const user = state.users.find((u) => u.accountId === session.accountId);
    return user && user.active ? { session, user } : 'expired';
  };

  const expired = (): RouterResponse => jiraError(401, ['This issue panel has no valid sandbox session. Reload the issue.']);

  const openSession = (request: RouterRequest): RouterResponse => {
    const user = options.basicUser(request);
    if (!user) return unauthorized();
    const parsed = parseWith(SessionRequestSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const issue = findIssue(state, parsed.value.issueKey);
    if (!issue) return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
    const issueType = (issue.fields.issuetype as { name?: unknown } | undefined)?.name;
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    const session: IssuePanelSession = {
      token: options.token(),
      accountId: user.accountId,
      issue: { id: issue.id, key: issue.key, type: typeof issueType === 'string' ? issueType : 'Change' },
      project: { id: state.project.id, key: state.project.key },
      createdAt: options.now(),
    };
    sessions.set(session.token, session);
    log(LOG_EVENT, { event: 'session-opened', accountId: user.accountId, issueKey: issue.key });
    return json(201, {
      token: session.token,
      url: `${FORGE_UI_PATHS.issuePanelPage}index.html?session=${encodeURIComponent(session.token)}`,
      context: issuePanelContext(session, baseUrl(request)),
    });
  };

  const invoke = async (request: RouterRequest, found: { session: IssuePanelSession; user: SandboxUser }): Promise<RouterResponse> => {
    const parsed = parseWith(InvokeSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const { moduleKey, functionKey, payload } = parsed.value;
    if (moduleKey !== ISSUE_PANEL_MODULE_KEY) return jiraError(400, [`This page was opened for module ${ISSUE_PANEL_MODULE_KEY}, not ${moduleKey}.`]);
    try {
      const result = await options.panelResolverFor(found.user)(
        { call: { functionKey, payload: payload as Record<string, unknown> | undefined }, context: issuePanelContext(found.session, baseUrl(request)) },
        { principal: { accountId: found.user.accountId }, installContext: SANDBOX_INSTALL_CONTEXT },
      );
      log(LOG_EVENT, { event: 'invoke', function: functionKey, accountId: found.user.accountId, issueKey: found.session.issue.key });
      return json(200, result ?? null, noStore());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(LOG_EVENT, { event: 'invoke-failed', function: functionKey, errorName: error instanceof Error ? error.name : typeof error });
      return /has no definition/.test(message) ? jiraError(404, [message]) : jiraError(500, ['The panel resolver threw; see the sandbox log.']);
    }
  };

  return async (request: RouterRequest): Promise<RouterResponse | null> => {
    const method = request.method.toUpperCase();
    const path = request.path;
    if (path === FORGE_UI_PATHS.sessions && method === 'POST' && isPanelSessionRequest(request.body)) return openSession(request);
    if (path.startsWith(FORGE_UI_PATHS.issuePanelPage) && method === 'GET') return serveCustomUiFile(build, path);
    if (path === '/sandbox/custom-ui/issue-panel') return { status: 308, headers: { Location: FORGE_UI_PATHS.issuePanelPage }, body: undefined };
    const isSessionRoute = path === FORGE_UI_PATHS.context || path === FORGE_UI_PATHS.invoke || path.startsWith(`${FORGE_UI_PATHS.jira}/rest/`);
    if (!isSessionRoute) return null;
    const found = sessionOf(request);
    if (found === null) return null; // not a panel session: the rule config page's routes decide
    if (found === 'expired') return expired();
    if (path === FORGE_UI_PATHS.context) return method === 'GET' ? json(200, issuePanelContext(found.session, baseUrl(request)), noStore()) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path === FORGE_UI_PATHS.invoke) return method === 'POST' ? invoke(request, found) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    return options.requestJira(request, found.user.accountId);
  };
};
