import { EdgeId, State } from '../../../src/domain';
import type { LogFields } from '../../../src/ports/logger';
import { adf } from '../../../sandbox/state/jira-json';
import { applyFieldChanges, createSandboxState, SandboxIssue, statusById, statusOf } from '../../../sandbox/state/sandbox-state';
import { currentStatusId } from '../../../sandbox/workflow/cc81-workflow';
import { CANNOT_TRANSITION, createWorkflowEngine, invalidTransition } from '../../../sandbox/workflow/workflow-engine';
import { at } from '../../builders/clock';
import { PEOPLE, PersonRole } from '../../builders/people.builder';
import { ChangeValues, createChange, fieldId, screen, SANDBOX_USERS, userOf } from '../../builders/sandbox-change.builder';
import { stateRouter } from '../../fakes/sandbox-state-router';

const PEOPLE_FIELDS: ChangeValues = { implementer: PEOPLE.implementer, approver: PEOPLE.approver, verifier: PEOPLE.verifier };

const NORMAL: ChangeValues = {
  summary: 'Rotate TLS certificates on the edge proxies',
  justification: 'The current certificates expire next week',
  changeType: 'normal',
  risk: 'medium',
  targetSystems: ['edge-proxy'],
  windowStart: at(10),
  windowEnd: at(14),
  ...PEOPLE_FIELDS,
};

const setup = (policyOverrides: Record<string, unknown> = {}) => {
  const state = createSandboxState(SANDBOX_USERS, policyOverrides);
  const fake = stateRouter(state);
  let now = at(0);
  const logs: { event: string; fields: LogFields }[] = [];
  let executions = 0;
  const engine = createWorkflowEngine({
    state,
    router: () => fake.router,
    clock: () => now,
    log: (event, fields) => logs.push({ event, fields }),
    executionId: () => `exec-${++executions}`,
  });
  const idOf = (edge: EdgeId) => engine.workflowTransitions().find((t) => t.edge?.id === edge)!.id;
  const edgeOf = (transitionId: string) => engine.workflowTransitions().find((t) => t.id === transitionId)!.edge?.id ?? null;
  const visible = async (issue: SandboxIssue, role: PersonRole) => (await engine.transitionsFor(issue, userOf(state, role))).map((t) => edgeOf(t.id));
  const act = (issue: SandboxIssue, edge: EdgeId, role: PersonRole, values: ChangeValues = {}, hour?: number) => {
    if (hour !== undefined) now = at(hour);
    return engine.transition(issue, idOf(edge), userOf(state, role), screen(state, values));
  };
  const stateOf = (issue: SandboxIssue): State | undefined => statusById(state, currentStatusId(issue.fields)!)?.name;
  const evidence = (issue: SandboxIssue) =>
    ((issue.properties['cc81.evidence'] as { records: { edge: string; accountId: string; executionId: string }[] } | undefined)?.records ?? []).map((r) => [r.edge, r.accountId]);
  const setNow = (hour: number) => {
    now = at(hour);
  };
  return { state, engine, fake, logs, idOf, visible, act, stateOf, evidence, setNow, runtime: engine.runtime };
};

const blockedWith = (outcome: Awaited<ReturnType<ReturnType<typeof createWorkflowEngine>['transition']>>): string[] => {
  if (outcome.ok) throw new Error('expected the transition to be refused');
  expect(outcome.status).toBe(400);
  expect(outcome.body.errors).toEqual({});
  return outcome.body.errorMessages;
};

/** A normal change taken to Scheduled by the right people. */
const scheduledNormal = async (s: ReturnType<typeof setup>, values: ChangeValues = {}) => {
  const issue = createChange(s.state, { ...NORMAL, ...values }, 'requester', at(0));
  expect(await s.act(issue, 'submit', 'requester', {}, 1)).toEqual({ ok: true });
  expect(await s.act(issue, 'approve', 'approver', { testPlan: 'Staging first', rollbackPlan: 'Restore the old bundle', cabReference: 'CAB-2026-11' }, 2)).toEqual({ ok: true });
  expect(await s.act(issue, 'schedule', 'requester', {}, 3)).toEqual({ ok: true });
  return issue;
};

