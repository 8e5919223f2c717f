/**
 * `GET /issue/{key}/changelog` (offset pages, oldest first) and `POST /changelog/bulkfetch`
 * (up to 1000 issues, up to 10 field ids, cursor pages of histories across the issues, sorted by
 * time then issue id, oldest first; a field filter keeps only matching items).
 */
import { z } from 'zod';
import { BULK_CHANGELOG_LIMITS, parseJiraTimestamp } from '../../src/jira/schemas';
import { ChangeHistory, findIssue, SandboxIssue } from '../state/sandbox-state';
import { canBrowse, issueParam } from './issue-routes';
import { issueNotFound, json, jiraError, parseWith } from './jira-responses';
import { Cursor, decodePageToken, encodePageToken, INVALID_PAGE_TOKEN } from './page-token';
import { intParam } from './query-params';
import { route, Route, RouteContext } from './route-table';

/** Jira's page size cap for the changelog endpoint. */
export const CHANGELOG_MAX_RESULTS = 100;

const getChangelog = (ctx: RouteContext) => {
  const issue = issueParam(ctx);
  if (!issue) return issueNotFound();
  const startAt = intParam(ctx.request.query, 'startAt', 0);
  if (!startAt.ok) return startAt.response;
  const maxResults = intParam(ctx.request.query, 'maxResults', CHANGELOG_MAX_RESULTS, { min: 1, max: CHANGELOG_MAX_RESULTS });
  if (!maxResults.ok) return maxResults.response;
  const total = issue.changelog.length;
  const values = issue.changelog.slice(startAt.value, startAt.value + maxResults.value);
  const isLast = startAt.value + maxResults.value >= total;
  const self = `${ctx.baseUrl}/rest/api/3/issue/${issue.key}/changelog`;
  return json(200, {
    self: `${self}?maxResults=${maxResults.value}&startAt=${startAt.value}`,
    ...(isLast ? {} : { nextPage: `${self}?maxResults=${maxResults.value}&startAt=${startAt.value + maxResults.value}` }),
    maxResults: maxResults.value,
    startAt: startAt.value,
    total,
    isLast,
    values: structuredClone(values),
  });
};

const BulkRequestSchema = z.strictObject({
  issueIdsOrKeys: z
    .array(z.string().min(1))
    .min(1, 'At least one issue ID or key is required.')
    .max(BULK_CHANGELOG_LIMITS.maxIssues, `At most ${BULK_CHANGELOG_LIMITS.maxIssues} issue IDs or keys can be requested.`),
  fieldIds: z
    .array(z.string().min(1))
    .max(BULK_CHANGELOG_LIMITS.maxFieldIds, `At most ${BULK_CHANGELOG_LIMITS.maxFieldIds} field IDs can be requested.`)
    .refine((ids) => new Set(ids).size === ids.length, 'Field IDs must be unique.')
    .optional(),
  maxResults: z.number().int().min(1).max(BULK_CHANGELOG_LIMITS.maxResults).default(BULK_CHANGELOG_LIMITS.defaultMaxResults),
  nextPageToken: z.string().min(1).optional(),
});

interface Entry {
  issue: SandboxIssue;
  history: ChangeHistory;
  position: [number, number, number];
}

const before = (a: Cursor, b: Cursor): boolean => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return (x as number) < (y as number);
  }
  return false;
};

const bulkFetch = (ctx: RouteContext) => {
  const parsed = parseWith(BulkRequestSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { issueIdsOrKeys, fieldIds, maxResults, nextPageToken } = parsed.value;
  const identity = { issueIdsOrKeys, fieldIds: fieldIds ?? null };
  const after = nextPageToken === undefined ? null : decodePageToken(nextPageToken, identity);
  if (nextPageToken !== undefined && after === null) return jiraError(400, [INVALID_PAGE_TOKEN]);

  const issues = new Map<string, SandboxIssue>();
  for (const idOrKey of issueIdsOrKeys) {
    const issue = findIssue(ctx.deps.state, idOrKey);
    if (canBrowse(ctx, issue)) issues.set(issue.id, issue); // unknown or hidden issues are left out, not errors
  }
  const entries: Entry[] = [...issues.values()]
    .flatMap((issue) =>
      issue.changelog.map((history) => ({
        issue,
        history: fieldIds ? { ...history, items: history.items.filter((item) => fieldIds.includes(item.fieldId)) } : history,
        position: [parseJiraTimestamp(history.created)?.getTime() ?? 0, Number(issue.id), Number(history.id)] as [number, number, number],
      })),
    )
    .filter((entry) => entry.history.items.length > 0)
    .filter((entry) => after === null || before(after, entry.position))
    .sort((a, b) => (before(a.position, b.position) ? -1 : before(b.position, a.position) ? 1 : 0));

  const page = entries.slice(0, maxResults);
  const byIssue = new Map<string, ChangeHistory[]>();
  for (const { issue, history } of page) byIssue.set(issue.id, [...(byIssue.get(issue.id) ?? []), history]);
  const last = page.at(-1);
  return json(200, {
    issueChangeLogs: [...byIssue].map(([issueId, changeHistories]) => ({ issueId, changeHistories: structuredClone(changeHistories) })),
    ...(entries.length > maxResults && last ? { nextPageToken: encodePageToken(identity, last.position) } : {}),
  });
};

export const changelogRoutes = (): Route[] => [
  route('GET', '/rest/api/3/issue/{issueIdOrKey}/changelog', getChangelog),
  route('POST', '/rest/api/3/changelog/bulkfetch', bulkFetch),
];
