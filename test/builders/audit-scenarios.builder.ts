import type { Change, FindingCode, History, Policy } from '../../src/domain';
import { aChange } from './change.builder';
import { aHistory, compliantHistory } from './history.builder';
import { PEOPLE } from './people.builder';
import { aPolicy } from './policy.builder';

export interface AuditScenario {
  name: string;
  change: Change;
  history: History;
  policy: Policy;
  /** Hours after T0 at which to audit. */
  nowHour: number;
  expected: FindingCode[];
}

const { requester, implementer, approver, verifier, outsider, cab } = PEOPLE;
const closed = (spec: Parameters<typeof aChange>[0] = {}) => aChange({ state: 'Closed', ...spec });
const normalUntilScheduled = () =>
  aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', approver, 2).move('Approved', 'Scheduled', requester, 3);
const relaxed = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } });

/** One ticket per finding code, plus the compliant paths. The expected codes are exact. */
export const AUDIT_SCENARIOS: AuditScenario[] = [
  { name: 'compliant normal change', change: closed(), history: compliantHistory('normal'), policy: aPolicy(), nowHour: 200, expected: [] },
  { name: 'compliant standard change', change: closed({ type: 'standard', risk: 'low' }), history: compliantHistory('standard'), policy: aPolicy(), nowHour: 200, expected: [] },
  { name: 'compliant emergency change', change: closed({ type: 'emergency' }), history: compliantHistory('emergency'), policy: aPolicy(), nowHour: 200, expected: [] },
  {
    name: 'submitted without a justification',
    change: closed(),
    history: [...compliantHistory('normal'), ...aHistory().edit('justification', null, 'Certificates expire', requester, 1.5).build()],
    policy: aPolicy(),
    nowHour: 200,
    expected: ['MISSING_FIELD'],
  },
  {
    name: 'jumped from Draft to Approved',
    change: closed(),
    history: aHistory().move('Draft', 'Approved', approver, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    // Any move into Approved is an approval act (issue 14): the named approver's stands; the skip is the finding.
    expected: ['SKIPPED_STATE'],
  },
  {
    name: "evidence on the issue that the app's log contradicts",
    change: { ...closed(), integrity: { differences: ['a Post-hoc approve by acc-cab-member is on the issue but not in the log'] } },
    history: compliantHistory('normal'),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['EVIDENCE_TAMPERED'],
  },
  {
    name: 'moved into Approved off the lifecycle by the implementer',
    change: closed(),
    history: aHistory().move('Draft', 'Approved', implementer, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVAL_ACTOR_MISMATCH', 'APPROVER_IS_IMPLEMENTER', 'SKIPPED_STATE'],
  },
  {
    // The example in issue 14: implemented at 14:47 (Assessment → Implemented), moved Implemented → Approved at 15:15.
    name: 'implemented off the lifecycle, then moved back into Approved',
    change: aChange({ state: 'Approved' }),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Implemented', implementer, 6 + 47 / 60).move('Implemented', 'Approved', approver, 7.25).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVAL_AFTER_IMPLEMENTATION', 'NOT_APPROVED', 'SKIPPED_STATE'],
  },
  {
    name: 'moved into Implemented off the lifecycle by someone other than the implementer',
    change: closed(),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', approver, 2).move('Approved', 'Implemented', outsider, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['IMPLEMENTATION_ACTOR_MISMATCH', 'SKIPPED_STATE'],
  },
  {
    name: 'approved by the implementer',
    change: closed({ fields: { approver: { accountId: implementer } } }),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', implementer, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVER_IS_IMPLEMENTER'],
  },
  {
    name: 'verified by the implementer',
    change: closed({ fields: { verifier: { accountId: implementer } } }),
    history: normalUntilScheduled().move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', implementer, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['VERIFIER_IS_IMPLEMENTER'],
  },
  {
    name: 'approved by someone not named and not on the CAB',
    change: closed(),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', outsider, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVAL_ACTOR_MISMATCH'],
  },
  {
    name: 'approved only after it was implemented',
    change: aChange({ state: 'Approved' }),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Implemented', implementer, 11).move('Implemented', 'Assessment', requester, 12).move('Assessment', 'Approved', approver, 13).build(),
    policy: aPolicy(),
    nowHour: 200,
    // A normal change may not take the emergency shortcut: that implementation had no approval behind it.
    expected: ['APPROVAL_AFTER_IMPLEMENTATION', 'NOT_APPROVED', 'SKIPPED_STATE'],
  },
  {
    name: 'rollback plan edited after approval',
    change: closed(),
    history: [...compliantHistory('normal'), ...aHistory().edit('rollbackPlan', 'Redeploy previous bundle', 'Redeploy previous certificate bundle', requester, 5).build()],
    policy: aPolicy(),
    nowHour: 200,
    expected: ['CHANGED_AFTER_APPROVAL'],
  },
  {
    name: 'high risk approved without a CAB reference',
    change: closed({ risk: 'high', fields: { cabReference: null } }),
    history: compliantHistory('normal'),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['CAB_MISSING'],
  },
  {
    name: 'implemented after the window closed (flag policy)',
    change: closed(),
    history: normalUntilScheduled().move('Scheduled', 'Implemented', implementer, 20).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy({ windowEnforcement: 'flag' }),
    nowHour: 200,
    expected: ['OUTSIDE_WINDOW'],
  },
  {
    name: 'emergency with no post-hoc approval, overdue',
    change: aChange({ state: 'Implemented', type: 'emergency' }),
    history: aHistory().move('Draft', 'Implemented', implementer, 11).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['EMERGENCY_POSTHOC_MISSING'],
  },
  {
    name: 'emergency approved post hoc after the deadline',
    change: closed({ type: 'emergency' }),
    history: aHistory().move('Draft', 'Implemented', implementer, 11).move('Implemented', 'Implemented', cab, 90).move('Implemented', 'Closed', verifier, 100).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['EMERGENCY_POSTHOC_LATE'],
  },
  {
    // Issue 15: an emergency shortcut, then typed Normal by the implementer; still owes post-hoc approval.
    name: 'emergency shortcut reclassified as normal after implementation, never approved post hoc',
    change: aChange({ state: 'Implemented', type: 'normal', fields: { emergencyJustification: 'INC-991 certificate expired in production' } }),
    history: aHistory().move('Draft', 'Implemented', implementer, 11).edit('changeType', 'emergency', 'normal', implementer, 12).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['EMERGENCY_POSTHOC_MISSING', 'RECLASSIFIED_AFTER_IMPLEMENTATION'],
  },
  {
    name: 'compliant emergency typed Standard after it was closed',
    change: closed({ type: 'standard', fields: { emergencyJustification: 'INC-991 certificate expired in production' } }),
    history: [...compliantHistory('emergency'), ...aHistory().edit('changeType', 'emergency', 'standard', requester, 40).build()],
    policy: aPolicy(),
    nowHour: 200,
    expected: ['RECLASSIFIED_AFTER_IMPLEMENTATION'],
  },
  {
    // Issue 15: three people. The approver is named verifier too, and verifies.
    name: 'approved and verified by the same person',
    change: closed({ fields: { verifier: { accountId: approver } } }),
    history: normalUntilScheduled().move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', approver, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVER_IS_VERIFIER'],
  },
  {
    name: 'approved post hoc and verified by the same person',
    change: closed({ type: 'emergency', fields: { verifier: { accountId: cab } } }),
    history: aHistory().move('Draft', 'Implemented', implementer, 11).move('Implemented', 'Implemented', cab, 20).move('Implemented', 'Closed', cab, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVER_IS_VERIFIER'],
  },
  {
    // Issue 15: the requester names herself approver, then approves.
    name: 'approved by the requester who named herself approver',
    change: closed({ fields: { approver: { accountId: requester } } }),
    history: [
      ...aHistory().edit('approver', approver, requester, requester, 0.5).move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', requester, 2).build(),
      ...aHistory().move('Approved', 'Scheduled', approver, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    ],
    policy: aPolicy(),
    nowHour: 200,
    expected: ['SELF_NOMINATED'],
  },
  {
    // Issue 15: the approver replaced after Submit, and the new one approves without a new Submit.
    name: 'approved by an approver named after Submit, not submitted again',
    change: closed({ fields: { approver: { accountId: cab } } }),
    history: [
      ...aHistory().move('Draft', 'Assessment', requester, 1).edit('approver', approver, cab, requester, 1.5).move('Assessment', 'Approved', cab, 2).build(),
      ...aHistory().move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    ],
    policy: aPolicy(),
    nowHour: 200,
    expected: ['APPROVER_CHANGED_AFTER_SUBMIT'],
  },
  {
    name: 'the approver replaced after Submit, then sent back and submitted again: clean',
    change: closed({ fields: { approver: { accountId: cab } } }),
    history: [
      ...aHistory().move('Draft', 'Assessment', requester, 1).edit('approver', approver, cab, requester, 1.5).move('Assessment', 'Draft', requester, 1.6).move('Draft', 'Assessment', requester, 1.7).build(),
      ...aHistory().move('Assessment', 'Approved', cab, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    ],
    policy: aPolicy(),
    nowHour: 200,
    expected: [],
  },
  {
    // Set when the issue was created: no changelog, the creator named them.
    name: 'verified by the creator who filed the change naming herself verifier',
    change: { ...closed({ fields: { verifier: { accountId: outsider } } }), creatorAccountId: outsider },
    history: compliantHistory('normal').map((e) => (e.kind === 'status' && e.to === 'Closed' ? { ...e, actor: { accountId: outsider } } : e)),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['SELF_NOMINATED'],
  },
  {
    name: 'failed verification closed without a rollback outcome',
    change: closed({ fields: { verificationResult: 'failed-rolled-back', rollbackOutcome: '' } }),
    history: compliantHistory('normal'),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['ROLLBACK_UNDOCUMENTED'],
  },
  {
    name: 'implemented by someone other than the implementer',
    change: closed(),
    history: normalUntilScheduled().move('Scheduled', 'Implemented', outsider, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['IMPLEMENTATION_ACTOR_MISMATCH'],
  },
  {
    name: 'closed by someone other than the verifier',
    change: closed(),
    history: normalUntilScheduled().move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', outsider, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['VERIFICATION_ACTOR_MISMATCH'],
  },
  {
    name: 'scheduled with a window that ends before it starts',
    change: aChange({ state: 'Scheduled', fields: { windowEnd: new Date('2026-03-01T00:00:00Z') } }),
    history: normalUntilScheduled().build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['WINDOW_INVALID'],
  },
  {
    name: 'high-risk standard change took the shortcut',
    change: closed({ type: 'standard', risk: 'high' }),
    history: compliantHistory('standard'),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['STANDARD_RISK_TOO_HIGH'],
  },
  {
    name: 'approved by an anonymous actor',
    change: aChange({ state: 'Approved' }),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', null, 2).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['ACTOR_UNKNOWN'],
  },
  {
    name: 'implemented after its approval was withdrawn',
    change: closed(),
    history: normalUntilScheduled().move('Scheduled', 'Approved', requester, 4).move('Approved', 'Assessment', requester, 5).move('Assessment', 'Scheduled', requester, 6).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: aPolicy(),
    nowHour: 200,
    expected: ['NOT_APPROVED', 'SKIPPED_STATE'],
  },
  {
    name: 'low-risk self-approval under the relaxation',
    change: closed({ risk: 'low', fields: { approver: { accountId: implementer } } }),
    history: aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', implementer, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', implementer, 11).move('Implemented', 'Closed', verifier, 30).build(),
    policy: relaxed,
    nowHour: 200,
    expected: ['SOD_RELAXATION_USED'],
  },
];
