import fc from 'fast-check';
import { FINDING_CODES, FindingSchema, auditChange } from '../../src/domain';
import { AUDIT_SCENARIOS } from '../builders/audit-scenarios.builder';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory, compliantHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { MATERIAL, NOT_MATERIAL } from '../support/lifecycle-expectations';

const codesOf = (findings: { code: string }[]) => [...new Set(findings.map((f) => f.code))].sort();

describe('auditChange', () => {
  it.each(AUDIT_SCENARIOS)('$name → $expected', ({ change, history, policy, nowHour, expected }) => {
    const findings = auditChange(change, history, policy, at(nowHour));
    expect(codesOf(findings)).toEqual([...expected].sort());
    for (const finding of findings) {
      expect(FindingSchema.parse(finding)).toEqual(finding);
      expect(finding.issueKey).toBe(change.key);
      // Jira records no author or time for an issue-property edit, so a tampering finding names neither.
      if (finding.code === 'EVIDENCE_TAMPERED') {
        expect(finding).toMatchObject({ people: [], at: null, severity: 'exception' });
        expect(finding.message).toContain(change.integrity?.differences[0]);
        continue;
      }
      expect(finding.people.length).toBeGreaterThan(0);
      expect(finding.at).toBeInstanceOf(Date);
    }
  });

  it('reports no tampering when the evidence was compared and matched, or not compared at all', () => {
    const clean = { ...AUDIT_SCENARIOS[0]!.change, integrity: { differences: [] } };
    expect(auditChange(clean, AUDIT_SCENARIOS[0]!.history, AUDIT_SCENARIOS[0]!.policy, at(200))).toEqual([]);
    expect(AUDIT_SCENARIOS[0]!.change.integrity).toBeUndefined();
  });

  it('has a scenario for every finding code', () => {
    const covered = new Set(AUDIT_SCENARIOS.flatMap((s) => s.expected));
    expect(FINDING_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('names the people and times involved', () => {
    const scenario = AUDIT_SCENARIOS.find((s) => s.name === 'rollback plan edited after approval')!;
    const [finding] = auditChange(scenario.change, scenario.history, scenario.policy, at(200));
    expect(finding).toMatchObject({
      code: 'CHANGED_AFTER_APPROVAL',
      edge: 'approve',
      field: 'rollbackPlan',
      people: [
        { role: 'editor', accountId: PEOPLE.requester },
        { role: 'approver', accountId: PEOPLE.approver },
      ],
      at: at(5),
      timestamps: { approvedAt: at(2), changedAt: at(5) },
    });
  });

  it('judges each transition by the fields as they were then, not as they are now', () => {
    // The test plan was filled only after approval: the approval lacked it, and the edit voids it.
    const history = [...compliantHistory('normal'), ...aHistory().edit('testPlan', null, 'Staging rollout', PEOPLE.requester, 2.5).build()];
    const findings = auditChange(aChange({ state: 'Closed' }), history, aPolicy(), at(200));
    expect(findings.map((f) => [f.code, f.field])).toEqual([
      ['MISSING_FIELD', 'testPlan'],
      ['CHANGED_AFTER_APPROVAL', 'testPlan'],
    ]);
  });

  it('ignores history after now', () => {
    const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.outsider, 50).build();
    expect(auditChange(aChange({ state: 'Approved' }), history, aPolicy(), at(10))).toEqual([]);
  });

  it('copes with deleted users, unordered histories, empty and null fields', () => {
    const deleted = { accountId: 'acc-deleted', displayName: 'Former user', active: false };
    const change = aChange({ state: 'Closed', fields: { implementer: deleted, cabReference: null, targetSystems: [], testPlan: undefined } });
    const history = [...compliantHistory('normal')].reverse();
    history.push({ kind: 'field', field: 'implementer', from: null, to: 'acc-deleted', actor: deleted, at: at(0.5) });
    const findings = auditChange(change, history, aPolicy(), at(200));
    expect(codesOf(findings)).toEqual(['CAB_MISSING', 'IMPLEMENTATION_ACTOR_MISMATCH', 'MISSING_FIELD']);
    expect(auditChange(aChange(), [], aPolicy(), at(0))).toEqual([]);
  });
});

describe('auditChange: CHANGED_AFTER_APPROVAL property', () => {
  const fields = [...MATERIAL, ...NOT_MATERIAL];
  const event = fc.oneof(
    fc.record({ kind: fc.constant('approve' as const) }),
    fc.record({ kind: fc.constant('reassess' as const) }),
    fc.record({ kind: fc.constant('edit' as const), field: fc.constantFrom(...fields), same: fc.boolean() }),
  );

  it('finds it exactly when a material field changes after the last standing approval', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 14 }), (events) => {
        const h = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 0.5);
        let state: 'Assessment' | 'Approved' = 'Assessment';
        let approvedAt: number | null = null;
        let expected = false;
        events.forEach((e, i) => {
          const hour = 1 + i;
          if (e.kind === 'approve' && state === 'Assessment') {
            h.move('Assessment', 'Approved', PEOPLE.approver, hour);
            state = 'Approved';
            approvedAt = hour;
            expected = false;
          } else if (e.kind === 'reassess' && state === 'Approved') {
            h.move('Approved', 'Assessment', PEOPLE.requester, hour);
            state = 'Assessment';
          } else if (e.kind === 'edit') {
            h.edit(e.field, 'old', e.same ? 'old' : `new-${i}`, PEOPLE.requester, hour);
            const material = MATERIAL.includes(e.field);
            if (material && !e.same && approvedAt !== null && state === 'Approved') expected = true;
          }
        });
        const findings = auditChange(aChange({ state }), h.build(), aPolicy(), at(100));
        expect(findings.some((f) => f.code === 'CHANGED_AFTER_APPROVAL')).toBe(expected);
      }),
    );
  });
});
