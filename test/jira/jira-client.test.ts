import { InvalidPayloadError, JiraHttpError, MalformedResponseError, RateLimitedError } from '../../src/shared/app-error';
import { createJiraClient, parseRetryAfter } from '../../src/jira/jira-client';
import { T0 } from '../builders/clock';
import { FakeJira } from '../fakes/fake-jira';
import { aJiraChangelog, issueJson } from '../fakes/jira-json.builder';
import { completeFields } from '../builders/change.builder';

const setup = () => {
  const jira = new FakeJira().addIssue(
    issueJson({ key: 'CHG-42', id: '10042', state: 'Scheduled', fields: completeFields() }),
    aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 1).noise('acc-requester', 1.5).edit('risk', 'low', 'high', 'acc-requester', 1.7).build(),
  );
  return { jira, client: createJiraClient(jira.transport, { now: () => T0 }) };
};

const rejection = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => new Error('expected a rejection'), (error: unknown) => error);

describe('getIssue', () => {
  it('asks for the given fields and properties only, and parses the issue', async () => {
    const { jira, client } = setup();
    const issue = await client.getIssue('CHG-42', { fields: ['status', 'customfield_10042'], properties: ['cc81.evidence'] });
    expect(jira.requests).toEqual([{ method: 'GET', path: '/rest/api/3/issue/CHG-42', query: { fields: 'status,customfield_10042', properties: 'cc81.evidence' } }]);
    expect(Object.keys(issue.fields).sort()).toEqual(['customfield_10042', 'status']);
    expect(issue.key).toBe('CHG-42');
  });

  it('refuses an issue key that is not a safe path segment, before any request', async () => {
    const { jira, client } = setup();
    expect(await rejection(client.getIssue('../../admin', { fields: ['status'] }))).toBeInstanceOf(InvalidPayloadError);
    expect(jira.requests).toHaveLength(0);
  });

  it('maps 429 to RateLimitedError with Retry-After (seconds) and RateLimit-Reason', async () => {
    const { jira, client } = setup();
    jira.failNext(/^GET /, { kind: 'status', status: 429, headers: { 'Retry-After': '5', 'RateLimit-Reason': 'jira-burst-based' } });
    const error = await rejection(client.getIssue('CHG-42', { fields: ['status'] }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 5, reason: 'jira-burst-based', endpoint: 'GET /rest/api/3/issue/CHG-42' });
  });

  it('maps other non-2xx statuses to JiraHttpError without the body in the message', async () => {
    const { jira, client } = setup();
    jira.failNext(/^GET /, { kind: 'status', status: 500, body: { errorMessages: ['secret stack trace'] } });
    const error = await rejection(client.getIssue('CHG-42', { fields: ['status'] }));
    expect(error).toBeInstanceOf(JiraHttpError);
    expect(error).toMatchObject({ status: 500, code: 'JIRA_HTTP' });
    expect(String((error as Error).message)).not.toContain('secret');
  });

  it('maps a body that is not JSON to MalformedResponseError', async () => {
    const { jira, client } = setup();
    jira.failNext(/^GET /, { kind: 'malformed-json' });
    const error = await rejection(client.getIssue('CHG-42', { fields: ['status'] }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).issues).toEqual([{ path: '(body)', problem: 'not valid JSON' }]);
  });

  it('summarises schema failures by path and kind, never by value', async () => {
    const { jira, client } = setup();
    jira.failNext(/^GET /, { kind: 'body', body: { id: 10042, key: 'top-secret-summary', fields: {} } });
    const error = await rejection(client.getIssue('CHG-42', { fields: ['status'] }));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).issues).toEqual([{ path: 'id', problem: 'invalid_type, expected string' }]);
    expect((error as Error).message).not.toMatch(/top-secret|10042/);
  });
});

