/**
 * REST v2 as Jira Cloud answers it: the same operations as v3, with rich text (description,
 * paragraph fields, comment bodies) as plain text instead of Atlassian Document Format, and
 * `self` links on /rest/api/2. (Jira renders wiki markup; the sandbox's text has none.)
 */
import { adf, adfText, isAdfDoc } from '../state/jira-json';
import type { RouterRequest, RouterResponse } from '../workflow/workflow-port';


/** Links (`self`, icons) move to /rest/api/2; nothing else a user wrote is touched. */
const LINK_KEYS = new Set(['self', 'iconUrl']);

const toV2 = (value: unknown, key = ''): unknown => {
  if (isAdfDoc(value)) return adfText(value);
  if (Array.isArray(value)) return value.map((item) => toV2(item));
  if (typeof value === 'string') return LINK_KEYS.has(key) ? value.replace('/rest/api/3/', '/rest/api/2/') : value;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, toV2(item, k)]));
};

export const asRestV2 = (response: RouterResponse): RouterResponse => (response.body === undefined ? response : { ...response, body: toV2(response.body) });

const COMMENT_PATH = /^\/rest\/api\/3\/issue\/[^/]+\/comment(\/[^/]+)?$/;

/** A v2 request in v3 terms: a comment's body is text (v3 takes a document); fields are already taken either way. */
export const fromRestV2 = (request: RouterRequest, v3Path: string): RouterRequest => {
  const body = request.body as { body?: unknown } | undefined;
  if (COMMENT_PATH.test(v3Path) && body && typeof body === 'object' && typeof body.body === 'string') return { ...request, body: { ...body, body: adf(body.body) } };
  return request;
};
