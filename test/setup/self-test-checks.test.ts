import type { Policy } from '../../src/domain';
import type { StatusJson } from '../../src/jira/config-client';
import type { JiraWorkflow, WorkflowTransition } from '../../src/jira/workflow-schemas';
import { buildWorkflowPlan } from '../../src/setup/build-workflow-plan';
import { evaluateSelfTest, type SelfTestInput } from '../../src/setup/self-test-checks';
import { SELF_TEST_CHECKS, SelfTestReportSchema, type SelfTestCheckId } from '../../src/shared/admin-contract';
import { at } from '../builders/clock';
import { aMappedPolicy, STATUS_IDS } from '../builders/mapped-policy.builder';
import { anOfferList, applied, APP_ENVIRONMENT, aSharing, aWorkflow, OTHER_ENV_ARI, planContext, workflowStatusList } from '../builders/workflow.builder';
import { FakeJiraConfig, mappedCustomFields, SYSTEM_FIELDS } from '../fakes/fake-jira-config';

const SCOPE = { projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' };
const policy = aMappedPolicy({ scope: SCOPE });
const site = new FakeJiraConfig(policy);

const installed = (p: Policy = policy, version = 2): JiraWorkflow => {
  const plan = buildWorkflowPlan({ policy: p, policyVersion: version, workflow: aWorkflow(p), ...planContext(p) });
  return applied(aWorkflow(p), plan.update!.workflows[0]!.transitions);
};

const fieldsFor = (p: Policy) => [...SYSTEM_FIELDS, ...mappedCustomFields(p)];

const healthy = (): SelfTestInput => ({
  licensed: true,
  policy: { ok: true, policy, version: 2 },
  project: site.project,
  statuses: site.statuses as StatusJson[],
  fields: fieldsFor(policy),
  workflow: installed(),
  workflowStatuses: workflowStatusList(policy),
  usage: { projectIds: [SCOPE.projectId], issueTypeIds: [SCOPE.issueTypeId] },
  offers: anOfferList(),
  environment: APP_ENVIRONMENT,
  expressionFailures: { ok: true, stored: { version: 1, total: 0, failures: [] } },
  evidenceLogs: { verified: 12, damaged: [], tampered: [], mirrors: { compared: 12 }, reachedEnd: true, key: { publicKey: 'MCowBQYDK2VwAyEA', keyId: '0123456789abcdef' } },
  unrecordedSteps: { readings: [], more: false },
  trigger: 'manual',
  restCalls: 5,
  now: at(1),
});

const statusOf = (input: SelfTestInput) => Object.fromEntries(evaluateSelfTest(input).checks.map((c) => [c.id, c.status])) as Record<SelfTestCheckId, string>;

const withTransitions = (workflow: JiraWorkflow, edit: (ts: WorkflowTransition[]) => WorkflowTransition[]): JiraWorkflow => ({ ...workflow, transitions: edit(workflow.transitions) });

describe('evaluateSelfTest', () => {
  it('passes every check on a correctly configured site, in the contract order', () => {
    const report = evaluateSelfTest(healthy());
    expect(SelfTestReportSchema.parse(report)).toEqual(report);
    expect(report.checks.map((c) => c.id)).toEqual([...SELF_TEST_CHECKS]);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it.each<[string, (input: SelfTestInput) => SelfTestInput, SelfTestCheckId, RegExp]>([
    ['an unlicensed app', (i) => ({ ...i, licensed: false }), 'licensed', /no active license/],
    ['a corrupted policy', (i) => ({ ...i, policy: { ok: false, errors: [{ path: 'postHoc.windowHours', message: 'bad' }] } }), 'policy-readable', /postHoc.windowHours: bad/],
    ['no scope', (i) => ({ ...i, policy: { ok: true, policy: { ...policy, scope: null }, version: 2 } }), 'scope-set', /No project and issue type/],
    ['a team-managed project', (i) => ({ ...i, project: { ...site.project, style: 'next-gen' as const } }), 'company-managed', /team-managed project/],
    ['a deleted project', (i) => ({ ...i, project: null }), 'company-managed', /was not found/],
    ['a deleted status', (i) => ({ ...i, statuses: (i.statuses ?? []).filter((s) => s.id !== STATUS_IDS.Approved) }), 'statuses-exist', /Approved is mapped to status 10002, which no longer exists/],
    ['a deleted field', (i) => ({ ...i, fields: (i.fields ?? []).filter((f) => f.id !== policy.fields.risk) }), 'fields-exist', /Risk rating is mapped to customfield_\d+, which no longer exists/],
    ['no workflow', (i) => ({ ...i, workflow: null }), 'workflow-found', /no workflow for CHG \/ Change/],
    ['the app rules not offered', (i) => ({ ...i, offers: anOfferList(['condition', 'validator']) }), 'rules-offered', /does not offer the app's cc81-history-gate/],
    ['a deleted rule', (i) => ({ ...i, workflow: withTransitions(i.workflow!, (ts) => ts.map((t) => (t.name === 'Approve' ? { ...t, validators: t.validators!.slice(1) } : t))) }), 'rules-current', /Approve \(\d+\): validator part 1 is missing/],
    ['a disabled rule', (i) => ({ ...i, workflow: withTransitions(i.workflow!, (ts) => ts.map((t) => (t.name === 'Verify and close' ? { ...t, validators: t.validators!.map((v) => ({ ...v, parameters: { ...v.parameters, disabled: 'true' } })) } : t))) }), 'rules-current', /Verify and close \(\d+\): validator part 1 is out of date — It is disabled/],
    ['a stale rule after a policy change', (i) => ({ ...i, policy: { ok: true, policy: aMappedPolicy({ scope: SCOPE, cab: { requiredForRisks: ['high'], groupName: 'g', memberAccountIds: [] } }), version: 3 } }), 'rules-current', /out of date/],
    ['a global transition', (i) => ({ ...i, workflow: aWorkflowWith(i, { id: '901', name: 'Approve now', type: 'GLOBAL', toStatusReference: STATUS_IDS.Approved!, links: [] }) }), 'no-bypass', /"Approve now" is a global transition/],
    ['a shortcut edge', (i) => ({ ...i, workflow: aWorkflowWith(i, { id: '902', name: 'Skip', type: 'DIRECTED', toStatusReference: STATUS_IDS.Closed!, links: [{ fromStatusReference: STATUS_IDS.Implemented! }, { fromStatusReference: STATUS_IDS.Assessment! }] }) }), 'rules-current', /serves close, cancelFromAssessment/],
    ['a workflow shared with another project', (i) => ({ ...i, usage: { projectIds: aSharing({ projectIds: ['10001'] }).projectIds, issueTypeIds: [SCOPE.issueTypeId] } }), 'workflow-dedicated', /shared: .*used by project 10001.*copy/],
    ['only another environment\'s rules offered', (i) => ({ ...i, offers: anOfferList(undefined, OTHER_ENV_ARI) }), 'rules-offered', /environment env-1/],
    ['a recent failed expression', (i) => ({ ...i, expressionFailures: { ok: true, stored: { version: 1, total: 1, failures: [aFailure(at(0))] } } }), 'expression-failures', /cc81-transition-validator \(rule r-1\) on workflow "Change workflow", transition 21.*Unrecognized property/],
    ['a missing lifecycle transition', (i) => ({ ...i, workflow: withTransitions(i.workflow!, (ts) => ts.filter((t) => t.name !== 'Re-assess')) }), 'lifecycle-transitions', /no transition for "Re-assess"/],
  ])('flags %s with a plain fix', (_name, breakIt, id, detail) => {
    const report = evaluateSelfTest(breakIt(healthy()));
    const check = report.checks.find((c) => c.id === id)!;
    expect(['fail', 'warn']).toContain(check.status);
    expect(check.details.join('\n')).toMatch(detail);
    expect(check.fix).toEqual(expect.any(String));
    expect(report.ok).toBe(check.status === 'warn');
  });

  it('skips, never passes, what depends on a failed check', () => {
    const status = statusOf({ ...healthy(), policy: { ok: false, errors: [{ path: 'x', message: 'y' }] } });
    expect(status['policy-readable']).toBe('fail');
    expect(['scope-set', 'statuses-exist', 'fields-exist', 'workflow-found', 'rules-current', 'no-bypass'].map((id) => status[id as SelfTestCheckId])).toEqual(Array(6).fill('skipped'));
  });

  it('fails what it could not read, with the reason, instead of guessing', () => {
    const report = evaluateSelfTest({ ...healthy(), fields: null, readFailures: { fields: 'Could not read fields from Jira (Jira answered 500 to GET /rest/api/3/field).' } });
    const check = report.checks.find((c) => c.id === 'fields-exist')!;
    expect(check.status).toBe('fail');
    expect(check.details[0]).toMatch(/answered 500/);
    expect(report.ok).toBe(false);
  });

  it('counts only expression failures of the last 7 days, and lists at most five', () => {
    const old = aFailure(new Date(at(1).getTime() - 8 * 24 * 3_600_000));
    expect(statusOf({ ...healthy(), expressionFailures: { ok: true, stored: { version: 1, total: 1, failures: [old] } } })['expression-failures']).toBe('pass');
    const many = Array.from({ length: 7 }, () => aFailure(at(0)));
    const check = evaluateSelfTest({ ...healthy(), expressionFailures: { ok: true, stored: { version: 1, total: 7, failures: many } } }).checks.find((c) => c.id === 'expression-failures')!;
    expect(check.details).toHaveLength(6);
    expect(check.details[5]).toBe('…and 2 more.');
    expect(check.fix).toMatch(/Install \/ refresh rules/);
  });

  it('lists the damaged evidence logs (at most ten), says what to do, and shows the evidence key either way', () => {
    const damaged = Array.from({ length: 12 }, (_, i) => ({ issueId: `${10001 + i}`, problems: ['log record 2 no longer matches its hash'] }));
    const check = evaluateSelfTest({ ...healthy(), evidenceLogs: { verified: 40, damaged, tampered: [], mirrors: { compared: 40 }, reachedEnd: false, key: { publicKey: 'MCowBQYDK2VwAyEA', keyId: '0123456789abcdef' } } }).checks.find((c) => c.id === 'evidence-log')!;
    expect(check.status).toBe('fail');
    expect(check.details[0]).toBe('40 issue logs verified; the next runs verify the rest.');
    expect(check.details[1]).toBe('40 evidence mirrors compared with the logs.');
    expect(check.details[2]).toBe('Issue id 10001: log record 2 no longer matches its hash.');
    expect(check.details).toContain('…and 2 more.');
    expect(check.details.at(-1)).toBe('Evidence key (give it to auditors for cc81 audit --evidence-key): MCowBQYDK2VwAyEA (key id 0123456789abcdef).');
    expect(check.fix).toMatch(/do not reinstall/);
    const healthyCheck = evaluateSelfTest(healthy()).checks.find((c) => c.id === 'evidence-log')!;
    expect(healthyCheck.details).toEqual(['12 issue logs verified.', '12 evidence mirrors compared with the logs.', expect.stringContaining('MCowBQYDK2VwAyEA')]);
  });

  it.each<[SelfTestInput['evidenceLogs'], string, RegExp]>([
    [null, 'skipped', /not read/],
    [{ error: 'KvsError' }, 'fail', /could not be read \(KvsError\)/],
    [{ verified: 0, damaged: [], tampered: [], mirrors: { compared: 0 }, reachedEnd: true, key: null }, 'pass', /No evidence key yet/],
    [{ verified: 3, damaged: [], tampered: [{ issueId: '10002', differences: ['a record was removed from the issue'] }], mirrors: { compared: 3 }, reachedEnd: true, key: null }, 'fail', /Issue id 10002: a record was removed from the issue\./],
    [{ verified: 3, damaged: [], tampered: [], mirrors: { notCompared: 'Jira answered 400' }, reachedEnd: true, key: null }, 'pass', /mirrors were not compared: Jira answered 400/],
  ])('evidence logs %j → %s', (evidenceLogs, status, detail) => {
    const check = evaluateSelfTest({ ...healthy(), evidenceLogs }).checks.find((c) => c.id === 'evidence-log')!;
    expect(check.status).toBe(status);
    expect(check.details.join(' ')).toMatch(detail);
  });

  const unrecorded = (state: 'retrying' | 'lost', attempts: number) => ({
    key: `cc81:unrecorded:10042:${state}`,
    step: { v: 1 as const, issueId: '10042', issueKey: 'CHG-42', edge: 'postHocApprove' as const, at: '2026-03-02T10:00:00.000Z', state, attempts, lastErrorCode: 'RATE_LIMITED', updatedAt: '2026-03-02T10:05:00.000Z' },
  });
  it.each<[string, SelfTestInput['unrecordedSteps'], string, string[]]>([
    ['not read', null, 'skipped', ['The steps waiting for the evidence log were not read.']],
    ['unreadable storage', { error: 'KvsError' }, 'fail', ["The app's storage could not be read (KvsError)."]],
    ['none waiting', { readings: [], more: false }, 'pass', []],
    ['one retrying', { readings: [unrecorded('retrying', 2)], more: false }, 'warn', ['"Post-hoc approve" on CHG-42 (issue id 10042), taken 2026-03-02T10:00:00.000Z: retrying (2 attempts, last error RATE_LIMITED).']],
    [
      'one lost, one unreadable, more beyond',
      { readings: [unrecorded('lost', 6), { key: 'cc81:unrecorded:10043:x', step: null }], more: true },
      'fail',
      ['"Post-hoc approve" on CHG-42 (issue id 10042), taken 2026-03-02T10:00:00.000Z: lost after 6 attempts (last error RATE_LIMITED).', 'Unreadable note cc81:unrecorded:10043:x.', '…and more.'],
    ],
  ])('steps the recorder could not write: %s', (_name, unrecordedSteps, status, details) => {
    const check = evaluateSelfTest({ ...healthy(), unrecordedSteps }).checks.find((c) => c.id === 'evidence-recording')!;
    expect({ status: check.status, details: check.details }).toEqual({ status, details });
    if (status === 'fail' && details.length > 1) expect(check.fix).toMatch(/Record each as an exception/);
  });

  it('does not plan rule changes on a shared workflow', () => {
    const status = statusOf({ ...healthy(), usage: { projectIds: [SCOPE.projectId], issueTypeIds: [SCOPE.issueTypeId, '10006'] } });
    expect(status['workflow-dedicated']).toBe('fail');
    expect([status['rules-current'], status['no-bypass']]).toEqual(['skipped', 'skipped']);
  });

  it('counts a warning as healthy but a failure or a skip as not', () => {
    expect(evaluateSelfTest({ ...healthy(), workflow: withTransitions(installed(), (ts) => ts.filter((t) => t.name !== 'Re-assess')) }).ok).toBe(true);
    expect(evaluateSelfTest({ ...healthy(), licensed: false }).ok).toBe(false);
  });
});

function aFailure(when: Date) {
  return { at: when.toISOString(), moduleKey: 'cc81-transition-validator', environmentId: 'env-1', workflowId: 'wf-1', workflowName: 'Change workflow', ruleId: 'r-1', transitionId: '21', issueId: '10042', projectId: '10000', errors: ["Unrecognized property of `issue`: 'customfield_1'"] };
}

function aWorkflowWith(input: SelfTestInput, extra: WorkflowTransition): JiraWorkflow {
  return withTransitions(input.workflow!, (ts) => [...ts, extra]);
}
