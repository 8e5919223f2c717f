// Adapter test: @forge/api and @forge/kvs are mocked in this file only. The handlers Forge runs
// (src/index.ts) go to the sandbox's router through a fake requestJira that records, per call,
// whether it was made as the user or as the app: what a user may see is read as the user.
import { ADMIN, createSite, Site, USERS } from '../sandbox/server/server-fixture';
import { storedPolicyOf } from '../../sandbox/forge-runtime/stored-policy';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import * as index from '../../src/index';
import { adminResolver, deploymentGate, historyGate, panelResolver, postHocSweep, selfTestTrigger } from '../../src/index';
import { createPipeline } from '../../src/deployments/pipelines';
import { signedGateHeaders } from '../../src/deployments/gate-signature';
import { kvsStore } from '../../src/forge/kvs-store';
import { functionValidatorPayload, postFunctionPayload, validatorContext } from '../../sandbox/forge-runtime/forge-payloads';
import { hours, moveTo } from '../sandbox/server/server-fixture';
import { LEASE_KEY } from '../../src/sweep/sweep-lease';

type As = 'user' | 'app';
interface Recorded {
  as: As;
  accountId: string | null;
  endpoint: string;
}

const mockCalls: Recorded[] = [];
const mockStore = new Map<string, unknown>();
const mockSite: { current: Site | null; invoker: string | null } = { current: null, invoker: null };

const mockRequestJira = (as: As) => async (route: { value: string } | string, init: { method?: string; body?: string } = {}) => {
  const url = new URL(typeof route === 'string' ? route : route.value, 'http://jira.invalid');
  const method = init.method ?? 'GET';
  mockCalls.push({ as, accountId: as === 'user' ? mockSite.invoker : null, endpoint: `${method} ${url.pathname}` });
  const answer = await mockSite.current!.router({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { accept: 'application/json' },
    body: init.body === undefined ? undefined : (JSON.parse(init.body) as unknown),
    ...(as === 'app' ? { asApp: true } : { asAccountId: mockSite.invoker! }),
  });
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  return { status: answer.status, ok: answer.status < 300, headers: { get: (name: string) => answer.headers[name] ?? answer.headers[name.toLowerCase()] ?? null }, json: async () => JSON.parse(text) as unknown, text: async () => text };
};

jest.mock('@forge/api', () => {
  const actual = jest.requireActual<typeof import('@forge/api')>('@forge/api');
  const asUser = () => ({ requestJira: mockRequestJira('user') });
  const asApp = () => ({ requestJira: mockRequestJira('app') });
  const privacy = {
    reportPersonalData: async (accounts: { accountId: string }[]) => {
      mockReported.push(accounts.map((a) => a.accountId));
      return [];
    },
  };
  return { ...actual, __esModule: true, default: { ...actual.default, asUser, asApp, privacy }, asUser, asApp, privacy, getAppContext: () => ({}) };
});
const mockPushed: { queue: string; body: unknown; delayInSeconds?: number }[] = [];
/** App storage refuses writes to the keys this matches (a KVS 500). */
let mockRefuse = /^$/;
const mockReported: string[][] = [];
jest.mock('@forge/kvs', () => ({
  WhereConditions: { beginsWith: (prefix: string) => prefix },
  kvs: {
    get: async (key: string) => mockStore.get(key),
    set: async (key: string, value: unknown, options?: { keyPolicy?: string }) => {
      if (mockRefuse.test(key)) throw Object.assign(new Error('KVS answered 500'), { code: 'INTERNAL_SERVER_ERROR' });
      if (options?.keyPolicy === 'FAIL_IF_EXISTS' && mockStore.has(key)) throw Object.assign(new Error('key exists'), { code: 'KEY_CONFLICT' });
      mockStore.set(key, value);
    },
    delete: async (key: string) => void mockStore.delete(key),
    query: () => {
      let prefix = '';
      const q = {
        where: (_field: string, p: string) => ((prefix = p), q),
        limit: () => q,
        cursor: () => q,
        getMany: async () => ({ results: [...mockStore].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => ({ key, value })), nextCursor: undefined }),
      };
      return q;
    },
  },
}));
jest.mock('@forge/events', () => ({
  ...jest.requireActual<typeof import('@forge/events')>('@forge/events'),
  Queue: class {
    constructor(private readonly options: { key: string }) {}
    push = async (events: { body: unknown; delayInSeconds?: number } | { body: unknown; delayInSeconds?: number }[]) => {
      for (const e of [events].flat()) mockPushed.push({ queue: this.options.key, ...e });
    };
  },
}));