describe('bulkFetchChangelogs', () => {
  it('posts the documented request body and returns only the filtered items', async () => {
    const { jira, client } = setup();
    const page = await client.bulkFetchChangelogs(['CHG-42'], ['status', 'customfield_10041']);
    expect(jira.requests[0]).toEqual({
      method: 'POST',
      path: '/rest/api/3/changelog/bulkfetch',
      body: { issueIdsOrKeys: ['CHG-42'], fieldIds: ['status', 'customfield_10041'], maxResults: 1000 },
    });
    const items = page.issueChangeLogs.flatMap((l) => l.changeHistories.flatMap((h) => h.items.map((i) => i.fieldId)));
    expect(items).toEqual(['status', 'customfield_10041']);
    expect(page.nextPageToken).toBeNull();
  });

  it('omits the filter when given none, and follows nextPageToken', async () => {
    const { jira } = setup();
    const client = createJiraClient(jira.transport, { changelogPageSize: 2 });
    const first = await client.bulkFetchChangelogs(['CHG-42'], null);
    expect(jira.requests[0]?.body).toEqual({ issueIdsOrKeys: ['CHG-42'], maxResults: 2 });
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await client.bulkFetchChangelogs(['CHG-42'], null, first.nextPageToken ?? undefined);
    expect(second.issueChangeLogs[0]?.changeHistories).toHaveLength(1);
    expect(second.nextPageToken).toBeNull();
  });

  it('refuses more than 10 field ids or no issues (OpenAPI limits) without calling Jira', async () => {
    const { jira, client } = setup();
    const eleven = Array.from({ length: 11 }, (_, i) => `customfield_${10_000 + i}`);
    expect(await rejection(client.bulkFetchChangelogs(['CHG-42'], eleven))).toBeInstanceOf(InvalidPayloadError);
    expect(await rejection(client.bulkFetchChangelogs([], ['status']))).toBeInstanceOf(InvalidPayloadError);
    expect(jira.requests).toHaveLength(0);
  });
});

describe('issue properties', () => {
  it('returns null for a missing property, the value for a present one, and writes with PUT', async () => {
    const { jira, client } = setup();
    expect(await client.getIssueProperty('CHG-42', 'cc81.evidence')).toBeNull();
    await client.setIssueProperty('CHG-42', 'cc81.evidence', { version: 1, records: [] });
    expect(await client.getIssueProperty('CHG-42', 'cc81.evidence')).toEqual({ version: 1, records: [] });
    expect(jira.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('still throws on a 404 when writing (the issue is gone)', async () => {
    const { client } = setup();
    expect(await rejection(client.setIssueProperty('CHG-999', 'cc81.evidence', {}))).toMatchObject({ status: 404 });
  });
});

describe('retries (opt-in, for the sweep)', () => {
  it('does not retry by default', async () => {
    const { jira, client } = setup();
    jira.failNext(/^GET /, { kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
    expect(await rejection(client.getIssue('CHG-42', { fields: ['status'] }))).toBeInstanceOf(RateLimitedError);
    expect(jira.requests).toHaveLength(1);
  });

  it('waits out Retry-After with the injected sleep, then succeeds', async () => {
    const { jira } = setup();
    const sleeps: number[] = [];
    const client = createJiraClient(jira.transport, { retries: 2, sleep: async (ms) => void sleeps.push(ms) });
    jira.failNext(/^GET /, { kind: 'status', status: 429, headers: { 'Retry-After': '3' } });
    jira.failNext(/^GET /, { kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
    const issue = await client.getIssue('CHG-42', { fields: ['status'] });
    expect(issue.key).toBe('CHG-42');
    expect(sleeps).toEqual([3000, 1000]);
  });

  it('gives up when Retry-After is longer than the client will wait, or retries run out', async () => {
    const { jira } = setup();
    const sleep = jest.fn(async () => undefined);
    const client = createJiraClient(jira.transport, { retries: 1, sleep, maxRetryAfterSeconds: 10 });
    jira.failNext(/^GET /, { kind: 'status', status: 429, headers: { 'Retry-After': '60' } });
    expect(await rejection(client.getIssue('CHG-42', { fields: ['status'] }))).toMatchObject({ retryAfterSeconds: 60 });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('requires a sleep function when retries are enabled', () => {
    expect(() => createJiraClient(new FakeJira().transport, { retries: 1 })).toThrow(InvalidPayloadError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates; anything else is null', () => {
    expect(parseRetryAfter('120', T0)).toBe(120);
    expect(parseRetryAfter(new Date(T0.getTime() + 7_500).toUTCString(), T0)).toBe(7);
    expect(parseRetryAfter('soon', T0)).toBeNull();
    expect(parseRetryAfter(null, T0)).toBeNull();
  });
});
