/**
 * The audit judges by what happened (the changelog), not by what a role field says now.
 * Expected findings are written out here, not taken from src.
 */
import { auditChange } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const findingsOf = (history: ReturnType<ReturnType<typeof aHistory>['build']>) =>
  auditChange(aChange({ state: 'Closed' }), history, aPolicy(), at(200)).map((f) => [f.code, f.edge, f.people.map((p) => `${p.role}:${p.accountId}`).sort()]);

describe('audit: segregation by actor', () => {
  it('reports the approver who implemented, though the implementer field names someone else', () => {
    // The implementer field names PEOPLE.implementer (builder default); the approver marks it implemented.
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.approver, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    expect(findingsOf(history)).toContainEqual(['APPROVER_IS_IMPLEMENTER', 'approve', [`approver:${PEOPLE.approver}`, `implementer:${PEOPLE.approver}`]]);
  });

  it.each([
    { name: 'the verifier implemented, though the implementer field names someone else', implementedBy: PEOPLE.verifier, implementerField: PEOPLE.implementer },
    { name: 'the implementer field names the verifier, though someone else implemented', implementedBy: PEOPLE.implementer, implementerField: PEOPLE.verifier },
  ])('reports the verifier who is the implementer: $name', ({ implementedBy, implementerField }) => {
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', implementedBy, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    const change = aChange({ state: 'Closed', fields: { implementer: { accountId: implementerField } } });
    const findings = auditChange(change, history, aPolicy(), at(200)).map((f) => [f.code, f.edge, f.at, f.people.map((p) => `${p.role}:${p.accountId}`).sort()]);
    expect(findings).toContainEqual(['VERIFIER_IS_IMPLEMENTER', 'close', at(30), [`actor:${PEOPLE.verifier}`, `implementer:${PEOPLE.verifier}`, `verifier:${PEOPLE.verifier}`]]);
  });

  it('does not report a verifier who neither implemented nor is named implementer', () => {
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    expect(findingsOf(history)).toEqual([]);
  });

  it('reports a post-hoc approval by whoever implemented, and the approval as still missing', () => {
    // Emergency: the approver implemented (the implementer field names someone else), then approved post hoc.
    const history = aHistory().move('Draft', 'Implemented', PEOPLE.approver, 11).move('Implemented', 'Implemented', PEOPLE.approver, 20).build();
    const findings = auditChange(aChange({ state: 'Implemented', type: 'emergency' }), history, aPolicy(), at(200));
    const byCode = findings.filter((f) => f.code !== 'IMPLEMENTATION_ACTOR_MISMATCH').map((f) => [f.code, f.edge, f.at]);
    expect(byCode).toEqual([
      ['APPROVER_IS_IMPLEMENTER', 'postHocApprove', at(20)],
      ['EMERGENCY_POSTHOC_MISSING', 'postHocApprove', at(83)],
    ]);
  });
});

describe('audit: every way into a state', () => {
  it('reports a state entered outside the changelog (the next move leaves a state never entered)', () => {
    // Assessment → Approved never happened in the changelog; the change next leaves Approved.
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    const skipped = auditChange(aChange({ state: 'Closed' }), history, aPolicy(), at(200)).filter((f) => f.code === 'SKIPPED_STATE');
    expect(skipped.map((f) => [f.message, f.at])).toEqual([['The change left Assessment for Approved outside the lifecycle.', at(3)]]);
  });
});