let log: jest.SpyInstance;
beforeEach(() => {
  mockCalls.length = 0;
  mockPushed.length = 0;
  mockReported.length = 0;
  mockRefuse = /^$/;
  mockStore.clear();
  mockSite.current = createSite({ users: [...Object.values(USERS), ADMIN] });
  mockSite.invoker = null;
  mockStore.set(POLICY_KEY, storedPolicyOf(mockSite.current.state.policy, mockSite.current.now()));
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => log.mockRestore());

const asUser = (accountId: string) => {
  mockSite.invoker = accountId;
  return { accountId };
};
const callsAs = (as: As) => mockCalls.filter((c) => c.as === as).map((c) => c.endpoint);

describe('the panel resolver as Forge runs it', () => {
  it('reads the issue as the viewing user before anything is read as the app', async () => {
    const issue = await mockSite.current!.create();
    const { accountId } = asUser(USERS.ada.accountId);
    const result = await panelResolver({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { accountId, extension: { issue: { key: issue.key, id: issue.id } } } }, {});
    expect(result).toEqual(expect.objectContaining({ ok: true }));
    expect(mockCalls[0]).toEqual({ as: 'user', accountId, endpoint: `GET /rest/api/3/issue/${issue.key}` });
    expect(callsAs('user')).toEqual([`GET /rest/api/3/issue/${issue.key}`]);
    expect(callsAs('app')).toEqual(['POST /rest/api/3/changelog/bulkfetch']);
  });

  it('reads nothing as the app when the user cannot see the issue', async () => {
    const { accountId } = asUser(USERS.ada.accountId);
    const result = await panelResolver({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { accountId, extension: { issue: { key: 'CHG-999', id: '99999' } } } }, {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(callsAs('app')).toEqual([]);
  });
});

describe('the admin resolver as Forge runs it', () => {
  const getAdminState = (accountId: string) =>
    adminResolver({ call: { functionKey: RESOLVER_KEYS.admin.getAdminState, payload: {} }, context: {} }, { principal: { accountId } });

  it('checks Administer Jira as the invoking user, then reads the configuration as the app', async () => {
    const { accountId } = asUser(ADMIN.accountId);
    expect(await getAdminState(accountId)).toEqual(expect.objectContaining({ ok: true }));
    expect(mockCalls[0]).toEqual({ as: 'user', accountId, endpoint: 'GET /rest/api/3/mypermissions' });
    expect(callsAs('user')).toEqual(['GET /rest/api/3/mypermissions']);
    // The configuration (projects, statuses, fields, the workflow) is read as the app, and only read.
    expect(callsAs('app')).toEqual(expect.arrayContaining(['GET /rest/api/3/project/search', 'GET /rest/api/3/status', 'GET /rest/api/3/field']));
    expect(callsAs('app').filter((c) => /^(PUT|DELETE)/.test(c))).toEqual([]);
  });

  it('refuses a user who is not a Jira admin, after that one call as the user', async () => {
    const { accountId } = asUser(USERS.rita.accountId);
    expect(await getAdminState(accountId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    expect(mockCalls).toEqual([{ as: 'user', accountId, endpoint: 'GET /rest/api/3/mypermissions' }]);
  });
});

describe('the rule configuration resolver as Forge runs it', () => {
  const getRuleOptions = (accountId: string) =>
    index.ruleConfigResolver(
      { call: { functionKey: RESOLVER_KEYS.ruleConfig.getRuleOptions, payload: {} }, context: { accountId, extension: { type: 'jira:workflowValidator' } } },
      { principal: { accountId } },
    );

  it('checks Administer Jira as the invoking user and reads nothing as the app', async () => {
    const { accountId } = asUser(ADMIN.accountId);
    expect(await getRuleOptions(accountId)).toEqual(expect.objectContaining({ ok: true }));
    expect(mockCalls).toEqual([{ as: 'user', accountId, endpoint: 'GET /rest/api/3/mypermissions' }]);
  });

  it('refuses a user who is not a Jira admin', async () => {
    const { accountId } = asUser(USERS.rita.accountId);
    expect(await getRuleOptions(accountId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    expect(mockCalls).toEqual([{ as: 'user', accountId, endpoint: 'GET /rest/api/3/mypermissions' }]);
  });
});

describe('app-only handlers', () => {
  const emergencyImplemented = async () => {
    const site = mockSite.current!;
    const issue = await site.create({ [site.state.policy.fields.changeType!]: { value: 'Emergency' } }, hours(0));
    moveTo(site, issue, 'Implemented', USERS.ada, hours(1));
    mockCalls.length = 0;
    return issue;
  };

  it('the history gate reads the issue in the payload and its changelog, as the app', async () => {
    const issue = await mockSite.current!.create();
    const statuses = mockSite.current!.state.policy.statuses;
    const payload = functionValidatorPayload({ issueKey: issue.key, fromStatusId: statuses.Scheduled!, toStatusId: statuses.Implemented!, modifiedFields: {}, accountId: USERS.ada.accountId });
    const result = await historyGate(payload, validatorContext(USERS.ada.accountId));
    expect(result).toEqual(expect.objectContaining({ result: false }));
    expect(mockCalls).toEqual([
      { as: 'app', accountId: null, endpoint: `GET /rest/api/3/issue/${issue.key}` },
      { as: 'app', accountId: null, endpoint: 'POST /rest/api/3/changelog/bulkfetch' },
    ]);
  });

  it('the deployment gate reads the change it is asked about and comments on it, as the app, after checking the pipeline in app storage', async () => {
    const site = mockSite.current!;
    const issue = await site.create({ [site.state.policy.fields.changeType!]: { value: 'Emergency' } }, hours(0));
    mockCalls.length = 0;
    const { token } = await createPipeline(kvsStore(), { name: 'ci', by: { accountId: ADMIN.accountId, displayName: null }, now: new Date() });
    const body = JSON.stringify({ changeKey: issue.key, environment: 'production', sha: 'abcdef1234', deployer: 'ci-bot' });
    const headers = Object.fromEntries(Object.entries(signedGateHeaders(token, body, new Date(), 'wiring-test-nonce-1')).map(([k, v]) => [k, [v]]));
    const answer = await deploymentGate({ method: 'POST', headers, body });
    expect([answer.statusCode, JSON.parse(answer.body).decision]).toEqual([200, 'allow']);
    expect(mockCalls).toEqual([
      { as: 'app', accountId: null, endpoint: `GET /rest/api/3/issue/${issue.key}` },
      { as: 'app', accountId: null, endpoint: `POST /rest/api/3/issue/${issue.id}/comment` },
    ]);
    expect([...mockStore.keys()].filter((k) => k.startsWith(`cc81:deploy:${issue.id}:`))).toHaveLength(1);
  });

  it('the evidence recorder logs the step in app storage and writes the mirror property of the issue in the payload, as the app, naming the actor from the payload', async () => {
    const issue = await mockSite.current!.create();
    mockCalls.length = 0;
    const statuses = mockSite.current!.state.policy.statuses;
    const payload = postFunctionPayload({ issueKey: issue.key, issueId: issue.id, fromStatusId: statuses.Assessment!, toStatusId: statuses.Approved!, executionId: 'exec-1', transitionId: '21', transitionName: 'Approve', accountId: USERS.ada.accountId, changelog: null });
    expect(await index.evidenceRecorder(payload)).toEqual({ outcome: 'recorded', edge: 'approve', mirror: 'written' });
    expect(mockCalls).toEqual([
      { as: 'app', accountId: null, endpoint: `GET /rest/api/3/issue/${issue.id}` },
      { as: 'app', accountId: null, endpoint: `PUT /rest/api/3/issue/${issue.id}/properties/cc81.evidence` },
    ]);
    expect(mockStore.get(`cc81:log:${issue.id}:000001`)).toMatchObject({ seq: 1, edge: 'approve', accountId: USERS.ada.accountId, executionId: 'exec-1' });
    expect(JSON.stringify(issue.properties?.['cc81.evidence'])).toContain(USERS.ada.accountId);
    // A retried post function finds its record: the FAIL_IF_EXISTS write is never needed twice.
    expect(await index.evidenceRecorder(payload)).toEqual({ outcome: 'duplicate', edge: 'approve', mirror: 'written' });
    expect([...mockStore.keys()].filter((k) => k.startsWith(`cc81:log:${issue.id}:`))).toHaveLength(1);
  });

  it('a step app storage refuses is queued on cc81-evidence-retry; its consumer records it as the app, or asks Forge for a retry with an InvocationError', async () => {
    const issue = await emergencyImplemented();
    const statuses = mockSite.current!.state.policy.statuses;
    const payload = postFunctionPayload({ issueKey: issue.key, issueId: issue.id, fromStatusId: statuses.Implemented!, toStatusId: statuses.Implemented!, executionId: 'exec-ph', transitionId: '61', transitionName: 'Post-hoc approve', accountId: USERS.ada.accountId, changelog: null });
    mockRefuse = new RegExp(`^cc81:log:${issue.id}:`);
    expect(await index.evidenceRecorder(payload)).toMatchObject({ outcome: 'failed', retry: 'queued', edge: 'postHocApprove' });
    expect(mockPushed).toEqual([{ queue: 'cc81-evidence-retry', body: expect.objectContaining({ markerId: 'exec-ph' }), delayInSeconds: 60 }]);
    const event = { queueName: 'cc81-evidence-retry', jobId: 'job-1', eventId: 'ev-1', body: mockPushed[0]!.body };
    expect(JSON.parse(JSON.stringify(await index.evidenceRetry(event)))).toEqual({ _retry: true, retryOptions: { retryAfter: 120, retryReason: 'FUNCTION_RETRY_REQUEST' } });
    mockRefuse = /^$/;
    mockCalls.length = 0;
    expect(await index.evidenceRetry({ ...event, retryContext: { retryCount: 1, retryReason: 'FUNCTION_RETRY_REQUEST' } })).toEqual({ statusCode: 204 });
    expect(mockCalls.every((c) => c.as === 'app')).toBe(true);
    expect([...mockStore].filter(([k]) => k.startsWith(`cc81:log:${issue.id}:`)).map(([, v]) => v)).toContainEqual(expect.objectContaining({ edge: 'postHocApprove', accountId: USERS.ada.accountId, executionId: 'exec-ph' }));
    expect([...mockStore.keys()].filter((k) => k.startsWith('cc81:unrecorded:'))).toEqual([]);
  });

  it('the sweep searches, reads the changelog and flags an overdue emergency, all as the app', async () => {
    const issue = await emergencyImplemented();
    expect(await postHocSweep()).toEqual({ statusCode: 204 });
    expect(mockCalls.every((c) => c.as === 'app')).toBe(true);
    expect(mockCalls.map((c) => c.endpoint)).toEqual([
      'POST /rest/api/3/search/jql',
      'POST /rest/api/3/changelog/bulkfetch',
      `PUT /rest/api/3/issue/${issue.id}`,
      `POST /rest/api/3/issue/${issue.id}/comment`,
      `PUT /rest/api/3/issue/${issue.id}/properties/cc81.posthoc`,
    ]);
    expect(issue.fields.labels).toEqual(['cc81-posthoc-overdue']);
  });

  it('a sweep continuation resumes its run from KVS and reads as the app', async () => {
    const issue = await emergencyImplemented();
    mockStore.set(LEASE_KEY, { version: 1, holder: null, expiresAt: new Date(0).toISOString(), runId: 'run-1', continuations: 0, pending: true });
    expect(await index.postHocSweepContinuation({ body: { runId: 'run-1', continuation: 1 } })).toEqual({ statusCode: 204 });
    expect(callsAs('user')).toEqual([]);
    expect(callsAs('app')).toEqual(expect.arrayContaining(['POST /rest/api/3/search/jql', `PUT /rest/api/3/issue/${issue.id}/properties/cc81.posthoc`]));
  });

  it('the evidence export runs as the app: started by a Jira admin, its worker reads as the app', async () => {
    await emergencyImplemented();
    const { accountId } = asUser(ADMIN.accountId);
    const started = await adminResolver(
      { call: { functionKey: RESOLVER_KEYS.admin.startEvidenceExport, payload: { from: '2026-01-01', to: '2026-12-31', size: 1, seed: 7 } }, context: {} },
      { principal: { accountId } },
    );
    expect(started).toEqual(expect.objectContaining({ ok: true }));
    expect(callsAs('user')).toEqual(['GET /rest/api/3/mypermissions']);
    expect(mockPushed).toHaveLength(1);
    mockCalls.length = 0;
    await index.evidenceExportWorker({ body: mockPushed[0]!.body });
    expect(callsAs('user')).toEqual([]);
    expect(callsAs('app')).toContain('POST /rest/api/3/search/jql');
  });

  it('the self-test runs as the app', async () => {
    await selfTestTrigger({}, {});
    expect(mockCalls.length).toBeGreaterThan(0);
    expect(callsAs('user')).toEqual([]);
  });

  it('the failed-expression trigger and the personal data report make no Jira call; the report goes through privacy as the app', async () => {
    mockStore.set(POLICY_KEY, storedPolicyOf(mockSite.current!.state.policy, mockSite.current!.now(), ADMIN.accountId));
    await index.failedExpressionTrigger({});
    await index.personalDataReport();
    expect(mockCalls).toEqual([]);
    expect(mockReported).toHaveLength(1);
    expect(mockReported[0]).toContain(ADMIN.accountId);
  });
});

it('every handler src/index.ts exports is exercised here', () => {
  const exercised = ['panelResolver', 'adminResolver', 'ruleConfigResolver', 'historyGate', 'evidenceRecorder', 'evidenceRetry', 'postHocSweep', 'postHocSweepContinuation', 'evidenceExportWorker', 'selfTestTrigger', 'failedExpressionTrigger', 'personalDataReport', 'deploymentGate'];
  expect(Object.keys(index).sort()).toEqual(exercised.sort());
});
