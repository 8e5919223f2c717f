import { PostFunctionPayloadSchema, ValidatorPayloadSchema, actorFromContext } from '../../../src/forge/workflow-payloads';
import type { LogFields } from '../../../src/ports/logger';
import { loadPolicy } from '../../../src/policy/policy-store';
import {
  functionValidatorPayload,
  postFunctionPayload,
  validatorContext,
} from '../../../sandbox/forge-runtime/forge-payloads';
import { createForgeRuntime, validatorFailureMessage } from '../../../sandbox/forge-runtime/forge-runtime';
import { adf } from '../../../sandbox/state/jira-json';
import { applyFieldChanges, createSandboxState, SandboxState, statusOf } from '../../../sandbox/state/sandbox-state';
import type { SandboxRouter } from '../../../sandbox/workflow/workflow-port';
import { at } from '../../builders/clock';
import { PEOPLE } from '../../builders/people.builder';
import { createChange, fieldId, recordTransition, SANDBOX_USERS, userOf } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const NOW = at(12);

/** A normal change approved by the approver and scheduled, with its window around NOW. */
const scheduledChange = (state: SandboxState) => {
  const issue = createChange(
    state,
    {
      summary: 'Rotate TLS certificates',
      justification: 'Certificates expire',
      changeType: 'normal',
      risk: 'low',
      targetSystems: ['edge-proxy'],
      implementer: PEOPLE.implementer,
      approver: PEOPLE.approver,
      verifier: PEOPLE.verifier,
      testPlan: 'Staging first',
      rollbackPlan: 'Restore the old bundle',
      windowStart: at(10),
      windowEnd: at(14),
    },
    'requester',
    at(0),
  );
  recordTransition(state, issue, 'Assessment', 'requester', at(1));
  recordTransition(state, issue, 'Approved', 'approver', at(2));
  recordTransition(state, issue, 'Scheduled', 'requester', at(3));
  return issue;
};

