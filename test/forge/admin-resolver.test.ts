import { FIELD_KEYS, OPTION_LABELS, type Policy } from '../../src/domain';
import { createAdminResolver, SELF_TEST_KEY } from '../../src/forge/create-admin-resolver';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_HISTORY_KEY, policyRevisionKey } from '../../src/policy/policy-history';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { AdminStateSchema, CreateFieldsResultSchema, ApplySetupResultSchema, type AdminResult, type AdminState } from '../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { at } from '../builders/clock';
import { aMappedPolicy, CUSTOM_FIELD_IDS } from '../builders/mapped-policy.builder';
import { aPolicy } from '../builders/policy.builder';
import { FakeJiraConfig, mappedCustomFields } from '../fakes/fake-jira-config';
import { NeedsAuthenticationError } from '@forge/api';
import { MemoryStore } from '../fakes/fake-jira';
import { anOfferList, APP_ENVIRONMENT, OTHER_ENV_ARI } from '../builders/workflow.builder';
import { EXPRESSION_FAILURES_KEY } from '../../src/setup/expression-failures';

const NOW = at(5);
const SCOPE = { projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' };
const K = RESOLVER_KEYS.admin;

const setup = (opts: { stored?: unknown; policy?: Policy; fields?: boolean } = {}) => {
  const policy = opts.policy ?? aMappedPolicy({ scope: SCOPE });
  const jira = new FakeJiraConfig(policy);
  if (opts.fields !== false) jira.fields.push(...mappedCustomFields(policy));
  const store = new MemoryStore();
  if (opts.stored !== undefined) store.values.set(POLICY_KEY, opts.stored);
  const logs: { event: string; fields: LogFields }[] = [];
  // Forge's asUser() acts as whoever invoked the resolver.
  let invoker = 'admin-1';
  const handler = createAdminResolver({
    userTransport: (request) => jira.transportAs(invoker)(request),
    appTransport: jira.transportAs(null),
    store,
    clock: () => NOW,
    log: (event, fields) => logs.push({ event, fields }),
    environment: () => APP_ENVIRONMENT,
  });
  const call = <T = AdminState>(key: string, payload: unknown = {}, context: Record<string, unknown> = {}, accountId = 'admin-1', license?: unknown) => {
    invoker = accountId;
    return handler({ call: { functionKey: key, payload }, context }, { principal: { accountId }, ...(license === undefined ? {} : { license }) }) as Promise<AdminResult<T>>;
  };
  return { jira, store, logs, call, policy };
};

const data = <T>(result: AdminResult<T>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data;
};
const error = <T>(result: AdminResult<T>) => {
  if (result.ok) throw new Error('expected an error');
  return result.error;
};
const storedPolicy = (policy: Policy, version = 1) => ({ version, policy: JSON.parse(JSON.stringify(policy)), updatedBy: 'admin-1', updatedAt: at(0).toISOString() });

describe('admin resolver', () => {
  it.each(Object.values(K))('refuses %s to a non-admin after one permission check, changing nothing', async (key) => {
    const { call, jira, store } = setup();
    const result = await call(key, { baseVersion: 0, policy: {}, workflowVersionId: 'v-1', policyVersion: 0 }, {}, 'engineer-1');
    expect(error(result)).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/Only Jira admins/) });
    expect(jira.requests).toEqual(['GET /rest/api/3/mypermissions']);
    expect(store.values.size).toBe(0);
  });

  it('takes the caller from the Forge principal, never from the browser context', async () => {
    const { call } = setup();
    const result = await call(K.getAdminState, {}, { accountId: 'admin-1' }, 'engineer-1');
    expect(error(result).code).toBe('FORBIDDEN');
  });

  it('answers the whole state for a fresh site: default policy, site fields with suitability, the setup unavailable until a scope is saved', async () => {
    const { call, jira } = setup({ policy: aPolicy(), fields: false });
    const state = data(await call(K.getAdminState));
    expect(AdminStateSchema.parse(state)).toEqual(state);
    expect(state.policy).toEqual(expect.objectContaining({ state: 'default', version: 0 }));
    expect(state.licensed).toBe(true);
    expect(state.site.projects).toEqual([{ id: '10000', key: 'CHG', name: 'Change Management', companyManaged: true, issueTypes: [{ id: '10005', name: 'Change' }] }]);
    expect(state.site.fields.find((f) => f.id === 'description')!.suitableFor).toContain('justification');
    expect(state.site.fields.find((f) => f.id === 'created')!.suitableFor).toEqual([]);
    expect(state.setup).toEqual(expect.objectContaining({ state: 'unavailable', code: 'SCOPE_UNSET' }));
    expect(jira.requests.length).toBeLessThanOrEqual(5);
  });

  it("records the Jira type of each mapped field the site keeps in another type of field (a text field for Target systems, a multi-select), so every reader reads it the same way", async () => {
    const { call, jira, store, policy } = setup();
    const field = jira.fields.find((f) => f.id === policy.fields.targetSystems)!;
    field.schema = { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' };
    data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0 }));
    expect((store.values.get(POLICY_KEY) as { policy: Policy }).policy.fieldTypes).toEqual({ targetSystems: 'string' });
    field.schema = { type: 'array', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiselect' };
    data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 1 }));
    expect((store.values.get(POLICY_KEY) as { policy: Policy }).policy.fieldTypes).toEqual({ targetSystems: 'multioption' });
    // A multi-select cannot hold a person: refused, naming the field.
    jira.fields.find((f) => f.id === policy.fields.implementer)!.schema = { type: 'array', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiselect' };
    expect(error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 2 })).fieldErrors).toEqual([
      { path: 'fields.implementer', message: expect.stringMatching(/is a multi-select list field, which cannot hold Implementer: it needs a user picker or multi-user picker field/) },
    ]);
  });

  it('saves a valid policy as version 1 with who and when, and keeps a history of changes', async () => {
    const { call, store, policy, jira } = setup();
    const first = data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0, reason: 'initial setup' }));
    // One read each of the site's lists, shared by the save's checks and the state it answers.
    expect(jira.requests.filter((r) => r === 'GET /rest/api/3/field' || r === 'GET /rest/api/3/status')).toEqual(['GET /rest/api/3/field', 'GET /rest/api/3/status']);
    // The caller comes from the Forge context; /myself, as the user, only names them in the history.
    expect(jira.requests.filter((r) => r === 'GET /rest/api/3/myself')).toEqual(['GET /rest/api/3/myself']);
    expect(jira.requests).toHaveLength(9);
    expect(first.policy).toEqual(expect.objectContaining({ state: 'saved', version: 1, updatedBy: { accountId: 'admin-1', displayName: 'Name of admin-1' }, updatedAt: NOW.toISOString() }));
    const changed = { ...JSON.parse(JSON.stringify(policy)), windowEnforcement: 'flag', postHoc: { windowHours: 48, warnBeforeHours: 12 } };
    const second = data(await call(K.savePolicy, { policy: changed, baseVersion: 1 }));
    expect(second.history.map((h) => [h.version, h.changes])).toEqual([
      [2, ['postHoc.warnBeforeHours', 'postHoc.windowHours', 'windowEnforcement']],
      [1, expect.arrayContaining(['scope', 'fields.risk', 'statuses.Draft'])],
    ]);
    expect(second.history[1]!.reason).toBe('initial setup');
    expect(store.values.get(policyRevisionKey(1))).toEqual(expect.objectContaining({ version: 1, policy: expect.objectContaining({ windowEnforcement: 'block' }) }));
    expect((store.values.get(POLICY_KEY) as { version: number }).version).toBe(2);
  });

  it('lets members of the policy\'s exporters group (compliance leads, not Jira admins) export evidence, and nothing else (issue 18)', async () => {
    const { call, policy, jira } = setup();
    data(await call(K.savePolicy, { policy: { ...JSON.parse(JSON.stringify(policy)), exporters: { groupName: 'compliance' } }, baseVersion: 0 }));
    jira.groups.set('lead-1', ['jira-users', 'compliance']);
    jira.groups.set('dev-1', ['jira-users']);
    expect(data(await call(K.getExportContext, {}, {}, 'lead-1'))).toEqual({ licensed: true, scope: expect.objectContaining({ projectKey: 'CHG' }), exportersGroup: 'compliance' });
    expect(data(await call(K.getEvidenceExport, {}, {}, 'lead-1'))).toEqual({ job: null });
    expect(error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 1 }, {}, 'lead-1'))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Only Jira admins can change/) });
    expect(error(await call(K.getEvidenceExport, {}, {}, 'dev-1'))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Only Jira admins and members of the group "compliance" can build and download/) });
  });

  it('without an exporters group, only Jira admins export, and the refusal says how to change that', async () => {
    const { call, policy, jira } = setup();
    data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0 }));
    jira.groups.set('lead-1', ['compliance']);
    expect(error(await call(K.getEvidenceExport, {}, {}, 'lead-1'))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/name an exporters group on the CC8.1 admin page/) });
  });

  it('a save that changes nothing makes no new version (issue 18)', async () => {
    const { call, store, policy } = setup();
    data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0 }));
    const again = data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 1, reason: 'no change' }));
    expect(again.policy).toEqual(expect.objectContaining({ state: 'saved', version: 1 }));
    expect(again.history.map((h) => h.version)).toEqual([1]);
    expect(store.values.get(policyRevisionKey(2))).toBeUndefined();
  });

  it('gives field-level errors for an invalid policy and stores nothing', async () => {
    const { call, store } = setup();
    const result = await call(K.savePolicy, { policy: { postHoc: { windowHours: 96, warnBeforeHours: 24 }, lowRiskRelaxation: { enabled: true, compensatingControl: 'too short' } }, baseVersion: 0 });
    const e = error(result);
    expect(e.code).toBe('INVALID_POLICY');
    expect(e.fieldErrors!.map((f) => f.path)).toEqual(expect.arrayContaining(['postHoc.windowHours', 'lowRiskRelaxation.compensatingControl']));
    expect(store.values.size).toBe(0);
  });

  it('refuses a mapping to a field the site lacks or of the wrong type, naming the field', async () => {
    const { call } = setup();
    const policy = aMappedPolicy({ scope: SCOPE });
    const fields = { ...policy.fields, risk: 'customfield_99999', implementer: CUSTOM_FIELD_IDS.testPlan };
    const e = error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify({ ...policy, fields: { ...fields, testPlan: CUSTOM_FIELD_IDS.implementer } })), baseVersion: 0 }));
    expect(e.code).toBe('INVALID_POLICY');
    expect(e.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: 'fields.risk', message: expect.stringMatching(/no field customfield_99999/) },
        { path: 'fields.implementer', message: expect.stringMatching(/is a paragraph field, which cannot hold Implementer: it needs a user picker or multi-user picker field/) },
      ]),
    );
  });

  it('refuses a save based on an old version (someone else saved)', async () => {
    const { call, policy } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 4) });
    const e = error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 3 }));
    expect(e).toEqual({ code: 'POLICY_CONFLICT', message: expect.stringMatching(/version 4 is now saved/) });
  });

  it('reports a corrupted stored policy, never replaces it silently, and archives it when the admin replaces it', async () => {
    const corrupted = { version: 7, policy: { postHoc: { windowHours: 'soon' } }, updatedBy: 'admin-1', updatedAt: at(0).toISOString() };
    const { call, store, policy } = setup({ stored: corrupted });
    const state = data(await call(K.getAdminState));
    expect(state.policy).toEqual({ state: 'corrupted', errors: [expect.objectContaining({ path: 'postHoc.windowHours' })] });
    expect(state.setup).toEqual(expect.objectContaining({ state: 'unavailable', code: 'POLICY_CORRUPTED' }));
    const refused = error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 7 }));
    expect(refused.code).toBe('POLICY_CORRUPTED');
    expect(store.values.get(POLICY_KEY)).toEqual(corrupted);
    const replaced = data(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 7, replaceCorrupted: true }));
    expect(replaced.policy).toEqual(expect.objectContaining({ state: 'saved', version: 8 }));
    expect(store.values.get(`cc81:policy:corrupted:${NOW.toISOString()}`)).toEqual(expect.objectContaining({ value: corrupted, archivedBy: 'admin-1' }));
  });

  it('is read-only on an unlicensed site: the state says so and changes are refused', async () => {
    const { call, store, policy } = setup();
    const state = data(await call(K.getAdminState, {}, {}, 'admin-1', { isActive: false }));
    expect(state.licensed).toBe(false);
    const e = error(await call(K.savePolicy, { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0 }, {}, 'admin-1', { isActive: false }));
    expect(e.code).toBe('UNLICENSED');
    expect(store.values.has(POLICY_KEY)).toBe(false);
  });

  it("lists each mapped choice field's labels on the site, over its contexts; a field Jira refuses is reported, the others still read", async () => {
    const policy = aMappedPolicy({ scope: SCOPE });
    const { call, jira } = setup({ stored: storedPolicy(policy), policy });
    const risk = policy.fields.risk!;
    const verification = policy.fields.verificationResult!;
    jira.contexts.set(risk, 'ctx-risk');
    jira.options.set(risk, ['Low', 'Medium', 'High', 'Critical']);
    jira.contexts.set(verification, 'ctx-ver');
    jira.options.set(verification, ['Pass', 'Failed - rolled back']);
    jira.failNext(new RegExp(`GET /rest/api/3/field/${policy.fields.changeType}/context$`), 500);
    const answer = data(await call<{ fields: unknown[] }>(K.getSiteOptions));
    expect(answer.fields).toEqual([
      { field: 'changeType', fieldId: policy.fields.changeType, labels: [], problem: expect.stringMatching(/^Jira did not list this field's options .*map its labels in the policy file instead/) },
      { field: 'risk', fieldId: risk, labels: ['Low', 'Medium', 'High', 'Critical'], problem: null },
      { field: 'verificationResult', fieldId: verification, labels: ['Pass', 'Failed - rolled back'], problem: null },
    ]);
  });

  it('creates the missing CC8.1 fields with the right types and options, and saves the mapping as a new version', async () => {
    const { call, jira, store } = setup({ policy: aPolicy(), fields: false });
    const result = CreateFieldsResultSchema.parse(data(await call(K.createRecommendedFields, { baseVersion: 0 })));
    const expected = FIELD_KEYS.filter((k) => !['summary', 'justification', 'requester'].includes(k));
    expect(result.created.map((c) => c.key).sort()).toEqual([...expected].sort());
    const risk = result.created.find((c) => c.key === 'risk')!;
    expect(jira.fields.find((f) => f.id === risk.fieldId)!.schema!.custom).toMatch(/:select$/);
    expect(jira.options.get(risk.fieldId)).toEqual(Object.values(OPTION_LABELS.risk));
    expect(result.state.policy).toEqual(expect.objectContaining({ state: 'saved', version: 1 }));
    expect(result.state.history[0]!.reason).toMatch(/Created recommended fields: /);
    // A second run creates nothing.
    const again = CreateFieldsResultSchema.parse(data(await call(K.createRecommendedFields, { baseVersion: 1 })));
    expect(again.created).toEqual([]);
    expect((store.values.get(POLICY_HISTORY_KEY) as unknown[]).length).toBe(1);
  });

  it('keeps the fields created before Jira failed, and says what to do', async () => {
    const { jira, store } = setup({ policy: aPolicy(), fields: false });
    let creates = 0;
    const original = jira.transportAs(null);
    const flaky = createAdminResolver({
      userTransport: jira.transportAs('admin-1'),
      appTransport: async (request) => {
        if (request.method === 'POST' && request.path === '/rest/api/3/field' && ++creates === 3) return { status: 500, header: () => null, json: async () => ({}) };
        return original(request);
      },
      store,
      clock: () => NOW,
      log: () => undefined,
    });
    const result = (await flaky({ call: { functionKey: K.createRecommendedFields, payload: { baseVersion: 0 } }, context: {} }, { principal: { accountId: 'admin-1' } })) as AdminResult<unknown>;
    const e = error(result);
    expect(e.message).toMatch(/^Created and mapped .+\. Could not create the rest: .*500.* again to retry\.$/);
    const saved = store.values.get(POLICY_KEY) as { version: number; policy: { fields: Record<string, string> } };
    expect(Object.keys(saved.policy.fields).length).toBe(3 + 2); // summary, justification, requester + two created
    expect(saved.version).toBe(1);
  });

  it('saves with the account id alone when /myself fails: the name is only a courtesy', async () => {
    const { jira, store, policy } = setup();
    const user = jira.transportAs('admin-1');
    const handler = createAdminResolver({
      userTransport: async (request) => (request.path === '/rest/api/3/myself' ? { status: 500, header: () => null, json: async () => ({}) } : user(request)),
      appTransport: jira.transportAs(null),
      store,
      clock: () => NOW,
      log: () => undefined,
      environment: () => APP_ENVIRONMENT,
    });
    const payload = { policy: JSON.parse(JSON.stringify(policy)), baseVersion: 0 };
    const saved = data((await handler({ call: { functionKey: K.savePolicy, payload }, context: {} }, { principal: { accountId: 'admin-1' } })) as AdminResult<AdminState>);
    expect(saved.policy).toEqual(expect.objectContaining({ version: 1, updatedBy: { accountId: 'admin-1', displayName: null } }));
  });

  it('dry-runs the workflow setup, applies exactly that, and refuses an outdated dry run', async () => {
    const { call, jira, policy } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    const plan = data(await call<import('../../src/shared/admin-contract').WorkflowPlanView>(K.planWorkflowSetup));
    if (plan.state !== 'ready') throw new Error(plan.message);
    expect(plan.upToDate).toBe(false);
    expect(jira.updates).toHaveLength(0);
    const stale = error(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 1 }));
    expect(stale.code).toBe('PLAN_OUTDATED');
    const applied = ApplySetupResultSchema.parse(data(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 })));
    expect(applied.updatedTransitions).toBe(plan.changedTransitions);
    expect(jira.updates).toHaveLength(1);
    expect(applied.state.setup).toEqual(expect.objectContaining({ state: 'ready', upToDate: true }));
    const again = error(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 }));
    expect(again.code).toBe('PLAN_OUTDATED');
    expect(policy.scope).toEqual(SCOPE);
  });

  it('maps a 409 from Jira (a concurrent workflow edit) to PLAN_OUTDATED', async () => {
    const { call, jira } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    const plan = data(await call<import('../../src/shared/admin-contract').WorkflowPlanView>(K.planWorkflowSetup));
    if (plan.state !== 'ready') throw new Error(plan.message);
    jira.failNext(/workflows\/update/, 409);
    expect(error(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 })).code).toBe('PLAN_OUTDATED');
  });

  it.each([
    [429, { 'retry-after': '30' }, 'RATE_LIMITED'],
    [500, undefined, 'JIRA_HTTP'],
  ] as const)('answers a clear error when Jira answers %s, logging ids and counts only', async (status, headers, code) => {
    const { call, jira, logs } = setup();
    jira.failNext(/GET \/rest\/api\/3\/field$/, status, headers);
    const e = error(await call(K.getAdminState));
    expect(e.code).toBe(code);
    expect(logs.at(-1)!.fields).toEqual(expect.objectContaining({ outcome: 'refused', errorCode: code, restCalls: expect.any(Number) }));
    expect(JSON.stringify(logs)).not.toMatch(/Change Management/);
  });

  it('runs the self-test on demand and keeps the report for the page', async () => {
    const { call, store } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    const { report } = data(await call<{ report: import('../../src/shared/admin-contract').SelfTestReport }>(K.runSelfTest));
    expect(report.trigger).toBe('manual');
    expect(report.checks.find((c) => c.id === 'rules-current')!.status).toBe('fail');
    expect(store.values.get(SELF_TEST_KEY)).toEqual(report);
    const state = data(await call(K.getAdminState));
    expect(state.selfTest).toEqual(report);
  });

  it('rejects a malformed payload with INVALID_PAYLOAD', async () => {
    const { call } = setup();
    expect(error(await call(K.savePolicy, { policy: 'not an object', baseVersion: -1 })).code).toBe('INVALID_PAYLOAD');
    expect(error(await call(K.applyWorkflowSetup, { workflowVersionId: '' })).code).toBe('INVALID_PAYLOAD');
  });

  it('refuses to plan or install on a workflow shared with another project, saying to make a dedicated copy', async () => {
    const { call, jira } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    jira.sharedWith.projectIds.push('10001');
    const plan = data(await call<import('../../src/shared/admin-contract').WorkflowPlanView>(K.planWorkflowSetup));
    expect(plan).toEqual({ state: 'unavailable', code: 'WORKFLOW_SHARED', message: expect.stringMatching(/used by project 10001.*dedicated copy/) });
    const refused = error(await call(K.applyWorkflowSetup, { workflowVersionId: jira.workflow.version.id, policyVersion: 2 }));
    expect(refused).toEqual({ code: 'SETUP_NOT_READY', message: expect.stringMatching(/dedicated copy/) });
    expect(jira.updates).toHaveLength(0);
    expect(jira.requests).toContain(`GET /rest/api/3/workflow/${jira.workflow.id}/project/10000/issueTypeUsages`);
  });

  it('runs Jira\'s analyse on every compiled rule before installing, and installs nothing when Jira rejects one, naming the transition', async () => {
    const { call, jira, store } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    const plan = data(await call<import('../../src/shared/admin-contract').WorkflowPlanView>(K.planWorkflowSetup));
    if (plan.state !== 'ready') throw new Error(plan.message);
    const approve = plan.transitions.find((t) => t.edges.includes('approve'))!;
    // Find the approve validator's expression in what the apply will send, and have Jira reject it.
    const { buildWorkflowPlan } = await import('../../src/setup/build-workflow-plan');
    const planned = buildWorkflowPlan({ policy: aMappedPolicy({ scope: SCOPE }), policyVersion: 2, workflow: jira.workflow, statuses: jira.workflowStatuses, offers: jira.offers, sharing: { scope: SCOPE, projectIds: ['10000'], issueTypeIds: ['10005'] }, environment: APP_ENVIRONMENT });
    const target = planned.expressions.find((e) => e.transitionId === approve.transitionId && e.slot === 'validator')!;
    jira.rejects.set(target.expression, 'Jira expression has too many nodes (150), limit: 100 leaves');
    const e = error(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 }));
    expect(e.code).toBe('RULES_REJECTED');
    expect(e.message).toMatch(/nothing was installed/);
    expect(e.details).toEqual([expect.stringMatching(new RegExp(`^"Approve" \\(transition ${approve.transitionId}\\), validator.*Jira says: Jira expression has too many nodes \\(150\\), limit: 100 leaves$`))]);
    expect(jira.updates).toHaveLength(0);
    expect(new Set(jira.analysed.flat())).toEqual(new Set(planned.expressions.map((x) => x.expression)));
    expect(store.values.size).toBeGreaterThan(0);
    jira.rejects.clear();
    expect(data(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 }))).toEqual(expect.objectContaining({ updatedTransitions: plan.changedTransitions }));
    expect(jira.updates[0]!.statuses.length).toBe(6);
  });

  it("installs only this environment's rules when another environment of the app is on the site too", async () => {
    const { call, jira } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    jira.offers = [...anOfferList(undefined, OTHER_ENV_ARI), ...anOfferList()];
    const plan = data(await call<import('../../src/shared/admin-contract').WorkflowPlanView>(K.planWorkflowSetup));
    if (plan.state !== 'ready') throw new Error(plan.message);
    data(await call(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: 2 }));
    const keys = jira.updates[0]!.workflows[0]!.transitions.flatMap((t) => [...(t.conditions?.conditions ?? []), ...(t.validators ?? []), ...(t.actions ?? [])]).map((r) => r.parameters!.key!);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.includes('/app-1/env-1/static/'))).toBe(true);
  });

  it.each([
    ['as thrown', (e: Error) => e],
    ['wrapped in a cause', (e: Error) => new Error('wrapped', { cause: e })],
  ])('lets NeedsAuthenticationError from the user transport reach Forge unwrapped (%s), for the "allow access" prompt', async (_how, wrap) => {
    const jira = new FakeJiraConfig(aMappedPolicy({ scope: SCOPE }));
    const prompt = new NeedsAuthenticationError('allow access', 'jira');
    const logs: unknown[] = [];
    const handler = createAdminResolver({
      userTransport: async () => {
        throw wrap(prompt);
      },
      appTransport: jira.transportAs(null),
      store: new MemoryStore(),
      clock: () => NOW,
      log: (event, fields) => logs.push(fields),
    });
    await expect(handler({ call: { functionKey: K.getAdminState, payload: {} }, context: {} }, { principal: { accountId: 'admin-1' } })).rejects.toBe(prompt);
    expect(jira.requests).toEqual([]);
  });

  it('shows the expression failures Jira reported in the self-test, with a fix', async () => {
    const { call, store } = setup({ stored: storedPolicy(aMappedPolicy({ scope: SCOPE }), 2) });
    store.values.set(EXPRESSION_FAILURES_KEY, { version: 1, total: 1, failures: [{ at: at(4).toISOString(), moduleKey: 'cc81-transition-condition', environmentId: 'env-1', workflowId: 'wf-1', workflowName: null, ruleId: 'c-9', transitionId: '21', issueId: '10042', projectId: '10000', errors: ['Evaluation failed'] }] });
    const { report } = data(await call<{ report: import('../../src/shared/admin-contract').SelfTestReport }>(K.runSelfTest));
    const check = report.checks.find((c) => c.id === 'expression-failures')!;
    expect(check.status).toBe('fail');
    expect(check.details[0]).toMatch(/cc81-transition-condition \(rule c-9\) on workflow wf-1, transition 21, issue id 10042: Evaluation failed/);
    expect(report.checks.find((c) => c.id === 'workflow-dedicated')!.status).toBe('pass');
  });
});
