import { Policy } from '../../src/domain';
import { readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { seedEvidenceLog } from '../../sandbox/forge-runtime/seed-evidence-log';
import { createPanelResolver, PanelResolverDeps } from '../../src/forge/create-panel-resolver';
import type { LogFields } from '../../src/ports/logger';
import { countingTransport, JiraTransport } from '../../src/jira/transport';
import { seedDemo } from '../../sandbox/demo/seed-demo';
import { DEMO_USERS, demoUsers } from '../../sandbox/demo/demo-users';
import { routerTransport } from '../../sandbox/forge-runtime/router-transport';
import { createRouter } from '../../sandbox/server';
import { createSandboxState } from '../../sandbox/state/sandbox-state';
import { PanelResponse, PanelResponseSchema } from '../../src/shared/panel-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { approvedAndScheduled, aSitePolicy, FIELD_IDS, issueJson, IssueJsonSpec, JiraHistory, UNMAPPED_STATUS_ID } from '../fakes/jira-json.builder';
import { PermissiveWorkflow } from '../sandbox/server/server-fixture';

const NOW = at(12);
const KEY = 'CHG-42';
type Result = { ok: true; data: PanelResponse } | { ok: false; error: { code: string; message: string } };

interface Setup {
  issue?: Partial<IssueJsonSpec>;
  histories?: JiraHistory[];
  policy?: Policy;
  deps?: Partial<PanelResolverDeps>;
  prepare?: (jira: FakeJira) => void;
}

const setup = (spec: Setup = {}) => {
  const jira = new FakeJira().addIssue(
    issueJson({ key: KEY, id: '10042', state: 'Scheduled', fields: completeFields(), ...spec.issue }),
    spec.histories ?? approvedAndScheduled().build(),
  );
  spec.prepare?.(jira);
  const user = countingTransport(jira.transport);
  const app = countingTransport(jira.transport);
  const logs: { event: string; fields: LogFields }[] = [];
  const loadPolicy = jest.fn(async () => ({ policy: spec.policy ?? aSitePolicy(), version: 3 }));
  const store = new MemoryStore();
  const handler = createPanelResolver({
    userTransport: user.transport,
    appTransport: app.transport,
    evidenceLog: (issueId) => readEvidenceLog(store, issueId),
    loadPolicy,
    clock: () => NOW,
    log: (event, fields) => logs.push({ event, fields }),
    ...spec.deps,
  });
  /** Forge passes the invoking user as the runtime payload's principal; the resolver puts it in `context.accountId`. */
  const call = (context: Record<string, unknown>, payload: unknown = {}, accountId = 'acc-implementer') =>
    handler({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload }, context }, { principal: { accountId } }) as Promise<Result>;
  return { jira, user, app, logs, loadPolicy, call, store };
};

const panelContext = (key = KEY) => ({ extension: { type: 'jira:issuePanel', issue: { key, id: '10042', type: 'Change' } } });

const dataOf = (result: Result): PanelResponse => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  expect(PanelResponseSchema.safeParse(result.data).success).toBe(true);
  return result.data;
};
const viewOf = (result: Result) => {
  const data = dataOf(result);
  if (data.status !== 'ok') throw new Error(`expected a view, got ${data.status}`);
  return data.view;
};
const errorOf = (result: Result) => {
  if (result.ok) throw new Error('expected an error');
  return result.error;
};

