/** `POST /issue` (create), `GET /issue/{key}`, `PUT /issue/{key}` (edit). */
import { z } from 'zod';
import { jiraTimestamp } from '../state/jira-json';
import { applyFieldChanges, findIssue, SandboxIssue, userJson } from '../state/sandbox-state';
import { initialStatusOf, statusJson } from '../workflow/cc81-workflow';
import { normalizeScreenFields } from '../workflow/screen-fields';
import { commaList, issueBean, issueSelf, parseView } from './issue-json';
import { mergeUpdate, UpdateSchema } from './issue-update';
import { empty, issueNotFound, json, jiraError, parseWith } from './jira-responses';
import { route, Route, RouteContext } from './route-table';

const EntityPropertyInput = z.object({ key: z.string().min(1).max(255), value: z.unknown() });

/** `IssueUpdateDetails` (Jira ignores what it does not use; so does the sandbox). */
const IssueUpdateSchema = z.looseObject({
  fields: z.record(z.string(), z.unknown()).optional(),
  update: UpdateSchema.optional(),
  properties: z.array(EntityPropertyInput).optional(),
});

/** Browse permission: everyone may browse every issue in the sandbox. One place to change that. */
export const canBrowse = (ctx: RouteContext, issue: SandboxIssue | undefined): issue is SandboxIssue => issue !== undefined && ctx.caller.user.active;

/** The issue a `{issueIdOrKey}` names, if the caller may see it. */
export const issueParam = (ctx: RouteContext): SandboxIssue | undefined => {
  const issue = findIssue(ctx.deps.state, ctx.params.issueIdOrKey ?? '');
  return canBrowse(ctx, issue) ? issue : undefined;
};

const SYSTEM_ON_CREATE = new Set(['project', 'issuetype']);

const createIssue = (ctx: RouteContext) => {
  const parsed = parseWith(IssueUpdateSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { state, clock, log } = ctx.deps;
  const fields = parsed.value.fields ?? {};
  const errors: Record<string, string> = {};

  const project = fields.project as { id?: unknown; key?: unknown } | undefined;
  if (!project || typeof project !== 'object' || !(String(project.key ?? '').toUpperCase() === state.project.key || String(project.id ?? '') === state.project.id)) {
    errors.project = 'Specify a valid project ID or key';
  }
  const type = fields.issuetype as { id?: unknown; name?: unknown } | undefined;
  if (!type || typeof type !== 'object') errors.issuetype = 'Specify an issue type';
  else if (!(String(type.id ?? '') === state.issueType.id || String(type.name ?? '').toLowerCase() === state.issueType.name.toLowerCase())) {
    errors.issuetype = 'Specify a valid issue type';
  }
  if (fields.summary === undefined && !parsed.value.update?.summary) errors.summary = 'You must specify a summary of the issue.';

  const rest = Object.fromEntries(Object.entries(fields).filter(([id]) => !SYSTEM_ON_CREATE.has(id)));
  const merged = mergeUpdate(state, {}, rest, parsed.value.update);
  const normalized = merged.ok ? normalizeScreenFields(state, merged.input) : { ok: false as const, errors: merged.errors };
  if (!normalized.ok) Object.assign(errors, normalized.errors);
  if (Object.keys(errors).length || !normalized.ok) return jiraError(400, [], errors);
  const initial = initialStatusOf(state);
  if (!initial) return jiraError(400, ['The workflow has no initial transition, so no issue can be created. Ask a Jira admin to fix the workflow.']);

  const now = jiraTimestamp(clock());
  state.counters.issue += 1;
  const n = state.counters.issue;
  const issue: SandboxIssue = {
    id: String(10_000 + n),
    key: `${state.project.key}-${n}`,
    fields: {
      ...Object.fromEntries(state.fields.filter((f) => f.custom).map((f) => [f.id, null])),
      description: null,
      issuetype: { id: state.issueType.id, name: state.issueType.name, subtask: false },
      project: { ...state.project },
      status: statusJson(initial),
      created: now,
      updated: now,
      labels: [],
      reporter: userJson(ctx.caller.user),
      ...normalized.values,
      creator: userJson(ctx.caller.user),
    },
    changelog: [],
    comments: [],
    properties: Object.fromEntries((parsed.value.properties ?? []).map((p) => [p.key, structuredClone(p.value)])),
  };
  state.issues.push(issue);
  log('sandbox-issue', { event: 'created', issueKey: issue.key, accountId: ctx.caller.user.accountId });
  return json(201, { id: issue.id, key: issue.key, self: issueSelf(ctx.baseUrl, issue) });
};

const getIssue = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const { query } = ctx.request;
  const fields = commaList(query.fields);
  const view = parseView(fields.length ? fields : ['*all'], commaList(query.expand), commaList(query.properties));
  return json(200, issueBean(ctx.deps.state, issue, view, ctx.baseUrl));
};

const editIssue = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  if (ctx.request.body === undefined) return jiraError(400, ['The request body is missing.']);
  const parsed = parseWith(IssueUpdateSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { state, clock, log } = ctx.deps;
  const merged = mergeUpdate(state, issue.fields, parsed.value.fields, parsed.value.update);
  if (!merged.ok) return jiraError(400, [], merged.errors);
  const normalized = normalizeScreenFields(state, merged.input);
  if (!normalized.ok) return jiraError(400, [], normalized.errors);
  for (const property of parsed.value.properties ?? []) issue.properties[property.key] = structuredClone(property.value);
  const history = applyFieldChanges(state, issue, normalized.values, ctx.caller.user, clock());
  log('sandbox-issue', { event: 'edited', issueKey: issue.key, accountId: ctx.caller.user.accountId, historyId: history?.id ?? null });
  if (ctx.request.query.returnIssue === 'true') {
    return json(200, issueBean(state, issue, parseView(['*all'], commaList(ctx.request.query.expand), []), ctx.baseUrl));
  }
  return empty(204);
};

export const issueRoutes = (): Route[] => [
  route('POST', '/rest/api/3/issue', createIssue),
  route('GET', '/rest/api/3/issue/{issueIdOrKey}', getIssue),
  route('PUT', '/rest/api/3/issue/{issueIdOrKey}', editIssue),
];
