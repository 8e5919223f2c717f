/** `GET /project/search` and `GET /project/{projectIdOrKey}`: the site's one project, CHG. */
import type { SandboxState } from '../state/sandbox-state';
import { commaList } from './issue-json';
import { json, jiraError } from './jira-responses';
import { intParam } from './query-params';
import { route, Route, RouteContext } from './route-table';

export const PROJECT_NOT_FOUND = 'No project could be found with key or id';

const issueTypeDetails = (state: SandboxState, baseUrl: string) => ({
  self: `${baseUrl}/rest/api/3/issuetype/${state.issueType.id}`,
  id: state.issueType.id,
  name: state.issueType.name,
  description: 'A change to a production system, under CC8.1 change control.',
  iconUrl: `${baseUrl}/images/icons/issuetypes/task.svg`,
  subtask: false,
  hierarchyLevel: 0,
});

/** `Project`, with the issue types when asked (always for `GET /project/{key}`, as Jira does). */
export const projectJson = (state: SandboxState, baseUrl: string, withIssueTypes: boolean) => ({
  self: `${baseUrl}/rest/api/3/project/${state.project.id}`,
  id: state.project.id,
  key: state.project.key,
  name: state.project.name,
  projectTypeKey: 'software',
  // `classic` is company-managed; team-managed (`next-gen`) projects are `simplified`.
  style: state.projectStyle,
  simplified: state.projectStyle === 'next-gen',
  isPrivate: false,
  ...(withIssueTypes ? { issueTypes: [issueTypeDetails(state, baseUrl)] } : {}),
});

const matchesProject = (state: SandboxState, idOrKey: string): boolean => idOrKey === state.project.id || idOrKey.toUpperCase() === state.project.key;

const searchProjects = (ctx: RouteContext) => {
  const startAt = intParam(ctx.request.query, 'startAt', 0);
  if (!startAt.ok) return startAt.response;
  const maxResults = intParam(ctx.request.query, 'maxResults', 50, { min: 1, max: 100 });
  if (!maxResults.ok) return maxResults.response;
  const { state } = ctx.deps;
  const { keys, query, id, expand } = ctx.request.query;
  const wantedKeys = commaList(keys).map((k) => k.toUpperCase());
  const wantedIds = commaList(id);
  const text = query?.trim().toLowerCase();
  const matches =
    (!wantedKeys.length || wantedKeys.includes(state.project.key)) &&
    (!wantedIds.length || wantedIds.includes(state.project.id)) &&
    (!text || state.project.key.toLowerCase().includes(text) || state.project.name.toLowerCase().includes(text));
  const all = matches ? [projectJson(state, ctx.baseUrl, commaList(expand).includes('issueTypes'))] : [];
  const values = all.slice(startAt.value, startAt.value + maxResults.value);
  return json(200, {
    self: `${ctx.baseUrl}/rest/api/3/project/search?startAt=${startAt.value}&maxResults=${maxResults.value}`,
    maxResults: maxResults.value,
    startAt: startAt.value,
    total: all.length,
    isLast: startAt.value + values.length >= all.length,
    values,
  });
};

const getProject = (ctx: RouteContext) =>
  matchesProject(ctx.deps.state, ctx.params.projectIdOrKey!)
    ? json(200, projectJson(ctx.deps.state, ctx.baseUrl, true))
    : jiraError(404, [`${PROJECT_NOT_FOUND} '${ctx.params.projectIdOrKey}'.`]);

export const projectRoutes = (): Route[] => [
  route('GET', '/rest/api/3/project/search', searchProjects),
  route('GET', '/rest/api/3/project/{projectIdOrKey}', getProject),
];
