/**
 * Jira's side of the app's admin page (Custom UI, `jira:adminPage` module `cc81-admin-page`, opened
 * from Jira settings → Apps), next to the issue panel's and the rule config page's routes:
 *
 * - `POST /sandbox/forge/sessions` `{ module: 'jira:adminPage' }` (basic auth, the page's acting
 *   user): Jira admins only (403 otherwise), as Jira shows admin pages only to them. Answers the
 *   session token and the iframe URL.
 * - `GET /sandbox/forge/context?session=…` / `POST /sandbox/forge/invoke` for an admin session: the
 *   page's Forge context, built here (the account from the session, `license.isActive` from the
 *   sandbox's state at that moment), and the app's admin resolver (manifest function
 *   `admin-resolver`), called the way Forge calls `getDefinitions()`, as the session's user. The
 *   admin check is repeated on every call: a user removed from the admins' group loses the page.
 * - `/sandbox/forge/jira/rest/…` for an admin session: `requestJira` as the session's user.
 * - `GET /sandbox/custom-ui/admin-page/…`: the page's sandbox build (static/admin-page/build-sandbox).
 *
 * Anything else resolves to null (the next host decides).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { consoleLogger, type Logger } from '../../src/ports/logger';
import { FORGE_UI_PATHS } from '../bridge/protocol';
import { SANDBOX_INSTALL_CONTEXT } from '../forge-runtime/forge-payloads';
import { jiraError, json, parseWith, unauthorized } from '../server/jira-responses';
import type { SandboxState, SandboxUser } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';
import { headerOf, noStore, serveCustomUiFile, type CustomUiBuild } from './custom-ui-build';
import { forgeContextEnvelope } from './forge-context';

/** `module` of a `POST /sandbox/forge/sessions` body that opens the admin page. */
export const ADMIN_PAGE_MODULE_TYPE = 'jira:adminPage';
/** The manifest's `jira:adminPage` module key and its resolver function. */
export const ADMIN_PAGE_MODULE_KEY = 'cc81-admin-page';
/** The project's evidence page (`jira:projectPage`): the same resource and resolver, for anyone who can browse the project; the resolver decides who may export. */
export const EVIDENCE_PAGE_MODULE_TYPE = 'jira:projectPage';
export const EVIDENCE_PAGE_MODULE_KEY = 'cc81-evidence-page';
type PageModule = typeof ADMIN_PAGE_MODULE_TYPE | typeof EVIDENCE_PAGE_MODULE_TYPE;
const MODULE_KEYS: Record<PageModule, string> = { [ADMIN_PAGE_MODULE_TYPE]: ADMIN_PAGE_MODULE_KEY, [EVIDENCE_PAGE_MODULE_TYPE]: EVIDENCE_PAGE_MODULE_KEY };
export const ADMIN_FUNCTION = 'admin-resolver';
/** Where the page's sandbox build is served. */
export const ADMIN_PAGE_PATH = '/sandbox/custom-ui/admin-page/';

/** Where `vite build --config static/admin-page/vite.sandbox.config.mts` writes. */
export const DEFAULT_ADMIN_PAGE_BUILD = resolve(__dirname, '..', '..', 'static', 'admin-page', 'build-sandbox');
export const ADMIN_PAGE_BUILD_COMMAND = 'npx vite build --config static/admin-page/vite.sandbox.config.mts';

/** The admin resolver as `new Resolver().getDefinitions()` returns it; Forge puts the license in the backend payload. */
export type AdminResolverFunction = (
  payload: { call: { functionKey: string; payload?: Record<string, unknown> }; context: Record<string, unknown> },
  backend: { principal: { accountId: string }; installContext: string; license: { isActive: boolean } },
) => Promise<unknown>;

export interface AdminPageSession {
  token: string;
  accountId: string;
  createdAt: number;
  /** Which page the session opened (the admin page by default). */
  module?: PageModule;
}

export const adminPageContext = (session: Pick<AdminPageSession, 'accountId' | 'module'>, siteUrl: string, licensed: boolean, project?: { id: string; key: string }) => {
  const module = session.module ?? ADMIN_PAGE_MODULE_TYPE;
  const key = MODULE_KEYS[module];
  return {
    ...forgeContextEnvelope(session.accountId, siteUrl, key, `ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/${key}`),
    license: { isActive: licensed },
    extension: module === EVIDENCE_PAGE_MODULE_TYPE && project ? { type: module, project } : { type: module },
  };
};

export interface AdminPageHostOptions {
  state: SandboxState;
  /** Authenticates the page's basic auth (the acting user), as forge-ui-handler does. */
  basicUser: (request: RouterRequest) => SandboxUser | null;
  /** Whether a user has the Administer Jira global permission (forge-ui-handler's `isJiraAdmin`). */
  isAdmin: (user: SandboxUser) => boolean;
  /** REST as the session's user (`requestJira`). */
  requestJira: (request: RouterRequest, accountId: string) => Promise<RouterResponse>;
  /** The app's admin resolver, as the invoking user. */
  adminResolverFor: (user: SandboxUser) => AdminResolverFunction;
  buildDir?: string;
  token: () => string;
  now: () => number;
  log?: Logger;
  sessionHeader: string;
  csp: string;
}

const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;
const LOG_EVENT = 'sandbox-admin-page';

const InvokeSchema = z.object({ moduleKey: z.string().min(1), functionKey: z.string().min(1), payload: z.unknown().optional() });

