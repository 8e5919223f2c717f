/**
 * The deployment gate's handler when something goes wrong: Jira failing or rate limiting, the app
 * not set up, a corrupted policy, too many changes named, a comment Jira refuses. It never lets a
 * deployment through on an error, and a refused comment never changes the answer.
 */
import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { routerTransport } from '../../sandbox/forge-runtime/router-transport';
import { seedPolicy } from '../../sandbox/forge-runtime/stored-policy';
import { readGateRecords, GATE_RECORD_PREFIX } from '../../src/deployments/gate-record';
import { signedGateHeaders } from '../../src/deployments/gate-signature';
import { createPipeline } from '../../src/deployments/pipelines';
import { createDeploymentGate } from '../../src/forge/deployment-gate';
import type { JiraTransport } from '../../src/jira/transport';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { createSite, hours, T0, USERS } from '../sandbox/server/server-fixture';

const setup = async (wrap: (inner: JiraTransport) => JiraTransport = (t) => t) => {
  const site = createSite();
  const store = createMemoryKvs();
  await seedPolicy(store, site.state.policy, T0);
  const { token } = await createPipeline(store, { name: 'ci', by: null, now: T0 });
  const issue = await site.create({ [site.state.policy.fields.changeType!]: { value: 'Emergency' } }, hours(0));
  const logs: Record<string, unknown>[] = [];
  const gate = createDeploymentGate({ transport: wrap(routerTransport(() => site.router, { asApp: true })), store, clock: () => T0, log: (_e, fields) => logs.push(fields) });
  const call = (body: Record<string, unknown>) => {
    const text = JSON.stringify({ environment: 'production', sha: 'abcdef1', deployer: 'ci', ...body });
    const headers = Object.fromEntries(Object.entries(signedGateHeaders(token, text, T0, `nonce-${Math.random().toString(36).slice(2)}-x`)).map(([k, v]) => [k, [v]]));
    return gate({ method: 'POST', headers, body: text });
  };
  return { site, store, issue, call, logs };
};
const status = (code: number): JiraTransport => async () => ({ status: code, header: (name) => (name.toLowerCase() === 'retry-after' ? '30' : null), json: async () => ({ errorMessages: ['no'] }) });

describe('the deployment gate when it cannot decide', () => {
  it.each([
    ['Jira answers 500', 500, /Jira answered with an error \(HTTP 500\)\. The gate says no: do not deploy\./],
    ['Jira rate limits the app', 429, /rate limiting the app \(retry after 30 s\)\. The gate says no/],
  ])('%s: 503, nothing recorded', async (_name, code, message) => {
    const { call, store, issue } = await setup(() => status(code));
    const answer = await call({ changeKey: issue.key });
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: expect.any(String), message: expect.stringMatching(message) } });
    expect(await store.listByPrefix(GATE_RECORD_PREFIX)).toEqual([]);
  });

  it('a corrupted stored policy: 503 saying so', async () => {
    const { call, store, issue } = await setup();
    await store.set(POLICY_KEY, { version: 'x' });
    const answer = await call({ changeKey: issue.key });
    expect([answer.statusCode, JSON.parse(answer.body).error.message]).toEqual([503, expect.stringMatching(/policy is invalid/)]);
  });

  it('no change project set up: 503 NOT_CONFIGURED', async () => {
    const { call, store, site, issue } = await setup();
    await seedPolicy(store, { ...site.state.policy, scope: null }, T0);
    const answer = await call({ changeKey: issue.key });
    expect([answer.statusCode, JSON.parse(answer.body).error.code]).toEqual([503, 'NOT_CONFIGURED']);
  });

  it('more than 5 changes named: 400, nothing read', async () => {
    const { call, logs } = await setup();
    const answer = await call({ prTitle: 'CHG-1 CHG-2 CHG-3 CHG-4 CHG-5 CHG-6' });
    expect([answer.statusCode, JSON.parse(answer.body).error.code]).toEqual([400, 'TOO_MANY_CHANGES']);
    expect(logs.at(-1)).toMatchObject({ restCalls: 0 });
  });

  it('a comment Jira refuses changes nothing: the answer and the record stand', async () => {
    const refuseComments = (inner: JiraTransport): JiraTransport => async (request) => (request.path.endsWith('/comment') ? status(500)(request) : inner(request));
    const { call, store, issue, logs } = await setup(refuseComments);
    const answer = await call({ changeKey: issue.key, deployerAccountId: USERS.ivan.accountId });
    expect([answer.statusCode, JSON.parse(answer.body).decision]).toEqual([200, 'allow']);
    expect((await readGateRecords(store, issue.id)).records).toHaveLength(1);
    expect(logs.at(-1)).toMatchObject({ outcome: 'allow', commentsFailed: 1 });
  });
});
