/**
 * Authentication as Jira Cloud does it for REST: HTTP basic auth with the user's email address
 * (case-insensitive) and an API token (the sandbox accepts any). Unknown or deactivated users are
 * refused. In-process calls made as the app (`asApp`) skip authentication and act as the app's
 * user; calls made as a user (`asAccountId`) act as that user.
 */
import type { SandboxState, SandboxUser } from '../state/sandbox-state';
import type { RouterRequest } from '../workflow/workflow-port';
import type { Caller } from './route-table';

/** The app's own Jira user (apps act as a user of account type `app`). */
export const SANDBOX_APP_USER: SandboxUser = {
  accountId: '712020:cc81-change-control-app',
  emailAddress: '',
  displayName: 'CC8.1 Change Control',
  active: true,
  groups: ['atlassian-addons-admin'],
  timeZone: 'UTC',
};

const header = (request: RouterRequest, name: string): string | undefined => {
  const found = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
};

/** The email address in a `Basic` authorization header, or null. */
export const basicAuthEmail = (authorization: string | undefined): string | null => {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
};

/** Who the request acts as, or null (answer 401). */
export const authenticate = (state: SandboxState, request: RouterRequest): Caller | null => {
  if (request.asApp) return { user: SANDBOX_APP_USER, isApp: true };
  let user: SandboxUser | undefined;
  if (request.asAccountId !== undefined) {
    user = state.users.find((u) => u.accountId === request.asAccountId);
  } else {
    const email = basicAuthEmail(header(request, 'authorization'))?.toLowerCase();
    user = email ? state.users.find((u) => u.emailAddress.toLowerCase() === email) : undefined;
  }
  return user && user.active ? { user, isApp: false } : null;
};

/** The Jira group whose members have the Administer Jira global permission in the sandbox. */
export const JIRA_ADMINS_GROUP = 'jira-administrators';

export const isJiraAdmin = (user: SandboxUser): boolean => user.active && user.groups.includes(JIRA_ADMINS_GROUP);

/**
 * Whether the caller may use a Jira-admin-only endpoint: a Jira admin, or the app itself (it has
 * `manage:jira-configuration`).
 */
export const mayAdminister = (caller: Caller): boolean => caller.isApp || isJiraAdmin(caller.user);

/** A user as `/myself` and `/users/search` return it (`User`). */
export const userBean = (user: SandboxUser, baseUrl: string, isApp = false) => ({
  self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
  accountId: user.accountId,
  accountType: isApp ? 'app' : 'atlassian',
  ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}),
  displayName: user.displayName,
  active: user.active,
  timeZone: user.timeZone,
  locale: 'en_US',
});