const requestedModule = (body: unknown): PageModule | null => {
  const module = !!body && typeof body === 'object' ? (body as { module?: unknown }).module : undefined;
  return module === ADMIN_PAGE_MODULE_TYPE || module === EVIDENCE_PAGE_MODULE_TYPE ? module : null;
};
/** Only the admin page is for Jira admins alone; the evidence page is for anyone, its resolver decides. */
const adminsOnly = (session: AdminPageSession): boolean => (session.module ?? ADMIN_PAGE_MODULE_TYPE) === ADMIN_PAGE_MODULE_TYPE;

const notAdmin = (user: SandboxUser): RouterResponse =>
  jiraError(403, [`Only Jira admins can open the CC8.1 settings (Jira settings → Apps); ${user.displayName} is not one.`]);

/** Answers the admin page's requests; null for anything that is not the admin page's. */
export const createAdminPageHost = (options: AdminPageHostOptions) => {
  const { state } = options;
  const log = options.log ?? consoleLogger;
  const build: CustomUiBuild = { dir: options.buildDir ?? DEFAULT_ADMIN_PAGE_BUILD, prefix: ADMIN_PAGE_PATH, what: 'the admin page', buildCommand: ADMIN_PAGE_BUILD_COMMAND, csp: options.csp };
  const sessions = new Map<string, AdminPageSession>();

  const siteUrl = (request: RouterRequest): string => {
    const host = headerOf(request, 'host');
    return host ? `http://${host}` : 'http://localhost:8080';
  };

  const context = (session: AdminPageSession, request: RouterRequest) => adminPageContext(session, siteUrl(request), state.licensed, { id: state.project.id, key: state.project.key });

  /** The admin session a request carries: null when it carries none (another host's), 'expired', or the session and its user. */
  const sessionOf = (request: RouterRequest): { session: AdminPageSession; user: SandboxUser } | null | 'expired' => {
    const token = headerOf(request, options.sessionHeader) ?? request.query.session;
    const session = token ? sessions.get(token) : undefined;
    if (!session) return null;
    if (options.now() - session.createdAt > SESSION_TTL_MS) {
      sessions.delete(session.token);
      return 'expired';
    }
    const user = state.users.find((u) => u.accountId === session.accountId);
    return user && user.active ? { session, user } : 'expired';
  };

  const openSession = (request: RouterRequest, module: PageModule): RouterResponse => {
    const user = options.basicUser(request);
    if (!user) return unauthorized();
    if (module === ADMIN_PAGE_MODULE_TYPE && !options.isAdmin(user)) {
      log(LOG_EVENT, { event: 'session-refused', accountId: user.accountId });
      return notAdmin(user);
    }
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    const session: AdminPageSession = { token: options.token(), accountId: user.accountId, createdAt: options.now(), module };
    sessions.set(session.token, session);
    log(LOG_EVENT, { event: 'session-opened', accountId: user.accountId });
    return json(201, { token: session.token, url: `${ADMIN_PAGE_PATH}index.html?session=${encodeURIComponent(session.token)}`, context: context(session, request) });
  };

  const invoke = async (request: RouterRequest, { session, user }: { session: AdminPageSession; user: SandboxUser }): Promise<RouterResponse> => {
    if (adminsOnly(session) && !options.isAdmin(user)) return notAdmin(user);
    const parsed = parseWith(InvokeSchema, request.body ?? {});
    if (!parsed.ok) return parsed.response;
    const { moduleKey, functionKey, payload } = parsed.value;
    const opened = MODULE_KEYS[session.module ?? ADMIN_PAGE_MODULE_TYPE];
    if (moduleKey !== opened) return jiraError(400, [`This page was opened for module ${opened}, not ${moduleKey}.`]);
    const licensed = state.licensed;
    try {
      const result = await options.adminResolverFor(user)(
        { call: { functionKey, payload: payload as Record<string, unknown> | undefined }, context: context(session, request) },
        { principal: { accountId: user.accountId }, installContext: SANDBOX_INSTALL_CONTEXT, license: { isActive: licensed } },
      );
      log(LOG_EVENT, { event: 'invoke', function: functionKey, accountId: user.accountId, licensed });
      return json(200, result ?? null, noStore());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(LOG_EVENT, { event: 'invoke-failed', function: functionKey, errorName: error instanceof Error ? error.name : typeof error });
      return /has no definition/.test(message) ? jiraError(404, [message]) : jiraError(500, ['The admin resolver threw; see the sandbox log.']);
    }
  };

  return async (request: RouterRequest): Promise<RouterResponse | null> => {
    const method = request.method.toUpperCase();
    const path = request.path;
    const module = path === FORGE_UI_PATHS.sessions && method === 'POST' ? requestedModule(request.body) : null;
    if (module) return openSession(request, module);
    if (path.startsWith(ADMIN_PAGE_PATH) && method === 'GET') return serveCustomUiFile(build, path);
    if (path === ADMIN_PAGE_PATH.slice(0, -1)) return { status: 308, headers: { Location: ADMIN_PAGE_PATH }, body: undefined };
    const isSessionRoute = path === FORGE_UI_PATHS.context || path === FORGE_UI_PATHS.invoke || path.startsWith(`${FORGE_UI_PATHS.jira}/rest/`);
    if (!isSessionRoute) return null;
    const found = sessionOf(request);
    if (found === null) return null; // not an admin session: the other hosts decide
    if (found === 'expired') return jiraError(401, ['This admin page has no valid sandbox session. Reload the page.']);
    if (adminsOnly(found.session) && !options.isAdmin(found.user)) return notAdmin(found.user);
    if (path === FORGE_UI_PATHS.context) return method === 'GET' ? json(200, context(found.session, request), noStore()) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    if (path === FORGE_UI_PATHS.invoke) return method === 'POST' ? invoke(request, found) : jiraError(405, [`${method} is not allowed on ${path}.`]);
    return options.requestJira(request, found.user.accountId);
  };
};
