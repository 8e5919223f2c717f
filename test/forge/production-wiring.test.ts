// Adapter test: @forge/api and @forge/kvs are mocked in this file only. The handlers Forge runs
// (src/index.ts) go to the sandbox's router through a fake requestJira that records, per call,
// whether it was made as the user or as the app: what a user may see is read as the user.
import { ADMIN, createSite, Site, USERS } from '../sandbox/server/server-fixture';
import { storedPolicyOf } from '../../sandbox/forge-runtime/stored-policy';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { adminResolver, historyGate, panelResolver, postHocSweep, selfTestTrigger } from '../../src/index';

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
  return { ...actual, __esModule: true, default: { ...actual.default, asUser, asApp }, asUser, asApp, getAppContext: () => ({}) };
});
jest.mock('@forge/kvs', () => ({
  kvs: {
    get: async (key: string) => mockStore.get(key),
    set: async (key: string, value: unknown) => void mockStore.set(key, value),
    delete: async (key: string) => void mockStore.delete(key),
  },
}));
jest.mock('@forge/events', () => ({ Queue: class { push = async () => undefined; } }));

let log: jest.SpyInstance;
beforeEach(() => {
  mockCalls.length = 0;
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
    expect(callsAs('app').length).toBeGreaterThan(0);
  });

  it('refuses a user who is not a Jira admin, after that one call as the user', async () => {
    const { accountId } = asUser(USERS.rita.accountId);
    expect(await getAdminState(accountId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    expect(mockCalls).toEqual([{ as: 'user', accountId, endpoint: 'GET /rest/api/3/mypermissions' }]);
  });
});

describe('app-only handlers', () => {
  it('the history gate reads the issue and its changelog as the app', async () => {
    const issue = await mockSite.current!.create();
    const statuses = mockSite.current!.state.policy.statuses;
    const result = await historyGate({ issue: { key: issue.key }, transition: { from: { id: statuses.Scheduled }, to: { id: statuses.Implemented } } }, {});
    expect(result).toEqual(expect.objectContaining({ result: false }));
    expect(mockCalls.length).toBeGreaterThan(0);
    expect(callsAs('user')).toEqual([]);
  });

  it('the sweep and the self-test run as the app', async () => {
    expect(await postHocSweep()).toEqual({ statusCode: 204 });
    await selfTestTrigger({}, {});
    expect(mockCalls.length).toBeGreaterThan(0);
    expect(callsAs('user')).toEqual([]);
  });
});
