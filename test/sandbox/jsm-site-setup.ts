/**
 * The `jsm` sandbox site set up as its admin would on the admin page (issue 16): the CC8.1 fields
 * mapped to the site's own, its option labels mapped, the rules installed. Through the app's admin
 * resolver, as Adam Admin.
 */
import { STATES } from '../../src/domain';
import { createAdminResolver } from '../../src/forge/create-admin-resolver';
import type { AdminResult, AdminState, ApplySetupResult, WorkflowPlanView } from '../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { DEMO_USERS, type DemoRole } from '../../sandbox/demo/demo-users';
import type { startSandbox } from '../../sandbox/start-sandbox';
import { adf } from './sandbox-client';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const K = RESOLVER_KEYS.admin;

/** The admin resolver invoked as Forge does for `role`, on `sandbox`. */
export const invokeAdmin = async <T = AdminState>(sandbox: Sandbox, role: DemoRole, key: string, payload: unknown = {}, now: () => Date = () => new Date()): Promise<AdminResult<T>> => {
  const id = DEMO_USERS[role].accountId;
  const handler = createAdminResolver({ userTransport: sandbox.runtime.asUser(id), appTransport: sandbox.runtime.asApp(), store: sandbox.runtime.store, clock: now, log: () => undefined });
  return (await handler({ call: { functionKey: key, payload }, context: {} }, { principal: { accountId: id }, license: { isActive: true } } as never)) as AdminResult<T>;
};

export const adminCall =
  (sandbox: Sandbox, now?: () => Date) =>
  async <T = AdminState>(key: string, payload: unknown = {}): Promise<T> => {
    const result = await invokeAdmin<T>(sandbox, 'admin', key, payload, now);
    if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error)}`);
    return result.data;
  };

/** The jsm site's field id by name. */
export const jsmFieldId = (sandbox: Sandbox, name: string): string => {
  const field = sandbox.state.fields.find((f) => f.name === name);
  if (!field) throw new Error(`the jsm site has no field ${name}`);
  return field.id;
};

/** The jsm site's own field for each CC8.1 field, as its admin maps them. */
export const jsmFieldMapping = (sandbox: Sandbox): Record<string, string> => {
  const id = (name: string) => jsmFieldId(sandbox, name);
  return {
    summary: 'summary',
    justification: 'description',
    requester: 'reporter',
    changeType: id('Change type'),
    risk: id('Change risk'),
    implementer: id('Change implementer'),
    approver: id('Approvers'),
    verifier: id('Verification team'),
    cabReference: id('CAB reference'),
    targetSystems: 'components',
    windowStart: id('Change start date'),
    windowEnd: id('Change completion date'),
    testPlan: id('Test plan'),
    rollbackPlan: id('Backout plan'),
    implementationEvidence: id('Implementation notes'),
    verificationResult: id('Verification'),
    rollbackOutcome: id('Backout notes'),
    standardTemplate: id('Standard change template'),
    emergencyJustification: id('Emergency justification'),
    cancellationReason: id('Cancellation reason'),
  };
};

/** The policy an admin maps the jsm site's own fields to (before option labels). */
export const jsmMapping = (sandbox: Sandbox, state: AdminState) => {
  const project = state.site.projects.find((p) => p.key === 'CHG')!;
  if (state.policy.state === 'corrupted') throw new Error('the stored policy is corrupted');
  return {
    ...state.policy.policy,
    scope: { projectId: project.id, projectKey: project.key, issueTypeId: project.issueTypes[0]!.id, issueTypeName: project.issueTypes[0]!.name },
    statuses: Object.fromEntries(STATES.map((s) => [s, state.site.statuses.find((x) => x.name === s)!.id])),
    fields: jsmFieldMapping(sandbox),
    cab: { requiredForRisks: ['high'], groupName: 'cab-members', memberAccountIds: [] },
  };
};

/**
 * The fields of a new change in the jsm site's own fields, ready to submit: Normal, by the
 * implementer, approved by Ada; `values` (by field name, or `components`) override them.
 */
export const jsmChangeFields = (sandbox: Sandbox, summary: string, values: Record<string, unknown> = {}): Record<string, unknown> => {
  const byName: Record<string, unknown> = {
    'Change type': { value: 'Normal' },
    'Change risk': { value: 'Low' },
    'Change implementer': { accountId: DEMO_USERS.implementer.accountId },
    Approvers: [{ accountId: DEMO_USERS.approver.accountId }],
    'Test plan': adf('Replay a day of traffic in staging'),
    'Backout plan': adf('Roll back'),
    ...values,
  };
  const fields: Record<string, unknown> = { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary, description: adf(`Why: ${summary}`), components: [{ name: 'Ledger' }] };
  for (const [name, value] of Object.entries(byName)) fields[name === 'components' ? 'components' : jsmFieldId(sandbox, name)] = value;
  return fields;
};

export const JSM_OPTION_LABELS = { risk: { Critical: 'high' }, verificationResult: { Pass: 'passed', 'Failed - rolled back': 'failed-rolled-back' } };

/** Maps, labels and installs in one go (what the e2e test walks through step by step). */
export const setUpJsmSite = async (sandbox: Sandbox, now?: () => Date): Promise<void> => {
  const call = adminCall(sandbox, now);
  const state = await call(K.getAdminState);
  await call(K.savePolicy, { policy: { ...jsmMapping(sandbox, state), optionLabels: JSM_OPTION_LABELS }, baseVersion: state.policy.state === 'saved' ? state.policy.version : 0 });
  const plan = await call<WorkflowPlanView>(K.planWorkflowSetup);
  if (plan.state !== 'ready') throw new Error(plan.message);
  await call<ApplySetupResult>(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: plan.policyVersion });
};