const setup = (options: { seed?: boolean; router?: SandboxRouter; timeoutMs?: number } = {}) => {
  const state = createSandboxState(SANDBOX_USERS);
  const fake = stateRouter(state);
  const logs: { event: string; fields: LogFields }[] = [];
  const runtime = createForgeRuntime({
    router: () => options.router ?? fake.router,
    clock: () => NOW,
    policy: options.seed === false ? undefined : state.policy,
    log: (event, fields) => logs.push({ event, fields }),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const issue = scheduledChange(state);
  const implement = {
    issueKey: issue.key,
    fromStatusId: statusOf(state, 'Scheduled').id,
    toStatusId: statusOf(state, 'Implemented').id,
    modifiedFields: {},
    accountId: PEOPLE.implementer,
  };
  return { state, fake, runtime, issue, implement, logs };
};

describe('Forge payloads', () => {
  it('are what the app parses: validator payload, context with the actor, post function payload', () => {
    const validator = ValidatorPayloadSchema.parse(functionValidatorPayload({ issueKey: 'CHG-1', fromStatusId: '10003', toStatusId: '10004', modifiedFields: { customfield_1: 'acc-x' }, accountId: 'acc-x' }));
    expect(validator).toMatchObject({ issue: { key: 'CHG-1' }, transition: { from: { id: '10003' }, to: { id: '10004' }, modifiedFields: { customfield_1: 'acc-x' } } });
    expect(actorFromContext(validatorContext('acc-x'))).toEqual({ accountId: 'acc-x', source: 'context.principal' });
    const post = PostFunctionPayloadSchema.parse(
      postFunctionPayload({ issueKey: 'CHG-1', issueId: '10001', fromStatusId: '10001', toStatusId: '10002', executionId: 'e-1', transitionId: '21', transitionName: 'Approve', accountId: 'acc-x', changelog: { id: '7', items: [] } }),
    );
    expect(post).toMatchObject({ issue: { key: 'CHG-1', id: '10001' }, transition: { executionId: 'e-1' }, atlassianId: 'acc-x', changelog: { id: '7' } });
  });
});

describe('Forge runtime shim', () => {
  it("seeds the sandbox's policy into KVS for the handlers", async () => {
    const { runtime, state, implement } = setup();
    await runtime.runHistoryGate(implement); // waits for the seed
    expect((await loadPolicy(runtime.store)).policy).toEqual(state.policy);
  });

  it('runs the history gate as the app over the router: allowed, one invocation, two REST calls', async () => {
    const { runtime, implement, fake } = setup();
    expect(await runtime.runHistoryGate(implement)).toEqual({ result: true });
    expect(runtime.invocations()).toEqual({ 'history-gate': 1, 'evidence-recorder': 0, 'deployment-gate': 0 });
    expect(runtime.stats()['history-gate']).toEqual({ invocations: 1, restCalls: 2, failures: 0 });
    expect(fake.endpoints()).toEqual(['GET /rest/api/3/issue/CHG-1', 'POST /rest/api/3/changelog/bulkfetch']);
    expect(fake.requests.every((r) => r.asApp === true)).toBe(true);
  });

  it('blocks when a material field changed after the approval (changelog read through the router)', async () => {
    const { runtime, implement, state, issue } = setup();
    applyFieldChanges(state, issue, { [fieldId(state, 'rollbackPlan')]: adf('Restore from backup instead') }, userOf(state, 'requester'), at(5));
    const result = await runtime.runHistoryGate(implement);
    expect(result).toEqual({ result: false, errorMessage: expect.stringContaining('Rollback plan changed after approval') });
  });

  it('applies modifiedFields: a bare account id for the implementer on the screen is a material change', async () => {
    const { runtime, implement, state } = setup();
    const result = await runtime.runHistoryGate({ ...implement, modifiedFields: { [fieldId(state, 'implementer')]: PEOPLE.outsider } });
    expect(result).toEqual({ result: false, errorMessage: expect.stringContaining('Implementer changed after approval') });
  });

  it('without the seeded policy the gate cannot map the statuses, and blocks', async () => {
    const { runtime, implement } = setup({ seed: false });
    const result = await runtime.runHistoryGate(implement);
    expect(result).toEqual({ result: false, errorMessage: expect.stringContaining('not mapped to a CC8.1 lifecycle state') });
  });

  it('runs the evidence recorder: logs the step in the app storage, mirrors it in cc81.evidence through the router, idempotent per executionId', async () => {
    const { runtime, state, issue, fake } = setup();
    const call = {
      issueKey: issue.key,
      issueId: issue.id,
      fromStatusId: statusOf(state, 'Assessment').id,
      toStatusId: statusOf(state, 'Approved').id,
      executionId: 'exec-1',
      transitionId: '21',
      transitionName: 'Approve',
      accountId: PEOPLE.approver,
      changelog: { id: issue.changelog[1]!.id, items: issue.changelog[1]!.items },
    };
    expect(await runtime.runEvidenceRecorder(call)).toEqual({ outcome: 'recorded', edge: 'approve', mirror: 'written' });
    expect(await runtime.runEvidenceRecorder(call)).toEqual({ outcome: 'duplicate', edge: 'approve', mirror: 'written' });
    expect(await runtime.store.listByPrefix(`cc81:log:${issue.id}:`)).toEqual([{ key: `cc81:log:${issue.id}:000001`, value: expect.objectContaining({ seq: 1, executionId: 'exec-1' }) }]);
    expect(issue.properties['cc81.evidence']).toEqual({
      version: 1,
      records: [{ edge: 'approve', from: 'Assessment', to: 'Approved', accountId: PEOPLE.approver, at: NOW.toISOString(), executionId: 'exec-1' }],
      seal: expect.objectContaining({ alg: 'Ed25519', issueId: issue.id, omitted: 0 }),
    });
    expect(runtime.invocations()['evidence-recorder']).toBe(2);
    const step = [`GET /rest/api/3/issue/${issue.id}`, `PUT /rest/api/3/issue/${issue.id}/properties/cc81.evidence`];
    expect(fake.endpoints()).toEqual([...step, ...step]);
    runtime.resetStats();
    expect(runtime.invocations()).toEqual({ 'history-gate': 0, 'evidence-recorder': 0, 'deployment-gate': 0 });
  });

  it('fails a validator closed when it does not answer within the time limit, and logs it', async () => {
    const never: SandboxRouter = () => new Promise(() => undefined);
    const { runtime, implement, logs } = setup({ router: never, timeoutMs: 20 });
    expect(await runtime.runHistoryGate(implement)).toEqual({ result: false, errorMessage: validatorFailureMessage('history-gate') });
    expect(runtime.stats()['history-gate']).toMatchObject({ invocations: 1, failures: 1 });
    expect(logs).toContainEqual({ event: 'sandbox-forge-invocation', fields: expect.objectContaining({ function: 'history-gate', outcome: 'failed', errorName: 'InvocationTimeout' }) });
  });

  it('gives user-scoped transports for user calls', async () => {
    const { runtime, fake, issue } = setup();
    await runtime.asUser(PEOPLE.approver)({ method: 'GET', path: `/rest/api/3/issue/${issue.key}` });
    expect(fake.requests[0]).toMatchObject({ asAccountId: PEOPLE.approver });
  });
});
