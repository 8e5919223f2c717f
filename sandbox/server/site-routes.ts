/** `GET /serverInfo`, `GET /myself`, `GET /mypermissions`, `GET /users/search`, `GET /field`, `GET /status`. */
import type { SandboxField, SandboxStatus } from '../state/sandbox-state';
import { commaList } from './issue-json';
import { mayAdminister, userBean } from './auth';
import { json, jiraError } from './jira-responses';
import { intParam } from './query-params';
import { route, Route, RouteContext } from './route-table';

const COLOR = { new: 'blue-gray', indeterminate: 'yellow', done: 'green' } as Record<string, string>;

/** `FieldDetails` (the state's own `cc81` mapping is not Jira's and stays out). */
export const fieldDetails = (field: SandboxField) => ({
  id: field.id,
  key: field.key,
  name: field.name,
  custom: field.custom,
  orderable: true,
  navigable: true,
  searchable: true,
  clauseNames: field.custom ? [`cf[${field.schema.customId}]`, field.name] : [field.id],
  schema: { ...field.schema },
});

/** `StatusDetails`. */
export const statusDetails = (status: SandboxStatus, baseUrl: string) => ({
  self: `${baseUrl}/rest/api/3/status/${status.id}`,
  description: '',
  iconUrl: `${baseUrl}/images/icons/statuses/generic.png`,
  name: status.name,
  id: status.id,
  statusCategory: {
    self: `${baseUrl}/rest/api/3/statuscategory/${status.statusCategory.id}`,
    id: status.statusCategory.id,
    key: status.statusCategory.key,
    colorName: COLOR[status.statusCategory.key] ?? 'medium-gray',
    name: status.statusCategory.name,
  },
});

/** What Jira Cloud reports of itself (`ServerInformation`); clients such as python-jira read it on connect. */
export const SERVER_VERSION = { version: '1001.0.0-SNAPSHOT', versionNumbers: [1001, 0, 0], buildNumber: 100_300, buildDate: '2026-11-30T00:00:00.000+0000' } as const;

const serverInfo = (ctx: RouteContext) =>
  json(200, {
    baseUrl: ctx.baseUrl,
    displayUrl: ctx.baseUrl,
    ...SERVER_VERSION,
    versionNumbers: [...SERVER_VERSION.versionNumbers],
    deploymentType: 'Cloud',
    serverTime: ctx.deps.clock().toISOString().replace('Z', '+0000'),
    scmInfo: 'sandbox',
    serverTitle: 'Jira (CC8.1 sandbox)',
    serverTimeZone: 'Etc/UTC',
  });

/** `GET /user?accountId=`: a site user (`User`); 404 for an account the site does not have (a deleted one). */
const getUser = (ctx: RouteContext) => {
  const accountId = ctx.request.query.accountId;
  if (!accountId) return jiraError(400, ['The accountId query parameter needs to be provided.']);
  const user = ctx.deps.state.users.find((u) => u.accountId === accountId);
  return user ? json(200, userBean(user, ctx.baseUrl)) : jiraError(404, [`Specified user does not exist or you do not have required permissions`]);
};

/** `GET /myself`; `expand=groups` adds the caller's groups, as Jira does. */
const myself = (ctx: RouteContext) => {
  const bean = userBean(ctx.caller.user, ctx.baseUrl, ctx.caller.isApp);
  if (!commaList(ctx.request.query.expand).includes('groups')) return json(200, bean);
  const groups = ctx.caller.isApp ? [] : ctx.caller.user.groups;
  return json(200, { ...bean, groups: { size: groups.length, items: groups.map((name) => ({ name, groupId: `group-${name}`, self: `${ctx.baseUrl}/rest/api/3/group?groupId=group-${name}` })) } });
};

const searchUsers = (ctx: RouteContext) => {
  const startAt = intParam(ctx.request.query, 'startAt', 0);
  if (!startAt.ok) return startAt.response;
  const maxResults = intParam(ctx.request.query, 'maxResults', 50, { max: 1000 });
  if (!maxResults.ok) return maxResults.response;
  const users = ctx.deps.state.users.slice(startAt.value, startAt.value + maxResults.value);
  return json(200, users.map((user) => userBean(user, ctx.baseUrl)));
};

/** The permissions `mypermissions` can answer: every user may browse CHG; Jira admins (and the app) administer. */
const PERMISSIONS: Record<string, { id: string; name: string; type: 'GLOBAL' | 'PROJECT'; description: string; has: (ctx: RouteContext) => boolean }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows and more.', has: (ctx) => mayAdminister(ctx.caller) },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.', has: () => true },
};

const myPermissions = (ctx: RouteContext) => {
  const wanted = commaList(ctx.request.query.permissions);
  if (!wanted.length) return jiraError(400, ['The permissions parameter is required: a comma-separated list of permission keys, e.g. ADMINISTER.']);
  const unknown = wanted.filter((key) => !PERMISSIONS[key]);
  if (unknown.length) return jiraError(400, [`Unknown permission keys: ${unknown.join(', ')}. The sandbox knows ${Object.keys(PERMISSIONS).join(', ')}.`]);
  return json(200, {
    permissions: Object.fromEntries(
      wanted.map((key) => {
        const p = PERMISSIONS[key]!;
        return [key, { id: p.id, key, name: p.name, type: p.type, description: p.description, havePermission: p.has(ctx) }];
      }),
    ),
  });
};

export const siteRoutes = (): Route[] => [
  route('GET', '/rest/api/3/serverInfo', serverInfo),
  route('GET', '/rest/api/3/myself', myself),
  route('GET', '/rest/api/3/user', getUser),
  route('GET', '/rest/api/3/mypermissions', myPermissions),
  route('GET', '/rest/api/3/users/search', searchUsers),
  route('GET', '/rest/api/3/field', (ctx) => json(200, ctx.deps.state.fields.map(fieldDetails))),
  route('GET', '/rest/api/3/status', (ctx) => json(200, ctx.deps.state.statuses.map((s) => statusDetails(s, ctx.baseUrl)))),
];
