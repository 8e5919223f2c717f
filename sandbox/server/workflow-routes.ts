/**
 * The workflows REST API for the project's workflow (Jira admins and the app only):
 * `POST /workflows` (read), `POST /workflows/update` (replace the transitions, against the
 * document version) and `GET /workflows/capabilities` (the rules the editor offers).
 */
import { WorkflowReadRequestSchema, WorkflowUpdateRequestSchema } from '../../src/jira/workflow-schemas';
import { applyWorkflowUpdate, copyWorkflow, workflowStatusesJson } from '../state/workflow-document';
import { offeredRules } from '../state/app-rules-install';
import { mayAdminister } from './auth';
import { forbiddenForNonAdmin, jiraError, json, parseWith } from './jira-responses';
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
];
