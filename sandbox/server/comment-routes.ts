/** `GET /issue/{key}/comment` (offset pages, `orderBy=created|-created`) and `POST` (ADF body; 201 with the comment). */
import { z } from 'zod';
import { AdfNodeSchema } from '../../src/jira/schemas';
import { adfText, jiraTimestamp } from '../state/jira-json';
import { SandboxComment, SandboxIssue, userJson } from '../state/sandbox-state';
import { issueParam } from './issue-routes';
import { issueNotFound, json, jiraError, parseWith } from './jira-responses';
import { intParam } from './query-params';
import { route, Route, RouteContext } from './route-table';

export const COMMENTS_MAX_RESULTS = 5000;

const AddCommentSchema = z.looseObject({ body: z.unknown().optional() });

const commentBean = (ctx: RouteContext, issue: SandboxIssue, comment: SandboxComment) => ({
  self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
  id: comment.id,
  author: structuredClone(comment.author),
  body: structuredClone(comment.body),
  updateAuthor: structuredClone(comment.author),
  created: comment.created,
  updated: comment.updated,
  jsdPublic: true,
});

const getComments = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const { query } = ctx.request;
  const startAt = intParam(query, 'startAt', 0);
  if (!startAt.ok) return startAt.response;
  const maxResults = intParam(query, 'maxResults', 100, { min: 0, max: COMMENTS_MAX_RESULTS });
  if (!maxResults.ok) return maxResults.response;
  const orderBy = query.orderBy ?? 'created';
  if (!['created', '+created', '-created'].includes(orderBy)) return jiraError(400, [`The orderBy value '${orderBy}' is not supported; use 'created' or '-created'.`]);
  const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
  const comments = ordered.slice(startAt.value, startAt.value + maxResults.value).map((c) => commentBean(ctx, issue, c));
  return json(200, { startAt: startAt.value, maxResults: maxResults.value, total: issue.comments.length, comments });
};

const addComment = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const parsed = parseWith(AddCommentSchema, ctx.request.body ?? {});
  if (!parsed.ok) return parsed.response;
  const body = parsed.value.body;
  if (body === undefined || body === null || (typeof body === 'string' && !body.trim())) return jiraError(400, [], { comment: 'Comment body can not be empty!' });
  const doc = AdfNodeSchema.safeParse(body);
  // ADF's root carries `version: 1` (the ADF JSON schema requires it); Jira refuses a doc without it.
  if (!doc.success || doc.data.type !== 'doc' || (body as { version?: unknown }).version !== 1) return jiraError(400, [], { comment: 'Comment body is not a valid Atlassian Document.' });
  if (!adfText(body).trim()) return jiraError(400, [], { comment: 'Comment body can not be empty!' });
  const { state, clock, log } = ctx.deps;
  const now = jiraTimestamp(clock());
  state.counters.comment += 1;
  const comment: SandboxComment = { id: String(10_000 + state.counters.comment), author: userJson(ctx.caller.user), body: structuredClone(body), created: now, updated: now };
  issue.comments.push(comment);
  issue.fields.updated = now;
  log('sandbox-comment', { issueKey: issue.key, commentId: comment.id, accountId: ctx.caller.user.accountId });
  return json(201, commentBean(ctx, issue, comment));
};

export const commentRoutes = (): Route[] => [
  route('GET', '/rest/api/3/issue/{issueIdOrKey}/comment', getComments),
  route('POST', '/rest/api/3/issue/{issueIdOrKey}/comment', addComment),
];
