/**
 * The workflows REST API for the project's workflow (Jira admins and the app only):
 * `POST /workflows` (read), `POST /workflows/update` (replace the transitions, against the
 * document version; top-level `statuses` required, as Jira resolves the workflow's status
 * references against them), `GET /workflows/capabilities` (the rules the editor offers), and where
 * the workflow is used: `GET /workflow/{id}/projectUsages` and
 * `GET /workflow/{id}/project/{projectId}/issueTypeUsages` (paged with `nextPageToken`).
 */
import { WorkflowReadRequestSchema, WorkflowUpdateRequestSchema } from '../../src/jira/workflow-schemas';
import { applyWorkflowUpdate, copyWorkflow, workflowStatusesJson } from '../state/workflow-document';
import { offeredRules } from '../state/app-rules-install';
import { mayAdminister } from './auth';
import { forbiddenForNonAdmin, jiraError, json, parseWith } from './jira-responses';
import { decodePageToken, encodePageToken } from './page-token';
import { route, Route, RouteContext } from './route-table';

const readWorkflows = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('read workflows');
  const parsed = parseWith(WorkflowReadRequestSchema, ctx.request.body ?? {});
  if (!parsed.ok) return parsed.response;
  const { state } = ctx.deps;
  const { projectAndIssueTypes, workflowIds, workflowNames } = parsed.value;
  const asked = projectAndIssueTypes !== undefined || workflowIds !== undefined || workflowNames !== undefined;
  const matches =
    !asked ||
    (projectAndIssueTypes ?? []).some((pair) => pair.projectId === state.project.id && pair.issueTypeId === state.issueType.id) ||
    (workflowIds ?? []).includes(state.workflow.id) ||
    (workflowNames ?? []).includes(state.workflow.name);
  const workflows = matches ? [copyWorkflow(state.workflow)] : [];
  ctx.deps.log('sandbox-workflows', { event: 'read', found: workflows.length, accountId: ctx.caller.user.accountId });
  return json(200, { statuses: workflows.flatMap((w) => workflowStatusesJson(state, w)), workflows });
};

const updateWorkflows = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('edit workflows');
  const parsed = parseWith(WorkflowUpdateRequestSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { state, log } = ctx.deps;
  const outcome = applyWorkflowUpdate(state, parsed.value);
  if (!outcome.ok) {
    log('sandbox-workflows', { event: 'update-refused', status: outcome.status, accountId: ctx.caller.user.accountId });
    return jiraError(outcome.status, outcome.errorMessages, outcome.errors);
  }
  log('sandbox-workflows', { event: 'updated', workflowId: outcome.workflow.id, versionNumber: outcome.workflow.version.versionNumber, accountId: ctx.caller.user.accountId });
  // Jira answers a taskId only for updates that migrate issues; the sandbox never needs one.
  return json(200, { statuses: workflowStatusesJson(state, outcome.workflow), workflows: [outcome.workflow], taskId: null });
};

/** Jira's bounds on usage pages: `maxResults` 1–200, default 50. */
const usagePage = (ctx: RouteContext, ids: readonly string[]) => {
  const raw = ctx.request.query.maxResults;
  const size = raw === undefined || raw === '' ? 50 : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 200) return { ok: false as const, response: jiraError(400, ['The maxResults parameter must be an integer between 1 and 200.']) };
  const identity = { path: ctx.request.path, size };
  const token = ctx.request.query.nextPageToken;
  let start = 0;
  if (token !== undefined && token !== '') {
    const cursor = decodePageToken(token, identity);
    if (!cursor || typeof cursor[0] !== 'number') return { ok: false as const, response: jiraError(400, ['Invalid format of nextPageToken']) };
    start = cursor[0];
  }
  const values = ids.slice(start, start + size).map((id) => ({ id }));
  const next = start + size < ids.length ? encodePageToken(identity, [start + size]) : null;
  return { ok: true as const, page: { ...(next ? { nextPageToken: next } : {}), values } };
};

const usedBy = (ctx: RouteContext) => ctx.deps.state.workflowAlsoUsedBy ?? { projectIds: [], issueTypeIds: [] };

const projectUsages = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('see where workflows are used');
  const { state } = ctx.deps;
  if (ctx.params.workflowId !== state.workflow.id) return jiraError(404, [`Workflow ${ctx.params.workflowId} does not exist.`]);
  const page = usagePage(ctx, [state.project.id, ...usedBy(ctx).projectIds]);
  if (!page.ok) return page.response;
  return json(200, { projects: page.page, workflowId: state.workflow.id });
};

const issueTypeUsages = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('see where workflows are used');
  const { state } = ctx.deps;
  const projectId = ctx.params.projectId!;
  if (!/^\d+$/.test(projectId)) return jiraError(400, [`The project id '${projectId}' is not a number.`]);
  if (ctx.params.workflowId !== state.workflow.id) return jiraError(404, [`Workflow ${ctx.params.workflowId} does not exist.`]);
  const shared = usedBy(ctx);
  // In the CHG project: Change and the scenario's other issue types; in another project sharing it: its Change-like type.
  const ids = projectId === state.project.id ? [state.issueType.id, ...shared.issueTypeIds] : shared.projectIds.includes(projectId) ? [state.issueType.id] : [];
  const page = usagePage(ctx, ids);
  if (!page.ok) return page.response;
  return json(200, { issueTypes: page.page, projectId, workflowId: state.workflow.id });
};

const capabilities = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('see workflow capabilities');
  const { state } = ctx.deps;
  const { workflowId, projectId, issueTypeId } = ctx.request.query;
  if (!workflowId && !(projectId && issueTypeId)) return jiraError(400, ['Provide a workflowId, or a projectId and an issueTypeId.']);
  const found = workflowId ? workflowId === state.workflow.id : projectId === state.project.id && issueTypeId === state.issueType.id;
  if (!found) return jiraError(400, [workflowId ? `Workflow ${workflowId} does not exist.` : `No workflow for project ${projectId} and issue type ${issueTypeId}.`]);
  // Forge workflow rules run in company-managed projects only (FORGE-NOTES.md): a team-managed one gets none.
  const companyManaged = state.projectStyle === 'classic';
  return json(200, {
    editorScope: companyManaged ? 'GLOBAL' : 'PROJECT',
    projectTypes: ['software', 'business'],
    forgeRules: offeredRules(state),
    connectRules: [],
    systemRules: [],
    triggerRules: [],
  });
};

export const workflowRoutes = (): Route[] => [
  route('POST', '/rest/api/3/workflows', readWorkflows),
  route('POST', '/rest/api/3/workflows/update', updateWorkflows),
  route('GET', '/rest/api/3/workflows/capabilities', capabilities),
  route('GET', '/rest/api/3/workflow/{workflowId}/projectUsages', projectUsages),
  route('GET', '/rest/api/3/workflow/{workflowId}/project/{projectId}/issueTypeUsages', issueTypeUsages),
];
