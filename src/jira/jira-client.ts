import { InvalidPayloadError, JiraHttpError, RateLimitedError } from '../shared/app-error';
import {
  BULK_CHANGELOG_LIMITS,
  BulkChangelogPage,
  BulkChangelogRequest,
  BulkChangelogRequestSchema,
  BulkChangelogResponseSchema,
  EntityPropertySchema,
  IssueJson,
  IssueSchema,
  IssueWithChangelogSchema,
  type Changelog,
  UserValueSchema,
} from './schemas';
import type { UserRef } from '../domain';
import { endpointOf, jiraPath, JiraRequest, JiraResponse, JiraTransport } from './transport';
import { isOk, readJson } from './responses';

export interface JiraClientOptions {
  /**
   * Retries after a 429, honouring `Retry-After`. Default 0: callers with a 25 s budget (the
   * validator) must not wait; the sweep may opt in.
   */
  retries?: number;
  /** Longest `Retry-After` the client will wait out; a longer one is thrown. Default 30 s. */
  maxRetryAfterSeconds?: number;
  /** Injected so tests never wait. Required when `retries` > 0. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected clock, for `Retry-After` given as an HTTP date. */
  now?: () => Date;
  /** Page size for the bulk changelog (default 1000, the API's default; the API allows up to 10,000). */
  changelogPageSize?: number;
}

export interface GetIssueOptions {
  fields: readonly string[];
  properties?: readonly string[];
}

export interface JiraClient {
  getIssue(issueIdOrKey: string, options: GetIssueOptions): Promise<IssueJson>;
  /**
   * The issue and, in the same call (`expand=changelog`), its histories: `complete` is false when
   * Jira sent fewer than it has (it embeds at most 100; page the rest with `bulkFetchChangelogs`).
   * `null` when Jira answers 404 (no such issue, or the caller may not see it).
   */
  getIssueWithChangelog(issueIdOrKey: string, options: GetIssueOptions): Promise<{ issue: IssueJson; histories: Changelog[]; complete: boolean } | null>;
  /** One page of changelogs for the given issues, filtered to `fieldIds` (at most 10; none = all fields). */
  bulkFetchChangelogs(issueIdsOrKeys: readonly string[], fieldIds: readonly string[] | null, nextPageToken?: string): Promise<BulkChangelogPage>;
  /** The property's value, or `null` when Jira answers 404 (no such property). */
  getIssueProperty(issueIdOrKey: string, propertyKey: string): Promise<unknown>;
  setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void>;
  /** A person by account id (`GET /user`), as the caller may see them; null when Jira has no such user (404). */
  getUser(accountId: string): Promise<UserRef | null>;
  /** The page size `bulkFetchChangelogs` asks for. */
  readonly changelogPageSize: number;
}

export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

/** `Retry-After` is delta-seconds or an HTTP date (RFC 9110). */
export const parseRetryAfter = (header: string | null, now: Date): number | null => {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
};

export interface SenderOptions {
  retries: number;
  maxRetryAfterSeconds: number;
  sleep?: (ms: number) => Promise<void>;
  now: () => Date;
}

/** A send that maps 429 (waiting out `Retry-After` up to `retries` times) and other non-2xx statuses to errors; `allow` lists statuses returned as-is. */
export const createSender =
  (transport: JiraTransport, options: SenderOptions) =>
  async (request: JiraRequest, allow: readonly number[] = []): Promise<JiraResponse> => {
    const { retries, now } = options;
    const maxWait = options.maxRetryAfterSeconds;
    const endpoint = endpointOf(request);
    for (let attempt = 0; ; attempt += 1) {
      const response = await transport(request);
      if (isOk(response.status) || allow.includes(response.status)) return response;
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(response.header('Retry-After'), now());
        const error = new RateLimitedError(endpoint, retryAfter, response.header('RateLimit-Reason'));
        if (attempt >= retries || !options.sleep) throw error;
        const waitSeconds = retryAfter ?? 2 ** attempt; // no Retry-After: back off exponentially
        if (waitSeconds > maxWait) throw error;
        await options.sleep(waitSeconds * 1000);
        continue;
      }
      throw new JiraHttpError(response.status, endpoint);
    }
  };

export const createJiraClient = (transport: JiraTransport, options: JiraClientOptions = {}): JiraClient => {
  const retries = options.retries ?? 0;
  const maxWait = options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  const now = options.now ?? (() => new Date());
  const changelogPageSize = options.changelogPageSize ?? BULK_CHANGELOG_LIMITS.defaultMaxResults;
  if (retries > 0 && !options.sleep) {
    throw new InvalidPayloadError('Jira client options', [{ path: 'sleep', problem: 'required when retries > 0' }]);
  }

  const send = createSender(transport, { retries, maxRetryAfterSeconds: maxWait, now, ...(options.sleep ? { sleep: options.sleep } : {}) });

  return {
    changelogPageSize,

    async getIssue(issueIdOrKey, { fields, properties }) {
      const request: JiraRequest = {
        method: 'GET',
        path: jiraPath`/rest/api/3/issue/${issueIdOrKey}`,
        query: {
          fields: fields.join(','),
          ...(properties && properties.length ? { properties: properties.join(',') } : {}),
        },
      };
      return readJson(await send(request), IssueSchema, endpointOf(request));
    },

    async getIssueWithChangelog(issueIdOrKey, { fields, properties }) {
      const request: JiraRequest = {
        method: 'GET',
        path: jiraPath`/rest/api/3/issue/${issueIdOrKey}`,
        query: { fields: fields.join(','), expand: 'changelog', ...(properties && properties.length ? { properties: properties.join(',') } : {}) },
      };
      const response = await send(request, [404]);
      if (response.status === 404) return null;
      const { changelog, ...issue } = await readJson(response, IssueWithChangelogSchema, endpointOf(request));
      return { issue, histories: changelog.histories, complete: changelog.histories.length >= changelog.total };
    },

    async bulkFetchChangelogs(issueIdsOrKeys, fieldIds, nextPageToken) {
      const body = BulkChangelogRequestSchema.safeParse({
        issueIdsOrKeys: [...issueIdsOrKeys],
        ...(fieldIds && fieldIds.length ? { fieldIds: [...fieldIds] } : {}),
        maxResults: changelogPageSize,
        ...(nextPageToken ? { nextPageToken } : {}),
      } satisfies BulkChangelogRequest);
      if (!body.success) throw InvalidPayloadError.fromZod('bulk changelog request', body.error);
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/changelog/bulkfetch`, body: body.data };
      return readJson(await send(request), BulkChangelogResponseSchema, endpointOf(request));
    },

    async getIssueProperty(issueIdOrKey, propertyKey) {
      const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/issue/${issueIdOrKey}/properties/${propertyKey}` };
      const response = await send(request, [404]);
      if (response.status === 404) return null;
      return (await readJson(response, EntityPropertySchema, endpointOf(request))).value;
    },

    async getUser(accountId) {
      const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/user`, query: { accountId } };
      const response = await send(request, [404]);
      if (response.status === 404) return null;
      return readJson(response, UserValueSchema, endpointOf(request));
    },

    async setIssueProperty(issueIdOrKey, propertyKey, value) {
      const request: JiraRequest = { method: 'PUT', path: jiraPath`/rest/api/3/issue/${issueIdOrKey}/properties/${propertyKey}`, body: value };
      await send(request); // 200 (updated) or 201 (created); the body is not needed
    },
  };
};
