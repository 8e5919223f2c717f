/**
 * A small in-memory stand-in for the sandbox's HTTP router (sandbox/server): it serves, from a
 * `SandboxState`, the REST the app's workflow handlers call (GET issue with `fields` and
 * `properties`, POST changelog/bulkfetch, GET/PUT issue property), and records every request.
 */
import { ChangeHistory, findIssue, SandboxState } from '../../sandbox/state/sandbox-state';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../../sandbox/workflow/workflow-port';

const json = (status: number, body: unknown): RouterResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body });
const issueNotFound = () => json(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });

export interface StateRouter {
  router: SandboxRouter;
  requests: RouterRequest[];
  /** `METHOD path` of each request. */
  endpoints(): string[];
}

export const stateRouter = (state: SandboxState): StateRouter => {
  const requests: RouterRequest[] = [];

  const getIssue = (idOrKey: string, query: Record<string, string>): RouterResponse => {
    const issue = findIssue(state, idOrKey);
    if (!issue) return issueNotFound();
    const wanted = (query.fields ?? '*all').split(',');
    const fields = wanted.includes('*all') ? issue.fields : Object.fromEntries(Object.entries(issue.fields).filter(([id]) => wanted.includes(id)));
    const props = (query.properties ?? '').split(',').filter(Boolean);
    const properties = Object.fromEntries(props.filter((p) => p in issue.properties).map((p) => [p, issue.properties[p]]));
    return json(200, { id: issue.id, key: issue.key, self: `http://localhost/rest/api/3/issue/${issue.id}`, fields, ...(props.length ? { properties } : {}) });
  };

  const bulkfetch = (body: unknown): RouterResponse => {
    const request = body as { issueIdsOrKeys?: unknown; fieldIds?: unknown; maxResults?: unknown };
    if (!Array.isArray(request?.issueIdsOrKeys)) return json(400, { errorMessages: ['issueIdsOrKeys is required'], errors: {} });
    const fieldIds = Array.isArray(request.fieldIds) ? request.fieldIds.map(String) : null;
    const issueChangeLogs = request.issueIdsOrKeys
      .map((k) => findIssue(state, String(k)))
      .filter((issue) => issue !== undefined)
      .map((issue) => ({
        issueId: issue.id,
        changeHistories: issue.changelog
          .map((h): ChangeHistory => ({ ...h, items: fieldIds ? h.items.filter((item) => fieldIds.includes(item.fieldId)) : h.items }))
          .filter((h) => h.items.length > 0),
      }))
      .filter((log) => log.changeHistories.length > 0);
    return json(200, { issueChangeLogs, nextPageToken: null });
  };

  const property = (method: string, idOrKey: string, key: string, body: unknown): RouterResponse => {
    const issue = findIssue(state, idOrKey);
    if (!issue) return issueNotFound();
    if (method === 'GET') {
      return key in issue.properties
        ? json(200, { key, value: issue.properties[key] })
        : json(404, { errorMessages: [`The property with key '${key}' does not exist.`], errors: {} });
    }
    const existed = key in issue.properties;
    issue.properties[key] = body;
    return { status: existed ? 200 : 201, headers: {}, body: undefined };
  };

  const router: SandboxRouter = async (request) => {
    requests.push(JSON.parse(JSON.stringify(request)) as RouterRequest);
    const issueMatch = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && issueMatch) return getIssue(issueMatch[1]!, request.query);
    if (request.method === 'POST' && request.path === '/rest/api/3/changelog/bulkfetch') return bulkfetch(request.body);
    const propMatch = /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/.exec(request.path);
    if (propMatch && (request.method === 'GET' || request.method === 'PUT')) return property(request.method, propMatch[1]!, propMatch[2]!, request.body);
    return json(404, { errorMessages: [`No route for ${request.method} ${request.path}`], errors: {} });
  };

  return { router, requests, endpoints: () => requests.map((r) => `${r.method} ${r.path}`) };
};
