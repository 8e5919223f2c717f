/** `GET /issue/{key}/transitions` and `POST /issue/{key}/transitions`, answered by the workflow engine. */
import { z } from 'zod';
import { issueParam } from './issue-routes';
import { mergeUpdate, UpdateSchema } from './issue-update';
import { empty, issueNotFound, json, jiraError, parseWith } from './jira-responses';
import { route, Route, RouteContext } from './route-table';

const TransitionRequestSchema = z.looseObject({
  transition: z.looseObject({ id: z.union([z.string().min(1), z.number().int()]).optional() }).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  update: UpdateSchema.optional(),
});

export const MISSING_TRANSITION = "Missing 'transition' identifier";

const getTransitions = async (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const wanted = ctx.request.query.transitionId;
  const transitions = await ctx.deps.workflow.transitionsFor(issue, ctx.caller.user);
  return json(200, { expand: 'transitions', transitions: wanted ? transitions.filter((t) => t.id === wanted) : transitions });
};

const doTransition = async (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const parsed = parseWith(TransitionRequestSchema, ctx.request.body ?? {});
  if (!parsed.ok) return parsed.response;
  const id = parsed.value.transition?.id;
  if (id === undefined) return jiraError(400, [MISSING_TRANSITION]);
  const merged = mergeUpdate(ctx.deps.state, issue.fields, parsed.value.fields, parsed.value.update);
  if (!merged.ok) return jiraError(400, [], merged.errors);
  const outcome = await ctx.deps.workflow.transition(issue, String(id), ctx.caller.user, merged.input);
  ctx.deps.log('sandbox-transition', { issueKey: issue.key, transitionId: String(id), accountId: ctx.caller.user.accountId, ok: outcome.ok });
  return outcome.ok ? empty(204) : jiraError(outcome.status, outcome.body.errorMessages, outcome.body.errors);
};

export const transitionRoutes = (): Route[] => [
  route('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', getTransitions),
  route('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', doTransition),
];