describe('panel resolver', () => {
  it('reads the issue as the user, then the changelog as the app: 2 REST calls, a validated view', async () => {
    const { call, user, app, logs } = setup();
    const view = viewOf(await call(panelContext()));
    expect(view).toMatchObject({ issueKey: KEY, state: 'Scheduled', policyVersion: 3, generatedAt: NOW.toISOString() });
    expect(user.calls).toEqual([`GET /rest/api/3/issue/${KEY}`]);
    expect(app.calls).toEqual(['POST /rest/api/3/changelog/bulkfetch']);
    expect(view.readiness.find((r) => r.edge === 'implement')).toMatchObject({ allowed: true });
    expect(view.pairs[0]).toMatchObject({ verdict: 'ok' });
    expect(logs).toEqual([{ event: 'cc81-panel', fields: expect.objectContaining({ issueKey: KEY, outcome: 'ok', restCalls: 2, policyVersion: 3 }) }]);
  });

  it('asks for the mapped fields, the issue type and the evidence property', async () => {
    const { call, jira } = setup();
    await call(panelContext());
    const query = jira.requests[0]?.query ?? {};
    expect(query.properties).toBe('cc81.evidence');
    expect(query.fields?.split(',')).toEqual(expect.arrayContaining(['status', 'created', 'issuetype', FIELD_IDS.approver, FIELD_IDS.changeType]));
    expect(jira.requests[1]?.body).toMatchObject({ issueIdsOrKeys: ['10042'], maxResults: 10_000 });
  });

  it('takes the issue key from the Forge context and ignores any key in the payload', async () => {
    const { call, jira } = setup({ prepare: (j) => j.addIssue(issueJson({ key: 'EVIL-1', id: '666', state: 'Draft', fields: completeFields() })) });
    const view = viewOf(await call(panelContext(), { issueKey: 'EVIL-1', key: 'EVIL-1', issueId: '666' }));
    expect(view.issueKey).toBe(KEY);
    expect(jira.requests.map((r) => r.path)).not.toContain('/rest/api/3/issue/EVIL-1');
  });

  it('without an issue in the context, answers an error and calls nothing', async () => {
    const { call, jira, loadPolicy } = setup();
    expect(errorOf(await call({ extension: { type: 'jira:issuePanel' } }, { issueKey: KEY }))).toMatchObject({ code: 'NO_ISSUE_CONTEXT' });
    expect(jira.requests).toHaveLength(0);
    expect(loadPolicy).not.toHaveBeenCalled();
  });

  it.each([404, 403])('a %s on the user’s read gives no data and makes no second call', async (status) => {
    const { call, jira, app, logs } = setup({ prepare: (j) => j.failNext(/GET \/rest\/api\/3\/issue\//, { kind: 'status', status }) });
    const result = await call(panelContext());
    expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/do not have permission/) } });
    expect(jira.requests).toHaveLength(1);
    expect(app.count()).toBe(0);
    expect(logs[0]?.fields).toMatchObject({ errorCode: 'NOT_FOUND', httpStatus: status, restCalls: 1 });
  });

  it('an issue that does not exist is NOT_FOUND', async () => {
    const { call } = setup();
    expect(errorOf(await call(panelContext('CHG-999')))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a malformed changelog gives a clear MALFORMED error', async () => {
    const { call, jira } = setup({
      prepare: (j) => j.failNext(/bulkfetch/, { kind: 'body', body: { issueChangeLogs: [{ issueId: '10042', changeHistories: [{ id: '1', created: 'yesterday', items: 'x' }] }] } }),
    });
    const error = errorOf(await call(panelContext()));
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toMatch(/changelog\/bulkfetch/);
    expect(error.message).toMatch(/Reload the issue/);
    expect(jira.requests).toHaveLength(2);
  });

  it('a changelog that is not JSON is MALFORMED too', async () => {
    const { call } = setup({ prepare: (j) => j.failNext(/bulkfetch/, { kind: 'malformed-json' }) });
    expect(errorOf(await call(panelContext())).code).toBe('MALFORMED');
  });

  it('a 429 is RATE_LIMITED with the wait; a 500 is JIRA_ERROR', async () => {
    const limited = setup({ prepare: (j) => j.failNext(/bulkfetch/, { kind: 'status', status: 429, headers: { 'Retry-After': '7' } }) });
    expect(errorOf(await limited.call(panelContext()))).toEqual({ code: 'RATE_LIMITED', message: 'Jira is rate-limiting the CC8.1 app. Reload the issue in 7 s.' });
    const failing = setup({ prepare: (j) => j.failNext(/GET \/rest\/api\/3\/issue\//, { kind: 'status', status: 500 }) });
    expect(errorOf(await failing.call(panelContext()))).toMatchObject({ code: 'JIRA_ERROR', message: expect.stringMatching(/answered 500/) });
    expect(failing.jira.requests).toHaveLength(1);
  });

  it('a history longer than one page is a clear error', async () => {
    const { call } = setup({ prepare: (j) => j.failNext(/bulkfetch/, { kind: 'body', body: { issueChangeLogs: [], nextPageToken: 'more' } }) });
    expect(errorOf(await call(panelContext())).code).toBe('HISTORY_TOO_LONG');
  });

  it('an issue with no change type and a non-change issue type is not-a-change, after one call', async () => {
    const { call, jira } = setup({
      issue: { fields: { ...completeFields(), changeType: null }, raw: { issuetype: { id: '10001', name: 'Bug' }, status: { id: UNMAPPED_STATUS_ID, name: 'To Do' } } },
    });
    expect(dataOf(await call(panelContext()))).toEqual({ status: 'not-a-change', message: expect.stringMatching(/not a CC8.1 change ticket/) });
    expect(jira.requests).toHaveLength(1);
  });

  it('a Change issue without a change type yet is still a change', async () => {
    const { call } = setup({ issue: { state: 'Draft', fields: { ...completeFields(), changeType: null } }, histories: [] });
    expect(viewOf(await call(panelContext()))).toMatchObject({ state: 'Draft', changeType: null });
  });

  it('unmapped policy fields give not-configured, listing them, with a pointer to the admin page', async () => {
    const policy = aSitePolicy();
    const fields = { ...policy.fields };
    delete fields.approver;
    delete fields.testPlan;
    const { call, jira } = setup({ policy: { ...policy, fields, statuses: { ...policy.statuses, Closed: undefined } } });
    const data = dataOf(await call(panelContext()));
    expect(data).toEqual({ status: 'not-configured', missing: ['Approver', 'Test plan', 'Status: Closed'], message: expect.stringMatching(/CC8\.1 admin page/) });
    expect(jira.requests).toHaveLength(1);
  });

  it('a change in an unmapped status is not-configured', async () => {
    const { call } = setup({ issue: { raw: { status: { id: UNMAPPED_STATUS_ID, name: 'On hold' } } } });
    expect(dataOf(await call(panelContext()))).toMatchObject({ status: 'not-configured', missing: ['Status "On hold" (not mapped to a lifecycle state)'] });
  });

  it('never logs field values or messages', async () => {
    const { call, logs } = setup();
    await call(panelContext());
    const logged = JSON.stringify(logs);
    expect(logged).not.toMatch(/Rotate TLS|Redeploy|acc-approver/);
  });
});

describe('panel resolver over the sandbox', () => {
  const sandbox = () => {
    const now = new Date('2026-11-20T12:00:00.000Z');
    const state = createSandboxState(demoUsers());
    seedDemo(state, now);
    const demoLog = (async () => {
      const store = createMemoryKvs();
      await seedEvidenceLog(store, state.appEvidence);
      return store;
    })();
    const clock = () => now;
    const router = createRouter({ state, workflow: new PermissiveWorkflow(state, clock), clock, log: () => undefined });
    const keyOf = (summary: string) => state.issues.find((i) => i.fields.summary === summary)!.key;
    const resolverFor = (accountId: string) => {
      const user = countingTransport(routerTransport(() => router, { asAccountId: accountId }) as JiraTransport);
      const app = countingTransport(routerTransport(() => router, { asApp: true }));
      const handler = createPanelResolver({
        userTransport: user.transport,
        appTransport: app.transport,
        evidenceLog: async (issueId) => readEvidenceLog(await demoLog, issueId),
        loadPolicy: async () => ({ policy: state.policy, version: 1 }),
        clock,
        log: () => undefined,
      });
      const call = (key: string) =>
        handler({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { extension: { issue: { key } } } }, { principal: { accountId } }) as Promise<Result>;
      return { call, restCalls: () => user.count() + app.count() };
    };
    return { keyOf, resolverFor };
  };

  it('the self-approved demo ticket shows the conflict in ≤ 2 calls', async () => {
    const { keyOf, resolverFor } = sandbox();
    const { call, restCalls } = resolverFor(DEMO_USERS.verifier.accountId);
    const view = viewOf(await call(keyOf('Self-approved: logging level change')));
    expect(view.pairs[0]).toMatchObject({ verdict: 'conflict', message: 'Approved by the implementer' });
    expect(view.findings.map((f) => f.code)).toContain('APPROVER_IS_IMPLEMENTER');
    expect(restCalls()).toBeLessThanOrEqual(2);
  });

  it('names the CAB member whose post-hoc approval only the app log records (one lookup, as the viewer), never by account id (issue 18)', async () => {
    const { keyOf, resolverFor } = sandbox();
    const { call, restCalls } = resolverFor(DEMO_USERS.compliance.accountId);
    const view = viewOf(await call(keyOf('Fix DNS TTL for status page')));
    const shown = JSON.stringify(view);
    expect(shown).toContain('Carl CAB');
    // Account ids stay in accountId fields only; no name, message or timeline text carries one.
    const texts = [...view.pairs.map((p) => p.message), ...view.timeline.map((t) => t.text), ...view.roles.flatMap((r) => [r.named?.displayName, r.acted?.displayName])];
    expect(texts.filter((t) => t?.includes(DEMO_USERS.cab.accountId))).toEqual([]);
    expect(view.timeline.some((t) => t.actor?.displayName === 'Carl CAB')).toBe(true);
    // One lookup (the CAB member); the viewer, whom this ticket does not name, is asked of Jira only when they export.
    expect(view.viewer).toBeNull();
    expect(restCalls()).toBe(3);
  });

  it('the implementer sees Approve refused on an assessment ticket; the approver may approve', async () => {
    const { keyOf, resolverFor } = sandbox();
    const key = keyOf('Increase Kafka retention to 14 days');
    const approveFor = async (accountId: string) => viewOf(await resolverFor(accountId).call(key)).readiness.find((r) => r.edge === 'approve');
    expect(await approveFor(DEMO_USERS.implementer.accountId)).toMatchObject({ allowed: false, reasons: expect.arrayContaining([expect.stringMatching(/implementer may not Approve/)]) });
    expect(await approveFor(DEMO_USERS.approver.accountId)).toMatchObject({ allowed: true });
  });

  it('the deleted user on a demo ticket is shown inactive', async () => {
    const { keyOf, resolverFor } = sandbox();
    const view = viewOf(await resolverFor(DEMO_USERS.approver.accountId).call(keyOf('Fix DNS TTL for status page')));
    expect(view.roles.find((r) => r.role === 'implementer')?.named).toMatchObject({ accountId: DEMO_USERS.former.accountId, active: false });
  });
});
