// Issue 15: a standard change's template pre-approval is a standing approval. Material changes after
// the standard shortcut void it, and a risk raised above the template's (low) blocks implementation.
import { Risk, auditChange, evaluateHistoryGate, evaluateTransition } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory, HistoryBuilder } from '../builders/history.builder';
import { PEOPLE, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const policy = aPolicy();
const shortcut = () => aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1);
const codesAtImplement = (risk: Risk, history: HistoryBuilder) => {
  const change = aChange({ state: 'Scheduled', type: 'standard', risk });
  return evaluateHistoryGate(change, 'implement', anActor('implementer'), policy, at(12), history.build()).reasons.map((r) => `${r.code}${r.field ? `:${r.field}` : ''}`);
};

describe('Mark implemented after the standard shortcut', () => {
  it.each([
    { row: 'nothing changed', risk: 'low', edits: (h: HistoryBuilder) => h, expected: [] },
    { row: 'a non-material edit', risk: 'low', edits: (h: HistoryBuilder) => h.edit('summary', 'a', 'b', PEOPLE.implementer, 2), expected: [] },
    { row: 'the window set for the first time', risk: 'low', edits: (h: HistoryBuilder) => h.edit('windowEnd', null, at(14).toISOString(), PEOPLE.implementer, 2), expected: [] },
    { row: 'edits on the shortcut screen itself', risk: 'low', edits: (h: HistoryBuilder) => h.edit('targetSystems', 'web', 'web, db', PEOPLE.requester, 1), expected: [] },
    {
      row: 'target systems widened to production databases',
      risk: 'low',
      edits: (h: HistoryBuilder) => h.edit('targetSystems', 'web', 'prod-db-1, prod-db-2', PEOPLE.implementer, 2),
      expected: ['CHANGED_AFTER_APPROVAL:targetSystems'],
    },
    { row: 'rollback plan set to "none"', risk: 'low', edits: (h: HistoryBuilder) => h.edit('rollbackPlan', 'Redeploy', 'none', PEOPLE.implementer, 2), expected: ['CHANGED_AFTER_APPROVAL:rollbackPlan'] },
    { row: 'the window moved', risk: 'low', edits: (h: HistoryBuilder) => h.edit('windowStart', at(10).toISOString(), at(11).toISOString(), PEOPLE.implementer, 2), expected: ['CHANGED_AFTER_APPROVAL:windowStart'] },
    {
      row: 'risk raised to high',
      risk: 'high',
      edits: (h: HistoryBuilder) => h.edit('risk', 'low', 'high', PEOPLE.implementer, 2),
      expected: ['STANDARD_RISK_TOO_HIGH:risk', 'CHANGED_AFTER_APPROVAL:risk'],
    },
    { row: 'risk medium (changelog lost)', risk: 'medium', edits: (h: HistoryBuilder) => h, expected: ['STANDARD_RISK_TOO_HIGH:risk'] },
  ] as { row: string; risk: Risk; edits: (h: HistoryBuilder) => HistoryBuilder; expected: string[] }[])('$row → $expected', ({ risk, edits, expected }) => {
    expect(codesAtImplement(risk, edits(shortcut())).sort()).toEqual([...expected].sort());
  });

  it('says what voided it and what to do', () => {
    const change = aChange({ state: 'Scheduled', type: 'standard', risk: 'high' });
    const history = shortcut().edit('risk', 'low', 'high', PEOPLE.implementer, 2).build();
    const messages = evaluateTransition(change, 'implement', anActor('implementer'), policy, at(12), history).reasons.map((r) => r.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/risk is now high, above what the standard template pre-approves \(low\): reschedule and re-assess/),
        expect.stringMatching(/Risk rating changed after the standard pre-approval, which voids it/),
      ]),
    );
  });

  it('a normal approval after a reschedule and re-assess stands again', () => {
    const history = shortcut()
      .edit('risk', 'low', 'high', PEOPLE.implementer, 2)
      .move('Scheduled', 'Approved', PEOPLE.requester, 3)
      .move('Approved', 'Assessment', PEOPLE.requester, 4)
      .move('Assessment', 'Approved', PEOPLE.approver, 5)
      .move('Approved', 'Scheduled', PEOPLE.requester, 6);
    expect(codesAtImplement('high', history)).toEqual([]);
  });
});

describe('the audit of a standard change widened after its pre-approval', () => {
  const implemented = (h: HistoryBuilder) => h.move('Scheduled', 'Implemented', PEOPLE.implementer, 11).move('Implemented', 'Closed', PEOPLE.verifier, 12).build();
  const audit = (risk: Risk, history: ReturnType<typeof implemented>) =>
    auditChange(aChange({ state: 'Closed', type: 'standard', risk }), history, policy, at(100)).map((f) => `${f.code}${f.field ? `:${f.field}` : ''}`);

  it('reports the risk raised and each material change', () => {
    const history = implemented(shortcut().edit('risk', 'low', 'high', PEOPLE.implementer, 2).edit('rollbackPlan', 'Redeploy', 'none', PEOPLE.implementer, 3));
    expect(audit('high', history).sort()).toEqual(['CHANGED_AFTER_APPROVAL:risk', 'CHANGED_AFTER_APPROVAL:rollbackPlan', 'STANDARD_RISK_TOO_HIGH:risk'].sort());
  });

  it('reports a standard change high-risk from the start once, at the shortcut', () => {
    const history = implemented(aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1));
    const findings = auditChange(aChange({ state: 'Closed', type: 'standard', risk: 'high' }), history, policy, at(100));
    expect(findings.map((f) => [f.code, f.edge])).toEqual([['STANDARD_RISK_TOO_HIGH', 'standardSchedule']]);
  });

  it('reports nothing for an untouched standard change', () => {
    expect(audit('low', implemented(shortcut()))).toEqual([]);
  });
});
