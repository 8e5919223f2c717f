// Obligations are fixed when incurred (DESIGN.md; issue 14): an emergency implementation without
// pre-approval owes a post-hoc approval even after the change is reclassified.
import { evaluateHistoryGate, postHocStatus } from '../../src/domain';
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
