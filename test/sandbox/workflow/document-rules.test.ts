/**
 * The engine runs whatever the workflow document carries, as Jira does: edits made through the
 * workflows API (a global transition, a deleted rule, a broken config) take effect at once.
 */
import { EdgeId, State } from '../../../src/domain';
import type { LogFields } from '../../../src/ports/logger';
import { POLICY_KEY } from '../../../src/policy/policy-store';
import type { WorkflowRule, WorkflowTransition } from '../../../src/jira/workflow-schemas';
import { storedPolicyOf } from '../../../sandbox/forge-runtime/stored-policy';
import { createSandboxState, SandboxIssue, SandboxState, statusById, statusOf } from '../../../sandbox/state/sandbox-state';
import { applyWorkflowUpdate, workflowStatusesJson } from '../../../sandbox/state/workflow-document';
import { MODULE_ARIS } from '../../../sandbox/workflow/app-modules';
import { currentStatusId } from '../../../sandbox/workflow/cc81-workflow';
import { brokenConfigMessage } from '../../../sandbox/workflow/installed-rules';
import { CANNOT_TRANSITION, createWorkflowEngine, invalidTransition } from '../../../sandbox/workflow/workflow-engine';
import { at } from '../../builders/clock';
import { PEOPLE, PersonRole } from '../../builders/people.builder';
import { ChangeValues, createChange, SANDBOX_USERS, userOf } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const NORMAL: ChangeValues = {
  summary: 'Rotate TLS certificates',
  justification: 'They expire next week',
  changeType: 'normal',
  risk: 'medium',
  targetSystems: ['edge-proxy'],
  implementer: PEOPLE.implementer,
  approver: PEOPLE.approver,
  verifier: PEOPLE.verifier,
};

const APPROVE = '21';

const setup = () => {
  const state = createSandboxState(SANDBOX_USERS);
  const logs: { event: string; fields: LogFields }[] = [];
  const engine = createWorkflowEngine({ state, router: () => stateRouter(state).router, clock: () => at(1), log: (event, fields) => logs.push({ event, fields }) });
  const visible = async (issue: SandboxIssue, role: PersonRole) => (await engine.transitionsFor(issue, userOf(state, role))).map((t) => t.name);
  const stateOf = (issue: SandboxIssue): State | undefined => statusById(state, currentStatusId(issue.fields)!)?.name;
  const idOf = (edge: EdgeId) => engine.workflowTransitions().find((t) => t.edge?.id === edge)!.id;
  return { state, engine, logs, visible, stateOf, idOf };
};

/** Edits the workflow through the same state function `POST /workflows/update` uses. */
const editWorkflow = (state: SandboxState, edit: (transitions: WorkflowTransition[]) => WorkflowTransition[]) => {
  const { id, version, statuses } = state.workflow;
  const transitions = edit(JSON.parse(JSON.stringify(state.workflow.transitions)) as WorkflowTransition[]);
  const outcome = applyWorkflowUpdate(state, { statuses: workflowStatusesJson(state, state.workflow), workflows: [{ id, version, statuses: statuses.map((s) => ({ statusReference: s.statusReference, properties: {} })), transitions }] });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
};

const onTransition = (id: string, change: (t: WorkflowTransition) => WorkflowTransition) => (transitions: WorkflowTransition[]) => transitions.map((t) => (t.id === id ? change(t) : t));

const condition = (expression: string): WorkflowRule => ({ ruleKey: 'forge:expression-condition', parameters: { key: MODULE_ARIS.condition, config: JSON.stringify({ expression }) } });

const disabled = (rule: WorkflowRule): WorkflowRule => ({ ...rule, parameters: { ...(rule.parameters ?? {}), disabled: 'true' } });

