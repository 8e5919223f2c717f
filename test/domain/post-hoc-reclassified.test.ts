// Obligations are fixed when incurred (DESIGN.md; issue 14): an emergency implementation without
// pre-approval owes a post-hoc approval even after the change is reclassified.
import { auditChange, evaluateHistoryGate, postHocStatus } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { anActor, PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const policy = aPolicy();
const implementedAsEmergency = () => aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1);

describe.each([
  ['normal', 'emergency'],
  ['standard', 'emergency'],
] as const)('reclassified from emergency to %s after implementation', (now, was) => {
  const change = aChange({ state: 'Implemented', type: now });
  const history = implementedAsEmergency().edit('changeType', was, now, PEOPLE.implementer, 2).build();

  it('keeps the post-hoc clock running, and overdue after the deadline', () => {
    expect(postHocStatus(change, history, policy, at(500))).toMatchObject({ status: 'overdue', implementedAt: at(1), implementerAccountId: PEOPLE.implementer });
  });

  it('still refuses Close at the gate without a post-hoc approval', () => {
    const verdict = evaluateHistoryGate(change, 'close', anActor('verifier'), policy, at(500), history);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['EMERGENCY_POSTHOC_MISSING']);
  });

  it('is satisfied by a post-hoc approval by someone other than the implementer', () => {
    const approved = [...history, ...aHistory().move('Implemented', 'Implemented', PEOPLE.approver, 3).build()];
    expect(postHocStatus(change, approved, policy, at(500))).toMatchObject({ status: 'satisfied-on-time', approverAccountId: PEOPLE.approver });
    expect(evaluateHistoryGate(change, 'close', anActor('verifier'), policy, at(500), approved).allowed).toBe(true);
  });
});

describe('not owed', () => {
  it('by a change that became an emergency only after its implementation', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency' });
    const history = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1).edit('changeType', 'normal', 'emergency', PEOPLE.requester, 2).build();
    expect(postHocStatus(change, history, policy, at(500))).toEqual({ status: 'not-needed' });
  });

  it('by an emergency change implemented on a pre-approval', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency' });
    const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3).move('Scheduled', 'Implemented', PEOPLE.implementer, 4).build();
    expect(postHocStatus(change, history, policy, at(500))).toEqual({ status: 'not-needed' });
    expect(evaluateHistoryGate(change, 'close', anActor('verifier'), policy, at(500), history).allowed).toBe(true);
  });

  it('yet an emergency change with no implementation on record fails closed at Close', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency' });
    expect(evaluateHistoryGate(change, 'close', anActor('verifier'), policy, at(500), []).reasons.map((r) => r.code)).toEqual(['EMERGENCY_POSTHOC_MISSING']);
  });
});

describe('the audit reports every reclassification after implementation (RECLASSIFIED_AFTER_IMPLEMENTATION)', () => {
  const reclassified = (history: ReturnType<typeof aHistory>, type: 'normal' | 'standard' | 'emergency' = 'normal') =>
    auditChange(aChange({ state: 'Implemented', type }), history.build(), policy, at(500)).filter((f) => f.code === 'RECLASSIFIED_AFTER_IMPLEMENTATION');

  it('names who changed the type, from what to what, and when, next to the implementation', () => {
    const [finding, ...rest] = reclassified(implementedAsEmergency().edit('changeType', 'emergency', 'normal', PEOPLE.requester, 2));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'exception',
      field: 'changeType',
      at: at(2),
      timestamps: { implementedAt: at(1), changedAt: at(2) },
      people: [
        { role: 'editor', accountId: PEOPLE.requester },
        { role: 'implementer', accountId: PEOPLE.implementer },
      ],
    });
    expect(finding!.message).toMatch(/from emergency to normal after the change was implemented/);
  });

  it('reports each change, there and back', () => {
    const history = implementedAsEmergency().edit('changeType', 'emergency', 'normal', PEOPLE.implementer, 2).edit('changeType', 'normal', 'emergency', PEOPLE.implementer, 3);
    expect(reclassified(history, 'emergency').map((f) => f.at)).toEqual([at(2), at(3)]);
  });

  it.each([
    ['before implementation', aHistory().edit('changeType', 'normal', 'emergency', PEOPLE.requester, 0.5).move('Draft', 'Implemented', PEOPLE.implementer, 1)],
    ['in the same instant as the implementation (the transition screen)', aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1).edit('changeType', 'normal', 'emergency', PEOPLE.implementer, 1)],
    ['to the same value', implementedAsEmergency().edit('changeType', 'emergency', 'emergency ', PEOPLE.requester, 2)],
    ['of another field', implementedAsEmergency().edit('summary', 'a', 'b', PEOPLE.requester, 2)],
    ['on a change never implemented', aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).edit('changeType', 'normal', 'emergency', PEOPLE.requester, 2)],
  ])('not for an edit %s', (_name, history) => {
    expect(reclassified(history, 'emergency')).toEqual([]);
  });
});
