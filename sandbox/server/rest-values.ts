/**
 * Field values as Jira Cloud answers them, built on each response from what the sandbox stores:
 * users with `self`, `avatarUrls` and `timeZone`; status, issue type and project with `self` and
 * icons; options and components with `self` on this site's base URL (clients follow these links).
 */
import { findUser, SandboxState, statusById } from '../state/sandbox-state';
import { statusDetails } from './site-routes';

const avatarUrls = (baseUrl: string, kind: 'user' | 'project', id: string) =>
  Object.fromEntries(['48x48', '24x24', '16x16', '32x32'].map((size) => [size, `${baseUrl}/secure/${kind}avatar?size=${size.split('x')[0]}&${kind === 'user' ? 'accountId' : 'pid'}=${encodeURIComponent(id)}`]));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A user in a field or a changelog: `UserDetails` with the site's time zone for them. */
export const restUser = (state: SandboxState, value: Record<string, unknown>, baseUrl: string): Record<string, unknown> => {
  const accountId = String(value.accountId);
  const known = findUser(state, accountId);
  return {
    self: `${baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    ...value,
    avatarUrls: avatarUrls(baseUrl, 'user', accountId),
    accountType: value.accountType ?? 'atlassian',
    timeZone: known?.timeZone ?? 'Etc/UTC',
  };
};

const restStatus = (state: SandboxState, value: Record<string, unknown>, baseUrl: string) => {
  const status = statusById(state, String(value.id));
  return status ? statusDetails(status, baseUrl) : { ...value, self: `${baseUrl}/rest/api/3/status/${String(value.id)}`, iconUrl: `${baseUrl}/images/icons/statuses/generic.png` };
};

const restIssueType = (value: Record<string, unknown>, baseUrl: string) => ({
  self: `${baseUrl}/rest/api/3/issuetype/${String(value.id)}`,
  description: '',
  iconUrl: `${baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`,
  ...value,
  avatarId: 10318,
  hierarchyLevel: 0,
});

const restProject = (value: Record<string, unknown>, baseUrl: string) => ({
  self: `${baseUrl}/rest/api/3/project/${String(value.id)}`,
  ...value,
  projectTypeKey: 'software',
  simplified: false,
  avatarUrls: avatarUrls(baseUrl, 'project', String(value.id)),
});

/** Any value inside a field: users, options and components found at any depth get their links. */
const restNested = (state: SandboxState, value: unknown, baseUrl: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => restNested(state, item, baseUrl));
  if (!isObject(value)) return value;
  if (typeof value.accountId === 'string') return restUser(state, value, baseUrl);
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restNested(state, v, baseUrl)]));
  if (typeof out.self === 'string' && out.self.includes('/customFieldOption/')) out.self = `${baseUrl}/rest/api/3/customFieldOption/${String(out.id)}`;
  if (typeof out.self === 'string' && out.self.includes('/component/')) out.self = `${baseUrl}/rest/api/3/component/${String(out.id)}`;
  return out;
};

/** A field's value as REST v3 returns it on this site. */
export const restFieldValue = (state: SandboxState, fieldId: string, value: unknown, baseUrl: string): unknown => {
  if (isObject(value) && fieldId === 'status') return restStatus(state, value, baseUrl);
  if (isObject(value) && fieldId === 'issuetype') return restIssueType(value, baseUrl);
  if (isObject(value) && fieldId === 'project') return restProject(value, baseUrl);
  return restNested(state, value, baseUrl);
};
