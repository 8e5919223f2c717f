/**
 * The REST calls the post-hoc sweep needs beyond `JiraClient`: JQL search paged with
 * `nextPageToken` (POST /rest/api/3/search/jql), editing labels (`update.labels`), and adding a
 * comment. Responses are zod-parsed; a 429 is retried after `Retry-After` (capped backoff) and,
 * when retries run out, thrown as `RateLimitedError` with `retryAfterSeconds`.
 */
import { z } from 'zod';
import { InvalidPayloadError, JiraHttpError, RateLimitedError } from '../shared/app-error';
import { parseRetryAfter } from './jira-client';
import { AdfNode, IssueSchema } from './schemas';
import { endpointOf, jiraPath, JiraRequest, JiraResponse, JiraTransport } from './transport';
import { isOk, readJson } from './responses';

/** Jira's cap on `maxResults` for `search/jql`. */
export const SEARCH_JQL_MAX_RESULTS = 5000;
/** Jira's cap on `properties` per search. */
export const SEARCH_JQL_MAX_PROPERTIES = 5;

export const SearchPageSchema = z.object({
  issues: z.array(IssueSchema).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
export type SearchPage = z.infer<typeof SearchPageSchema>;

export interface SearchOptions {
  fields: readonly string[];
  properties?: readonly string[];
  maxResults: number;
  nextPageToken?: string | null;
}

export interface SearchClientOptions {
  /** Retries of the same request after a 429 (default 5). */
  retries?: number;
  /** Cap of one wait, in seconds (default 30); a longer `Retry-After` is thrown. */
  maxRetryAfterSeconds?: number;
  sleep: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface SearchClient {
  searchJql(jql: string, options: SearchOptions): Promise<SearchPage>;
  /** `PUT /issue/{key}` with `update.labels` add operations (idempotent: adding a present label is a no-op). */
  addLabels(issueIdOrKey: string, labels: readonly string[]): Promise<void>;
  addComment(issueIdOrKey: string, body: AdfNode): Promise<void>;
}

/** A transport that retries 429s: `Retry-After` when given, else 1, 2, 4 … s; each wait capped. */
export const retryingSend = (transport: JiraTransport, options: SearchClientOptions) => {
  const retries = options.retries ?? 5;
  const maxWait = options.maxRetryAfterSeconds ?? 30;
  const now = options.now ?? (() => new Date());
  return async (request: JiraRequest): Promise<JiraResponse> => {
    const endpoint = endpointOf(request);
    for (let attempt = 0; ; attempt += 1) {
      const response = await transport(request);
      if (isOk(response.status)) return response;
      if (response.status !== 429) throw new JiraHttpError(response.status, endpoint);
      const retryAfter = parseRetryAfter(response.header('Retry-After'), now());
      const error = new RateLimitedError(endpoint, retryAfter, response.header('RateLimit-Reason'));
      if (attempt >= retries) throw error;
      const waitSeconds = Math.min(retryAfter ?? 2 ** attempt, maxWait);
      if (retryAfter !== null && retryAfter > maxWait) throw error;
      await options.sleep(waitSeconds * 1000);
    }
  };
};


export const createSearchClient = (transport: JiraTransport, options: SearchClientOptions): SearchClient => {
  const send = retryingSend(transport, options);
  return {
    async searchJql(jql, { fields, properties = [], maxResults, nextPageToken }) {
      if (properties.length > SEARCH_JQL_MAX_PROPERTIES) {
        throw new InvalidPayloadError('search request', [{ path: 'properties', problem: `at most ${SEARCH_JQL_MAX_PROPERTIES}` }]);
      }
      const request: JiraRequest = {
        method: 'POST',
        path: jiraPath`/rest/api/3/search/jql`,
        body: {
          jql,
          fields: [...fields],
          maxResults: Math.min(Math.max(1, maxResults), SEARCH_JQL_MAX_RESULTS),
          ...(properties.length ? { properties: [...properties] } : {}),
          ...(nextPageToken ? { nextPageToken } : {}),
        },
      };
      return readJson(await send(request), SearchPageSchema, endpointOf(request));
    },
    async addLabels(issueIdOrKey, labels) {
      const request: JiraRequest = {
        method: 'PUT',
        path: jiraPath`/rest/api/3/issue/${issueIdOrKey}`,
        body: { update: { labels: labels.map((label) => ({ add: label })) } },
      };
      await send(request);
    },
    async addComment(issueIdOrKey, body) {
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/issue/${issueIdOrKey}/comment`, body: { body } };
      await send(request);
    },
  };
};