describe('workflow engine: who may approve and verify under the policy (issue 15)', () => {
  it('CAB members only approve: the named approver sees no Approve, the CAB member does and approves; verifiers from a group: one outside it sees no Close', async () => {
    const s = setup({ eligibility: { approver: { kind: 'cab' }, verifier: { kind: 'group', groupName: 'release-qa' } } });
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.act(issue, 'submit', 'requester', {}, 1);
    expect(await s.visible(issue, 'approver')).not.toContain('approve');
    expect(await s.visible(issue, 'cab')).toContain('approve');
    expect(await s.act(issue, 'approve', 'cab', { testPlan: 'Staging first', rollbackPlan: 'Restore the old bundle', cabReference: 'CAB-2026-11' }, 2)).toEqual({ ok: true });
    expect(await s.act(issue, 'schedule', 'requester', {}, 3)).toEqual({ ok: true });
    expect(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Deploy job #7' }, 11)).toEqual({ ok: true });
    // The named verifier is in change-control, not release-qa.
    expect(await s.visible(issue, 'verifier')).not.toContain('close');
    const user = userOf(s.state, 'verifier');
    user.groups.push('release-qa');
    expect(await s.visible(issue, 'verifier')).toContain('close');
  });
});

describe('workflow engine: who sees which transition', () => {
  it('shows the implementer no Approve, no Verify and close, no Post-hoc approve', async () => {
    const s = setup();
    const normal = createChange(s.state, NORMAL, 'requester', at(0));
    await s.act(normal, 'submit', 'requester', {}, 1);
    expect(await s.visible(normal, 'implementer')).not.toContain('approve');
    expect(await s.visible(normal, 'approver')).toContain('approve');
    expect(await s.visible(normal, 'cab')).toContain('approve'); // a CAB member may approve
    expect(await s.visible(normal, 'outsider')).not.toContain('approve');

    const emergency = createChange(s.state, { summary: 'Hotfix', emergencyJustification: 'INC-4711', changeType: 'emergency', targetSystems: ['api'], implementationEvidence: 'Deployed 1.2.4', ...PEOPLE_FIELDS }, 'requester', at(0));
    expect(await s.act(emergency, 'emergencyImplementFromDraft', 'implementer', {}, 1)).toEqual({ ok: true });
    expect(await s.visible(emergency, 'implementer')).toEqual([]);
    expect(await s.visible(emergency, 'approver')).toEqual(['postHocApprove']);
    expect(await s.visible(emergency, 'verifier')).toEqual(['close']);
  });

  it('shows the shortcuts only for their change type, and the emergency one only to the implementer', async () => {
    const s = setup();
    const normal = createChange(s.state, NORMAL, 'requester', at(0));
    expect(await s.visible(normal, 'requester')).toEqual(['submit', 'cancelFromDraft']);
    const standard = createChange(s.state, { ...NORMAL, changeType: 'standard' }, 'requester', at(0));
    expect(await s.visible(standard, 'requester')).toEqual(['submit', 'standardSchedule', 'cancelFromDraft']);
    const emergency = createChange(s.state, { ...NORMAL, changeType: 'emergency' }, 'requester', at(0));
    expect(await s.visible(emergency, 'requester')).toEqual(['submit', 'cancelFromDraft']);
    expect(await s.visible(emergency, 'implementer')).toEqual(['submit', 'emergencyImplementFromDraft', 'cancelFromDraft']);
  });

  it('returns Jira transition JSON: stable ids, target status, loop flag', async () => {
    const s = setup();
    const issue = createChange(s.state, { ...NORMAL, changeType: 'emergency', emergencyJustification: 'INC-1' }, 'requester', at(0));
    expect(await s.act(issue, 'emergencyImplementFromDraft', 'implementer', { implementationEvidence: 'Deployed' }, 1)).toEqual({ ok: true });
    const [postHoc] = await s.engine.transitionsFor(issue, userOf(s.state, 'approver'));
    const implemented = statusOf(s.state, 'Implemented');
    expect(postHoc).toEqual({
      id: s.idOf('postHocApprove'),
      name: 'Post-hoc approve',
      to: { id: implemented.id, name: 'Implemented', statusCategory: implemented.statusCategory },
      hasScreen: true,
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: true,
      isLooped: true,
    });
  });

  it('hides a transition whose condition cannot be evaluated (fails closed) and logs it, ids only', async () => {
    const s = setup();
    const issue = createChange(s.state, { ...NORMAL, changeType: 'standard' }, 'requester', at(0));
    issue.fields[fieldId(s.state, 'changeType')] = 'Standard'; // not the REST option shape: `.value` fails
    expect(await s.visible(issue, 'requester')).toEqual(['submit', 'cancelFromDraft']);
    const logged = s.logs.find((l) => l.fields.event === 'condition-error');
    expect(logged?.fields).toMatchObject({ issueKey: issue.key, edge: 'standardSchedule', errorName: 'JiraEvaluationError' });
    expect(JSON.stringify(logged)).not.toContain('Standard"');
  });
});

describe('workflow engine: refusing transitions', () => {
  it('answers 400 for an unknown transition or one not available from the current status, as Jira does (404 means the issue is not found)', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    expect(await s.engine.transition(issue, '999', userOf(s.state, 'requester'), {})).toEqual({ ok: false, status: 400, body: { errorMessages: [invalidTransition('999')], errors: {} } });
    expect(await s.act(issue, 'close', 'verifier')).toMatchObject({ ok: false, status: 400 });
    expect(s.stateOf(issue)).toBe('Draft');
  });

  it('refuses a hidden transition with "You can\'t do this transition": the approver who is the implementer', async () => {
    const s = setup();
    const issue = createChange(s.state, { ...NORMAL, implementer: PEOPLE.approver }, 'requester', at(0));
    await s.act(issue, 'submit', 'requester', {}, 1);
    expect(await s.visible(issue, 'approver')).not.toContain('approve');
    const outcome = await s.act(issue, 'approve', 'approver', { testPlan: 'Staging', rollbackPlan: 'Restore', cabReference: 'CAB-1' }, 2);
    expect(blockedWith(outcome)).toEqual([CANNOT_TRANSITION]);
    expect(s.stateOf(issue)).toBe('Assessment');
  });

  it('blocks an approver who makes themself the implementer on the Approve screen, with a clear message', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.act(issue, 'submit', 'requester', {}, 1);
    const outcome = await s.act(issue, 'approve', 'approver', { testPlan: 'Staging', rollbackPlan: 'Restore', cabReference: 'CAB-1', implementer: PEOPLE.approver }, 2);
    expect(blockedWith(outcome)).toEqual(['The implementer may not Approve: someone else must approve this change.']);
    expect(s.stateOf(issue)).toBe('Assessment');
    expect(issue.fields[fieldId(s.state, 'implementer')]).toMatchObject({ accountId: PEOPLE.implementer }); // the screen edit was not applied
  });

  it('names a missing required field, and passes once it is filled on the transition screen', async () => {
    const s = setup();
    const issue = createChange(s.state, { ...NORMAL, targetSystems: null }, 'requester', at(0));
    expect(blockedWith(await s.act(issue, 'submit', 'requester', {}, 1))).toEqual(['Fill in Target systems to Submit for assessment.']);
    expect(issue.changelog).toHaveLength(0);
    expect(await s.act(issue, 'submit', 'requester', { targetSystems: ['edge-proxy'] })).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Assessment');
    expect(issue.fields[fieldId(s.state, 'targetSystems')]).toEqual(['edge-proxy']);
  });

  it('shows every problem a validator part finds in its one message', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.act(issue, 'submit', 'requester', {}, 1);
    expect(blockedWith(await s.act(issue, 'approve', 'approver', {}, 2))).toEqual([
      'Fill in Test plan, Rollback plan to Approve.',
      'Add the CAB reference: medium/high-risk changes need CAB review first.',
    ]);
  });

  it('refuses invalid screen values per field, as Jira does', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    const outcome = await s.engine.transition(issue, s.idOf('submit'), userOf(s.state, 'requester'), { status: { id: '10004' }, [fieldId(s.state, 'risk')]: { value: 'Extreme' } });
    expect(outcome).toEqual({
      ok: false,
      status: 400,
      body: {
        errorMessages: [],
        errors: { status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.", [fieldId(s.state, 'risk')]: "Specify a valid 'id' or 'name' for Risk rating" },
      },
    });
  });
});

