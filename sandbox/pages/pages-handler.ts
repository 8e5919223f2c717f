/**
 * The sandbox's browser pages, served next to the REST router: `GET /` (the single-page UI),
 * its script and stylesheet, `GET /sandbox/api/users` (the user switcher's list; no auth, sandbox
 * only), `GET /sandbox/rules` (the installed rules as HTML, with its
 * script: the rule config dialog), `GET /sandbox/api/rules` (as JSON) and `GET /sandbox/admin` (Jira
 * settings → Apps → CC8.1 Change Control: the app's admin page in an iframe, with its script).
 * Anything else resolves to null so the server can fall through to the REST router.
 *
 * Text responses (HTML, JS, CSS) have a string body, to be written as is; JSON responses have the
 * value as body, to be serialized as the router's are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../demo/demo-users';
import type { SandboxState, SandboxUser } from '../state/sandbox-state';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';
import { ADMIN_SCRIPT_PATH, ADMIN_SETTINGS_PATH, EVIDENCE_PAGE_PATH, renderAdminSettingsPage, renderEvidencePage } from './admin-settings-page';
import { ASSET_PATHS, renderAppPage } from './app-page';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES } from './html';
import { buildPageConfig } from './page-config';
import { renderRulesPage, RULES_SCRIPT_PATH, RulesSource } from './rules-page';

export interface PagesHandlerOptions {
  state: SandboxState;
  /** The installed rules per transition (the workflow engine's `installedRules()`), shown on `/sandbox/rules`. */
  rules?: () => unknown;
}

export type PagesHandler = (request: RouterRequest) => Promise<RouterResponse | null>;

/** A user as the switcher lists them. `role` names the demo role when the user is a demo user. */
export interface SandboxUiUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  groups: string[];
  active: boolean;
  role: string | null;
}

export const PAGE_PATHS = {
  app: '/',
  users: '/sandbox/api/users',
  rules: '/sandbox/rules',
  rulesJson: '/sandbox/api/rules',
  rulesScript: RULES_SCRIPT_PATH,
  admin: ADMIN_SETTINGS_PATH,
  evidence: EVIDENCE_PAGE_PATH,
  adminScript: ADMIN_SCRIPT_PATH,
  ...ASSET_PATHS,
} as const;

const ASSET_DIR = join(__dirname, 'assets');

const DEMO_ROLE_BY_ACCOUNT = new Map<string, string>(Object.entries(DEMO_USERS).map(([role, user]) => [user.accountId, role]));

const roleOf = (user: SandboxUser): string | null => DEMO_ROLE_BY_ACCOUNT.get(user.accountId) ?? null;

export const uiUsers = (state: SandboxState): SandboxUiUser[] =>
  state.users.map((user) => ({
    accountId: user.accountId,
    displayName: user.displayName,
    emailAddress: user.emailAddress,
    groups: [...user.groups],
    active: user.active,
    role: roleOf(user),
  }));

const headers = (contentType: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'Content-Type': contentType,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  ...extra,
});

const html = (status: number, body: string): RouterResponse => ({
  status,
  headers: headers(CONTENT_TYPES.html, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer' }),
  body,
});
const json = (status: number, body: unknown): RouterResponse => ({ status, headers: headers(CONTENT_TYPES.json), body });

const readRules = (rules: (() => unknown) | undefined): RulesSource => {
  if (!rules) return { ok: false, reason: 'not-configured' };
  try {
    return { ok: true, data: JSON.parse(JSON.stringify(rules() ?? null)) as unknown };
  } catch (error) {
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
};

export const createPagesHandler = ({ state, rules }: PagesHandlerOptions): PagesHandler => {
  const assets = new Map<string, { contentType: string; body: string }>();
  const asset = (path: string, file: string, contentType: string): RouterResponse => {
    let loaded = assets.get(path);
    if (!loaded) {
      loaded = { contentType, body: readFileSync(join(ASSET_DIR, file), 'utf8') };
      assets.set(path, loaded);
    }
    return { status: 200, headers: headers(loaded.contentType), body: loaded.body };
  };

  return async (request) => {
    if (request.method !== 'GET') return null;
    switch (request.path) {
      case PAGE_PATHS.app:
        return html(200, renderAppPage(buildPageConfig(state)));
      case PAGE_PATHS.script:
        return asset(PAGE_PATHS.script, 'sandbox-ui.js', CONTENT_TYPES.js);
      case PAGE_PATHS.rulesScript:
        return asset(PAGE_PATHS.rulesScript, 'sandbox-rules.js', CONTENT_TYPES.js);
      case PAGE_PATHS.admin:
        return html(200, renderAdminSettingsPage());
      case PAGE_PATHS.evidence:
        return html(200, renderEvidencePage());
      case PAGE_PATHS.adminScript:
        return asset(PAGE_PATHS.adminScript, 'sandbox-admin.js', CONTENT_TYPES.js);
      case PAGE_PATHS.usersScript:
        return asset(PAGE_PATHS.usersScript, 'sandbox-users.js', CONTENT_TYPES.js);
      case PAGE_PATHS.style:
        return asset(PAGE_PATHS.style, 'sandbox-ui.css', CONTENT_TYPES.css);
      case PAGE_PATHS.users:
        return json(200, uiUsers(state));
      case PAGE_PATHS.rules: {
        const source = readRules(rules);
        return html(source.ok || source.reason === 'not-configured' ? 200 : 500, renderRulesPage(source));
      }
      case PAGE_PATHS.rulesJson: {
        const source = readRules(rules);
        if (source.ok) return json(200, source.data);
        const message = source.reason === 'failed' ? source.message : 'No rules source is configured in this sandbox.';
        return json(source.reason === 'failed' ? 500 : 404, { errorMessages: [message], errors: {} });
      }
      default:
        return null;
    }
  };
};
