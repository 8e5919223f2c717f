// Issue 15: the policy can require approvers and verifiers to be members of a Jira group, or CAB members.
import { EdgeId, evaluateCondition, evaluateTransition, isEligible, parsePolicy, Policy } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { anActor, CAB_GROUP, PEOPLE, type PersonRole } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const APPROVERS = 'change-approvers';
const withGroups = (role: PersonRole, groups: string[]) => ({ ...anActor(role), groups });

const policyWith = (eligibility: Partial<Policy['eligibility']>, cab: Partial<Policy['cab']> = {}): Policy =>
  aPolicy({ eligibility: { approver: { kind: 'anyone' }, verifier: { kind: 'anyone' }, ...eligibility }, cab: { ...aPolicy().cab, groupName: CAB_GROUP, ...cab } });

describe('isEligible', () => {
  it.each<[string, Policy['eligibility']['approver'], ReturnType<typeof anActor>, Partial<Policy['cab']>, boolean | null]>([
    ['anyone', { kind: 'anyone' }, anActor('outsider'), {}, true],
    ['a group member', { kind: 'group', groupName: APPROVERS }, withGroups('approver', [APPROVERS]), {}, true],
    ['not in the group', { kind: 'group', groupName: APPROVERS }, withGroups('approver', ['jira-users']), {}, false],
    ['groups unknown: cannot tell', { kind: 'group', groupName: APPROVERS }, { accountId: PEOPLE.approver }, {}, null],
    ['a CAB member by group', { kind: 'cab' }, anActor('cab'), {}, true],
    ['a CAB member by account id, groups unknown', { kind: 'cab' }, { accountId: PEOPLE.approver }, { groupName: null, memberAccountIds: [PEOPLE.approver] }, true],
    ['not a CAB member', { kind: 'cab' }, anActor('approver'), {}, false],
    ['no CAB group, not a listed member', { kind: 'cab' }, { accountId: PEOPLE.approver }, { groupName: null, memberAccountIds: [PEOPLE.cab] }, false],
  ])('%s', (_row, need, actor, cab, expected) => {
    expect(isEligible(actor, 'approver', policyWith({ approver: need }, cab))).toBe(expected);
  });
});

type Row = { row: string; edge: EdgeId; actor: ReturnType<typeof anActor>; policy: Policy; blocked: string | null };
const approving = aChange({ state: 'Assessment', risk: 'medium' });
const closing = aChange({ state: 'Implemented' });
const ROWS: Row[] = [
  { row: 'approvers must be in a group: the named approver outside it', edge: 'approve', actor: anActor('approver'), policy: policyWith({ approver: { kind: 'group', groupName: APPROVERS } }), blocked: 'Only members of the Jira group "change-approvers" may approve changes (the CC8.1 policy): ask one of them to Approve.' },
  { row: 'approvers must be in a group: the named approver in it', edge: 'approve', actor: withGroups('approver', [APPROVERS]), policy: policyWith({ approver: { kind: 'group', groupName: APPROVERS } }), blocked: null },
  { row: 'approvers must be CAB members: the named approver is not', edge: 'approve', actor: anActor('approver'), policy: policyWith({ approver: { kind: 'cab' } }), blocked: 'Only CAB members may approve changes (the CC8.1 policy): ask one of them to Approve.' },
  { row: 'approvers must be CAB members: a CAB member approves', edge: 'approve', actor: anActor('cab'), policy: policyWith({ approver: { kind: 'cab' } }), blocked: null },
  { row: 'the post-hoc approver must be a CAB member too', edge: 'postHocApprove', actor: anActor('approver'), policy: policyWith({ approver: { kind: 'cab' } }), blocked: 'Only CAB members may approve changes (the CC8.1 policy): ask one of them to Post-hoc approve.' },
  { row: 'verifiers must be in a group: the named verifier outside it', edge: 'close', actor: anActor('verifier'), policy: policyWith({ verifier: { kind: 'group', groupName: 'qa' } }), blocked: 'Only members of the Jira group "qa" may verify changes (the CC8.1 policy): ask one of them to Verify and close.' },
  { row: 'verifiers must be in a group: the named verifier in it', edge: 'close', actor: withGroups('verifier', ['qa']), policy: policyWith({ verifier: { kind: 'group', groupName: 'qa' } }), blocked: null },
  { row: 'an approver requirement does not bind the verifier', edge: 'close', actor: anActor('verifier'), policy: policyWith({ approver: { kind: 'cab' } }), blocked: null },
];

describe('enforcement: the condition hides the step from whoever may not take it; the validator refuses it', () => {
  it.each(ROWS)('$row', ({ edge, actor, policy, blocked }) => {
    const change = edge === 'approve' ? approving : edge === 'postHocApprove' ? aChange({ state: 'Implemented', type: 'emergency' }) : closing;
    const named = edge === 'close' ? { verifier: { accountId: actor.accountId } } : { approver: { accountId: actor.accountId } };
    const ticket = { ...change, fields: { ...change.fields, ...named } };
    const verdict = evaluateTransition(ticket, edge, actor, policy, at(6));
    const mismatch = verdict.reasons.filter((r) => /the CC8.1 policy/.test(r.message));
    expect(mismatch.map((r) => r.message)).toEqual(blocked ? [blocked] : []);
    if (blocked) expect(mismatch[0]!.code).toBe(edge === 'close' ? 'VERIFICATION_ACTOR_MISMATCH' : 'APPROVAL_ACTOR_MISMATCH');
    expect(evaluateCondition(ticket, edge, actor, policy, at(6)).reasons.some((r) => /the CC8.1 policy/.test(r.message))).toBe(blocked !== null);
  });

  it('cannot judge a group it does not know the actor to be in (the audit, from the changelog): no finding either way', () => {
    const policy = policyWith({ approver: { kind: 'group', groupName: APPROVERS } });
    const verdict = evaluateTransition({ ...approving, fields: { ...approving.fields, approver: { accountId: PEOPLE.approver } } }, 'approve', { accountId: PEOPLE.approver }, policy, at(6));
    expect(verdict.reasons.filter((r) => /the CC8.1 policy/.test(r.message))).toEqual([]);
  });
});

describe('the policy', () => {
  it('defaults to anyone, and reads a group or the CAB for each role', () => {
    const parsed = parsePolicy({ eligibility: { approver: { kind: 'group', groupName: ' change-approvers ' }, verifier: { kind: 'cab' } }, cab: { groupName: CAB_GROUP } });
    expect(parsed.ok && parsed.policy.eligibility).toEqual({ approver: { kind: 'group', groupName: 'change-approvers' }, verifier: { kind: 'cab' } });
    expect(parsePolicy({}).ok && (parsePolicy({}) as { policy: Policy }).policy.eligibility).toEqual({ approver: { kind: 'anyone' }, verifier: { kind: 'anyone' } });
  });

  it.each([
    [{ eligibility: { approver: { kind: 'group', groupName: '  ' } } }, 'eligibility.approver.groupName', 'Name the Jira group whose members may act'],
    [{ eligibility: { verifier: { kind: 'cab' } } }, 'eligibility.verifier', 'Set the CAB group first: only CAB members may act as verifier, and there are none'],
    [{ eligibility: { approver: { kind: 'everyone' } } }, 'eligibility.approver.kind', expect.any(String)],
  ])('refuses %j, saying where', (input, path, message) => {
    expect(parsePolicy(input)).toEqual({ ok: false, errors: [{ path, message }] });
  });
});