describe('workflow engine: the three paths', () => {
  it('normal: requester submits, approver approves with a CAB ref, implementer implements inside the window, verifier closes', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    s.runtime.resetStats();
    expect(await s.act(issue, 'submit', 'requester', {}, 1)).toEqual({ ok: true });
    expect(await s.act(issue, 'approve', 'approver', { testPlan: 'Staging first', rollbackPlan: 'Restore the old bundle', cabReference: 'CAB-2026-11' }, 2)).toEqual({ ok: true });
    expect(await s.act(issue, 'schedule', 'requester', {}, 3)).toEqual({ ok: true });
    expect(await s.visible(issue, 'implementer')).toContain('implement');
    expect(await s.visible(issue, 'approver')).not.toContain('implement');

    expect(blockedWith(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Deployed' }, 9))).toEqual([
      'This is outside the maintenance window: implement inside it, or reschedule first.',
    ]);
    expect(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Deployed bundle 2026-03' }, 12)).toEqual({ ok: true });
    expect(await s.visible(issue, 'implementer')).toEqual([]);
    expect(await s.act(issue, 'close', 'verifier', { verificationResult: 'passed' }, 13)).toEqual({ ok: true });

    expect(s.stateOf(issue)).toBe('Closed');
    expect(s.evidence(issue)).toEqual([
      ['approve', PEOPLE.approver],
      ['implement', PEOPLE.implementer],
      ['close', PEOPLE.verifier],
    ]);
    // The gate on Approve, on both implement attempts and on Close; one recorder invocation per recorded edge.
    // The gate on Approve, Schedule (a recurring window field is mapped), Mark implemented and Close.
    expect(s.runtime.invocations()).toEqual({ 'history-gate': 5, 'evidence-recorder': 3, 'deployment-gate': 0 });
  });

  it('records the status change and the screen edits in one changelog history by the user, like Jira', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    await s.act(issue, 'submit', 'requester', {}, 1);
    await s.act(issue, 'approve', 'approver', { testPlan: 'Staging first', rollbackPlan: 'Restore', cabReference: 'CAB-2026-11' }, 2);
    expect(issue.changelog).toHaveLength(2);
    const approval = issue.changelog[1]!;
    expect(approval.author?.accountId).toBe(PEOPLE.approver);
    expect(approval.created).toBe('2026-03-02T10:00:00.000+0000');
    const [assessment, approved] = [statusOf(s.state, 'Assessment'), statusOf(s.state, 'Approved')];
    expect(approval.items).toContainEqual({ field: 'Status', fieldtype: 'jira', fieldId: 'status', from: assessment.id, fromString: 'Assessment', to: approved.id, toString: 'Approved' });
    expect(approval.items.map((i) => i.fieldId).sort()).toEqual(['status', fieldId(s.state, 'cabReference'), fieldId(s.state, 'rollbackPlan'), fieldId(s.state, 'testPlan')].sort());
    expect(issue.fields[fieldId(s.state, 'testPlan')]).toEqual(adf('Staging first'));
  });

  it('standard: the template shortcut to Scheduled, then implementation and verification', async () => {
    const s = setup();
    const values: ChangeValues = { ...NORMAL, changeType: 'standard', risk: 'low', standardTemplate: 'STD-7 certificate rotation', windowStart: null, windowEnd: null };
    const issue = createChange(s.state, values, 'requester', at(0));
    expect(blockedWith(await s.act(issue, 'standardSchedule', 'requester', {}, 1))).toEqual([
      'Set Maintenance window start (or a recurring window) to Schedule standard change. Set Maintenance window end (or a recurring window) to Schedule standard change.',
    ]);
    expect(await s.act(issue, 'standardSchedule', 'requester', { windowStart: at(10), windowEnd: at(14) })).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Scheduled');
    expect(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Ran runbook STD-7' }, 11)).toEqual({ ok: true });
    expect(await s.act(issue, 'close', 'verifier', { verificationResult: 'passed' }, 12)).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Closed');
    expect(s.evidence(issue)).toEqual([
      ['implement', PEOPLE.implementer],
      ['close', PEOPLE.verifier],
    ]);
  });

  it('standard: a medium-risk change may not take the shortcut', async () => {
    const s = setup();
    const issue = createChange(s.state, { ...NORMAL, changeType: 'standard', standardTemplate: 'STD-7' }, 'requester', at(0));
    expect(blockedWith(await s.act(issue, 'standardSchedule', 'requester', {}, 1))).toEqual(['Only low-risk changes may Schedule standard change; take the normal approval path.']);
  });

  it('emergency: implementer implements, approver approves post hoc, verifier closes', async () => {
    const s = setup();
    const issue = createChange(s.state, { summary: 'Hotfix the login outage', emergencyJustification: 'INC-4711', changeType: 'emergency', targetSystems: ['auth'], ...PEOPLE_FIELDS }, 'requester', at(0));
    s.runtime.resetStats();
    expect(await s.act(issue, 'emergencyImplementFromDraft', 'implementer', { implementationEvidence: 'Rolled out 4.2.1' }, 1)).toEqual({ ok: true });
    expect(blockedWith(await s.act(issue, 'close', 'verifier', { verificationResult: 'passed' }, 2))).toEqual([
      'This emergency change needs post-hoc approval by someone other than the implementer before it can be closed. If it was approved moments ago, wait a few seconds and try again: the approval is still being recorded.',
    ]);
    const histories = issue.changelog.length;
    expect(await s.act(issue, 'postHocApprove', 'approver', {}, 3)).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Implemented');
    expect(issue.changelog).toHaveLength(histories); // a loop with no edits leaves no changelog entry; the evidence records it
    expect(await s.act(issue, 'close', 'verifier', { verificationResult: 'passed' }, 4)).toEqual({ ok: true });
    expect(s.stateOf(issue)).toBe('Closed');
    expect(s.evidence(issue)).toEqual([
      ['emergencyImplementFromDraft', PEOPLE.implementer],
      ['postHocApprove', PEOPLE.approver],
      ['close', PEOPLE.verifier],
    ]);
    // The gate on both Close attempts and on Post-hoc approve: it reads the post-hoc approval from the app's log.
    expect(s.runtime.invocations()).toEqual({ 'history-gate': 3, 'evidence-recorder': 3, 'deployment-gate': 0 });
  });
});