describe('a global transition added by hand', () => {
  const addApproveNow = (state: SandboxState) =>
    editWorkflow(state, (transitions) => [
      ...transitions,
      { id: '500', name: 'Approve now', type: 'GLOBAL', toStatusReference: statusOf(state, 'Approved').id, links: [], conditions: { operation: 'ALL', conditions: [] }, validators: [], actions: [] },
    ]);

  it('is offered from every status to everyone, flagged isGlobal, with no edge', async () => {
    const s = setup();
    addApproveNow(s.state);
    const draft = createChange(s.state, NORMAL, 'requester', at(0));
    expect(await s.visible(draft, 'requester')).toContain('Approve now');
    expect(await s.visible(draft, 'implementer')).toContain('Approve now');
    const [json] = (await s.engine.transitionsFor(draft, userOf(s.state, 'implementer'))).filter((t) => t.id === '500');
    expect(json).toMatchObject({ isGlobal: true, isConditional: false, hasScreen: false, to: { name: 'Approved' } });
    expect(s.engine.workflowTransitions().find((t) => t.id === '500')).toMatchObject({ edge: null, from: s.state.statuses });
    expect(s.engine.installedRules().find((r) => r.transitionId === '500')).toMatchObject({ type: 'GLOBAL', edge: null, from: null, conditions: [], validators: [] });
  });

  it('moves a change past Assessment and Approve with none of the app checks: the bypass the self-test must catch', async () => {
    const s = setup();
    addApproveNow(s.state);
    const draft = createChange(s.state, { summary: 'Nothing filled in' }, 'requester', at(0));
    s.engine.runtime.resetStats();
    expect(await s.engine.transition(draft, '500', userOf(s.state, 'implementer'), {})).toEqual({ ok: true });
    expect(s.stateOf(draft)).toBe('Approved');
    expect(draft.changelog.at(-1)?.items[0]).toMatchObject({ fieldId: 'status', fromString: 'Draft', toString: 'Approved' });
    expect(s.engine.runtime.invocations()).toEqual({ 'history-gate': 0, 'evidence-recorder': 0, 'deployment-gate': 0 });
  });
});

