/**
 * `POST /search/jql` (and `GET`): JQL over the sandbox's issues, paged with `nextPageToken`
 * (a cursor: every issue exactly once, even when issues change between pages), no `total`.
 * `fields` defaults to `id` as documented (issues are then `{ id }` only); `maxResults` defaults
 * to 50 and is capped at 5000; at most 5 `properties`.
 */
import { z } from 'zod';
import { compileSearch, JqlError } from '../jql';
import { commaList, fieldNames, fieldSchemas, isIdOnly, issueBean, parseView } from './issue-json';
import { json, jiraError, parseWith } from './jira-responses';
import { decodePageToken, encodePageToken, INVALID_PAGE_TOKEN } from './page-token';
import { route, Route, RouteContext } from './route-table';

export const SEARCH_DEFAULT_MAX_RESULTS = 50;
export const SEARCH_MAX_RESULTS = 5000;
export const SEARCH_MAX_PROPERTIES = 5;

/** `SearchAndReconcileRequestBean`. */
const SearchRequestSchema = z.strictObject({
  jql: z.string().optional(),
  nextPageToken: z.string().min(1).optional(),
  maxResults: z.number().int().min(1).optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).max(50).optional(),
  failFast: z.boolean().optional(),
});
type SearchRequest = z.infer<typeof SearchRequestSchema>;

const search = (ctx: RouteContext, request: SearchRequest) => {
  const { state, clock } = ctx.deps;
  const jql = request.jql ?? '';
  const properties = commaList(request.properties);
  if (properties.length > SEARCH_MAX_PROPERTIES) return jiraError(400, [`At most ${SEARCH_MAX_PROPERTIES} issue properties can be requested.`]);
  const after = request.nextPageToken === undefined ? null : decodePageToken(request.nextPageToken, jql);
  if (request.nextPageToken !== undefined && after === null) return jiraError(400, [INVALID_PAGE_TOKEN]);

  let compiled;
  try {
    compiled = compileSearch(jql, { state, now: clock(), searcher: { accountId: ctx.caller.user.accountId, timeZone: ctx.caller.user.timeZone } });
  } catch (error) {
    if (error instanceof JqlError) return jiraError(400, error.messages);
    throw error;
  }
  const maxResults = Math.min(request.maxResults ?? SEARCH_DEFAULT_MAX_RESULTS, SEARCH_MAX_RESULTS);
  const matching = state.issues
    .filter((issue) => compiled.matches(issue))
    .map((issue) => ({ issue, key: compiled.sortKey(issue) }))
    .filter((entry) => after === null || compiled.compare(after, entry.key) < 0)
    .sort((a, b) => compiled.compare(a.key, b.key));
  const page = matching.slice(0, maxResults);
  const fields = commaList(request.fields);
  const view = parseView(fields.length ? fields : ['id'], commaList(request.expand), properties);
  const idOnly = isIdOnly(view.fields) && !properties.length && !view.expand.size;
  const issues = page.map(({ issue }) => (idOnly ? { id: issue.id } : issueBean(state, issue, view, ctx.baseUrl, { topLevel: false })));
  const isLast = matching.length <= maxResults;
  const last = page.at(-1);
  ctx.deps.log('sandbox-search', { returned: issues.length, isLast, accountId: ctx.caller.user.accountId });
  // `names` and `schema` describe the fields of every issue returned: once, at the top level, as Jira answers.
  const fieldIds = [...new Set(issues.flatMap((issue) => Object.keys((issue as { fields?: object }).fields ?? {})))];
  return json(200, {
    issues,
    ...(view.expand.has('names') ? { names: fieldNames(state, fieldIds) } : {}),
    ...(view.expand.has('schema') ? { schema: fieldSchemas(state, fieldIds) } : {}),
    ...(isLast || !last ? {} : { nextPageToken: encodePageToken(jql, last.key) }),
    isLast,
  });
};

const searchPost = (ctx: RouteContext) => {
  const parsed = parseWith(SearchRequestSchema, ctx.request.body ?? {});
  return parsed.ok ? search(ctx, parsed.value) : parsed.response;
};

const searchGet = (ctx: RouteContext) => {
  const { query } = ctx.request;
  const maxResults = query.maxResults === undefined ? undefined : Number(query.maxResults);
  const parsed = parseWith(SearchRequestSchema, {
    ...(query.jql !== undefined ? { jql: query.jql } : {}),
    ...(query.nextPageToken !== undefined ? { nextPageToken: query.nextPageToken } : {}),
    ...(maxResults !== undefined ? { maxResults } : {}),
    ...(query.fields !== undefined ? { fields: commaList(query.fields) } : {}),
    ...(query.expand !== undefined ? { expand: query.expand } : {}),
    ...(query.properties !== undefined ? { properties: commaList(query.properties) } : {}),
  });
  return parsed.ok ? search(ctx, parsed.value) : parsed.response;
};

/** What Jira Cloud answers the removed `/search` since its shutdown (CHANGE-2046), word for word. */
export const SEARCH_REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const searchRemoved = () => jiraError(410, [SEARCH_REMOVED]);

export const searchRoutes = (): Route[] => [
  route('POST', '/rest/api/3/search/jql', searchPost),
  route('GET', '/rest/api/3/search/jql', searchGet),
  route('GET', '/rest/api/3/search', searchRemoved),
  route('POST', '/rest/api/3/search', searchRemoved),
];