describe('workflow engine: the Forge functions', () => {
  it('the history gate blocks implementation after a material field was edited post-approval', async () => {
    const s = setup();
    const issue = await scheduledNormal(s);
    applyFieldChanges(s.state, issue, { [fieldId(s.state, 'rollbackPlan')]: adf('Restore from last night’s backup') }, userOf(s.state, 'requester'), at(4));
    s.runtime.resetStats();
    const messages = blockedWith(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Deployed' }, 12));
    expect(messages).toEqual(['Rollback plan changed after approval, which voids it: send the change back for re-approval.']);
    expect(s.stateOf(issue)).toBe('Scheduled');
    expect(s.runtime.invocations()).toEqual({ 'history-gate': 1, 'evidence-recorder': 0, 'deployment-gate': 0 });
    expect(s.evidence(issue)).toEqual([['approve', PEOPLE.approver]]);
  });

  it('passes screen edits to the gate as modifiedFields: changing the implementer on the Implement screen voids the approval', async () => {
    const s = setup();
    const issue = await scheduledNormal(s);
    const messages = blockedWith(await s.act(issue, 'implement', 'implementer', { implementationEvidence: 'Deployed', implementer: PEOPLE.outsider }, 12));
    expect(messages).toContain('Implementer changed after approval, which voids it: send the change back for re-approval.');
    expect(messages).toContain('Only the named implementer may do this (Mark implemented).');
  });

  it('writes cc81.evidence records with the execution id, time and actor', async () => {
    const s = setup();
    const issue = await scheduledNormal(s);
    expect(issue.properties['cc81.evidence']).toEqual({
      version: 1,
      records: [{ edge: 'approve', from: 'Assessment', to: 'Approved', accountId: PEOPLE.approver, at: at(2).toISOString(), executionId: 'exec-1' }],
      seal: expect.objectContaining({ alg: 'Ed25519', issueId: issue.id, omitted: 0 }),
    });
  });

  it('invokes no function for edges guarded only by expressions', async () => {
    const s = setup();
    const issue = createChange(s.state, NORMAL, 'requester', at(0));
    s.runtime.resetStats();
    await s.act(issue, 'submit', 'requester', {}, 1);
    await s.act(issue, 'sendBack', 'approver', {}, 2);
    await s.act(issue, 'cancelFromDraft', 'requester', { cancellationReason: 'Superseded' }, 3);
    expect(s.stateOf(issue)).toBe('Closed');
    expect(s.runtime.invocations()).toEqual({ 'history-gate': 0, 'evidence-recorder': 0, 'deployment-gate': 0 });
    expect(s.fake.requests).toHaveLength(0);
  });
});