describe('rules deleted, broken or added by hand', () => {
  it('a deleted validator no longer blocks; its condition still hides the step from the implementer', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    expect(await s.engine.transition(issue, s.idOf('submit'), userOf(s.state, 'requester'), {})).toEqual({ ok: true });
    const blocked = await s.engine.transition(issue, APPROVE, userOf(s.state, 'approver'), {});
    expect(blocked).toMatchObject({ ok: false, status: 400 });
    editWorkflow(s.state, onTransition(APPROVE, (t) => ({ ...t, validators: [] })));
    expect(await s.visible(issue, 'implementer')).not.toContain('Approve');
    expect(await s.engine.transition(issue, APPROVE, userOf(s.state, 'approver'), {})).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Approved');
  });

  it.each([
    ['is not JSON', '{"expression": '],
    ['has no expression', JSON.stringify({ edge: 'approve', kind: 'validator', part: 1, parts: 1, policyVersion: 1 })],
    ['has an empty expression', JSON.stringify({ expression: '  ' })],
  ])('a saved config that %s fails closed: the condition hides, the validator blocks and says to reinstall', async (_, config) => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.engine.transition(issue, s.idOf('submit'), userOf(s.state, 'requester'), {});
    const breakRules = (rules: WorkflowRule[] | null | undefined) => (rules ?? []).map((r) => (r.parameters?.key === MODULE_ARIS.validator || r.parameters?.key === MODULE_ARIS.condition ? { ...r, parameters: { ...r.parameters, config } } : r));
    editWorkflow(s.state, onTransition(APPROVE, (t) => ({ ...t, validators: breakRules(t.validators) })));
    const outcome = await s.engine.transition(issue, APPROVE, userOf(s.state, 'approver'), { [s.state.policy.fields.testPlan!]: 'Staging', [s.state.policy.fields.rollbackPlan!]: 'Restore', [s.state.policy.fields.cabReference!]: 'CAB-1' });
    expect(outcome).toEqual({ ok: false, status: 400, body: { errorMessages: [brokenConfigMessage('Approve')], errors: {} } });
    expect(s.engine.installedRules().find((r) => r.transitionId === APPROVE)!.validators.every((v) => v.broken !== null)).toBe(true);
    expect(s.logs.some((l) => l.fields.event === 'validator-error' && l.fields.errorName === 'BrokenRuleConfig')).toBe(true);

    editWorkflow(s.state, onTransition(APPROVE, (t) => ({ ...t, conditions: { operation: 'ALL', conditions: breakRules(t.conditions?.conditions) } })));
    expect(await s.visible(issue, 'approver')).not.toContain('Approve');
    expect(await s.engine.transition(issue, APPROVE, userOf(s.state, 'approver'), {})).toMatchObject({ body: { errorMessages: [CANNOT_TRANSITION] } });
  });

  it.each([
    ['ALL', [], ['true', 'false'], false],
    ['ALL', [], ['true', 'true'], true],
    ['ANY', [], ['false', 'true'], true],
    ['ANY', [], ['false', 'false'], false],
    ['ALL', ['false', 'true'], ['true'], true], // nested ANY group passes
    ['ALL', ['false', 'false'], ['true'], false], // nested ANY group fails
  ])('combines conditions with %s (nested ANY group %j, conditions %j): shown = %s', async (operation, nested, own, shown) => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    editWorkflow(
      s.state,
      onTransition('11', (t) => ({
        ...t,
        conditions: {
          operation: operation as 'ALL' | 'ANY',
          conditions: own.map(condition),
          conditionGroups: nested.length ? [{ operation: 'ANY', conditions: nested.map(condition), conditionGroups: [] }] : [],
        },
      })),
    );
    expect((await s.visible(issue, 'requester')).includes('Submit for assessment')).toBe(shown);
  });

  it("ignores other apps' and system rules, and disabled app rules, and logs them", async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    editWorkflow(
      s.state,
      onTransition('11', (t) => ({
        ...t,
        conditions: { operation: 'ALL', conditions: [{ ruleKey: 'system:restrict-issue-transition', parameters: { groupIds: 'nobody' } }, disabled(condition('false'))] },
        validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: 'ari:cloud:ecosystem::extension/other-app/prod/static/v', config: '{"expression":"false"}' } }],
      })),
    );
    expect(await s.visible(issue, 'requester')).toContain('Submit for assessment');
    expect(s.engine.installedRules().find((r) => r.transitionId === '11')!.ignored.map((r) => [r.where, r.reason])).toEqual([
      ['condition', 'not-the-app'],
      ['condition', 'disabled'],
      ['validator', 'not-the-app'],
    ]);
    expect(s.logs.filter((l) => l.fields.event === 'rule-ignored').map((l) => l.fields.transitionId)).toEqual(['11', '11', '11']);
    expect(await s.engine.transition(issue, '11', userOf(s.state, 'requester'), {})).toEqual({ ok: true });
  });

  it('runs a DIRECTED transition with several links from each of its statuses, with no lifecycle edge', async () => {
    const s = setup();
    const [draft, assessment] = [statusOf(s.state, 'Draft').id, statusOf(s.state, 'Assessment').id];
    editWorkflow(s.state, (transitions) => [
      ...transitions,
      { id: '600', name: 'Withdraw', type: 'DIRECTED', toStatusReference: statusOf(s.state, 'Closed').id, links: [{ fromStatusReference: draft }, { fromStatusReference: assessment }], validators: [], actions: [] },
    ]);
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    expect(await s.visible(issue, 'requester')).toContain('Withdraw');
    expect(s.engine.workflowTransitions().find((t) => t.id === '600')).toMatchObject({ edge: null, isGlobal: false });
    expect(await s.engine.transition(issue, '600', userOf(s.state, 'requester'), {})).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Closed');
    expect(await s.engine.transition(issue, '600', userOf(s.state, 'requester'), {})).toMatchObject({ status: 400 });
  });

  it('never offers or performs the INITIAL transition on an issue', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    expect((await s.engine.transitionsFor(issue, userOf(s.state, 'requester'))).map((t) => t.id)).not.toContain('1');
    expect(await s.engine.transition(issue, '1', userOf(s.state, 'requester'), {})).toEqual({ ok: false, status: 400, body: { errorMessages: [invalidTransition('1')], errors: {} } });
  });

  it('passes a function rule its saved config as `configuration`', async () => {
    const s = setup();
    const calls: unknown[] = [];
    const original = s.engine.runtime.runHistoryGate;
    s.engine.runtime.runHistoryGate = async (call) => {
      calls.push(call.configuration);
      return original(call);
    };
    editWorkflow(s.state, onTransition(s.idOf('submit'), (t) => ({ ...t, validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: MODULE_ARIS.historyGate, config: '{"mode":"strict"}' } }] })));
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.engine.transition(issue, s.idOf('submit'), userOf(s.state, 'requester'), {});
    expect(calls).toEqual([{ mode: 'strict' }]);
  });
});

describe('the policy the pages use follows what the app stores', () => {
  it('takes a policy saved to KVS under cc81:policy, and keeps the last good one when the stored value is corrupted', async () => {
    const s = setup();
    await new Promise((resolve) => setImmediate(resolve)); // the engine's start-up seed has landed
    const saved = { ...s.state.policy, version: 7, windowEnforcement: 'flag' as const };
    await s.engine.runtime.store.set(POLICY_KEY, storedPolicyOf(saved, at(2), PEOPLE.approver));
    expect(s.state.policy).toMatchObject({ version: 7, windowEnforcement: 'flag' });
    await s.engine.runtime.store.set(POLICY_KEY, { version: 8, policy: { statuses: 'nope' }, updatedBy: null, updatedAt: null });
    expect(s.state.policy.version).toBe(7);
    expect(s.logs.some((l) => l.fields.event === 'stored-policy-unreadable')).toBe(true);
  });
});
