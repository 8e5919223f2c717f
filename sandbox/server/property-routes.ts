/** Issue properties: the keys (`PropertyKeys`), `GET` (`{key, value}`), `PUT` (201 created / 200 updated; ≤ 32768 bytes), `DELETE` (204). */
import { issueParam } from './issue-routes';
import { empty, issueNotFound, json, jiraError } from './jira-responses';
import { route, Route, RouteContext } from './route-table';

export const PROPERTY_MAX_BYTES = 32_768;
export const PROPERTY_KEY_MAX = 255;

const propertyMissing = (key: string) => jiraError(404, [`The property with key '${key}' does not exist.`]);

const listPropertyKeys = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const base = `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/properties`;
  return json(200, { keys: Object.keys(issue.properties).map((key) => ({ self: `${base}/${encodeURIComponent(key)}`, key })) });
};

const getProperty = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const key = ctx.params.propertyKey!;
  return key in issue.properties ? json(200, { key, value: structuredClone(issue.properties[key]) }) : propertyMissing(key);
};

const setProperty = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const key = ctx.params.propertyKey!;
  if (key.length > PROPERTY_KEY_MAX) return jiraError(400, [`The property key cannot be longer than ${PROPERTY_KEY_MAX} characters.`]);
  const value = ctx.request.body;
  if (value === undefined) return jiraError(400, ['The property value must be valid JSON.']);
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > PROPERTY_MAX_BYTES) {
    return jiraError(400, [`The property value is too long: it must not exceed ${PROPERTY_MAX_BYTES} bytes.`]);
  }
  const existed = key in issue.properties;
  issue.properties[key] = structuredClone(value);
  ctx.deps.log('sandbox-property', { issueKey: issue.key, propertyKey: key, event: existed ? 'updated' : 'created', accountId: ctx.caller.user.accountId });
  return empty(existed ? 200 : 201);
};

const deleteProperty = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const key = ctx.params.propertyKey!;
  if (!(key in issue.properties)) return propertyMissing(key);
  delete issue.properties[key];
  ctx.deps.log('sandbox-property', { issueKey: issue.key, propertyKey: key, event: 'deleted', accountId: ctx.caller.user.accountId });
  return empty(204);
};

export const propertyRoutes = (): Route[] => [
  route('GET', '/rest/api/3/issue/{issueIdOrKey}/properties', listPropertyKeys),
  route('GET', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', getProperty),
  route('PUT', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', setProperty),
  route('DELETE', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', deleteProperty),
];
