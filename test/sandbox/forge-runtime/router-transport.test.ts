import { JiraUnreachableError, InvalidPayloadError } from '../../../src/shared/app-error';
import { createJiraClient } from '../../../src/jira/jira-client';
import { routerTransport } from '../../../sandbox/forge-runtime/router-transport';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../../../sandbox/workflow/workflow-port';

const recording = (answer: RouterResponse) => {
  const seen: RouterRequest[] = [];
  const router: SandboxRouter = async (request) => {
    seen.push(request);
    return answer;
  };
  return { seen, router: () => router };
};

describe('routerTransport', () => {
  it('sends app requests to the router in process, marked asApp, with the query and a JSON copy of the body', async () => {
    const { seen, router } = recording({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { ok: 1 } });
    const body = { issueIdsOrKeys: ['CHG-1'] };
    const response = await routerTransport(router, { asApp: true })({ method: 'POST', path: '/rest/api/3/changelog/bulkfetch', query: { a: 'b' }, body });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/rest/api/3/changelog/bulkfetch', query: { a: 'b' }, asApp: true, body });
    expect(seen[0]?.asAccountId).toBeUndefined();
    expect(seen[0]?.body).not.toBe(body);
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: 1 });
    expect(response.header('content-type')).toBe('application/json');
  });

  it('marks user requests with the account id', async () => {
    const { seen, router } = recording({ status: 200, headers: {}, body: {} });
    await routerTransport(router, { asAccountId: 'acc-1' })({ method: 'GET', path: '/rest/api/3/issue/CHG-1' });
    expect(seen[0]).toMatchObject({ asAccountId: 'acc-1', query: {}, body: undefined });
    expect(seen[0]?.asApp).toBeUndefined();
  });

  it('gives a copy of the response body, and an empty body is not JSON', async () => {
    const shared = { value: 1 };
    const withBody = await routerTransport(recording({ status: 200, headers: {}, body: shared }).router, { asApp: true })({ method: 'GET', path: '/rest/api/3/issue/CHG-1' });
    const read = (await withBody.json()) as { value: number };
    read.value = 2;
    expect(shared.value).toBe(1);
    const empty = await routerTransport(recording({ status: 201, headers: {}, body: undefined }).router, { asApp: true })({ method: 'PUT', path: '/rest/api/3/issue/CHG-1/properties/p', body: {} });
    await expect(empty.json()).rejects.toThrow(SyntaxError);
  });

  it('refuses paths jiraPath would not build, like forgeTransport', async () => {
    const { seen, router } = recording({ status: 200, headers: {}, body: {} });
    await expect(routerTransport(router, { asApp: true })({ method: 'GET', path: '/rest/api/3/issue/../admin' })).rejects.toThrow(InvalidPayloadError);
    expect(seen).toHaveLength(0);
  });

  it('reports a router that throws as Jira being unreachable', async () => {
    const router: SandboxRouter = async () => {
      throw new Error('boom');
    };
    await expect(routerTransport(() => router, { asApp: true })({ method: 'GET', path: '/rest/api/3/issue/CHG-1' })).rejects.toThrow(JiraUnreachableError);
  });

  it("carries the app's Jira client: a 404 property reads as null, a 429 keeps Retry-After", async () => {
    const answers: RouterResponse[] = [
      { status: 404, headers: {}, body: { errorMessages: ['nope'], errors: {} } },
      { status: 429, headers: { 'Retry-After': '7' }, body: {} },
    ];
    const router: SandboxRouter = async () => answers.shift()!;
    const client = createJiraClient(routerTransport(() => router, { asApp: true }));
    expect(await client.getIssueProperty('CHG-1', 'cc81.evidence')).toBeNull();
    await expect(client.getIssueProperty('CHG-1', 'cc81.evidence')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 7 });
  });
});
