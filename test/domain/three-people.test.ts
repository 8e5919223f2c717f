// Issue 15: the verifier is neither the implementer nor an approver (APPROVER_IS_VERIFIER), by name or by act,
// judged alike from the changelog (history gate) and from the evidence records (compiled expressions).
import { EvidenceRecord, History, Risk, evaluateCondition, evaluateHistoryGate, evaluateTransition } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE, anActor, type PersonRole } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const { requester, implementer, approver, verifier, cab } = PEOPLE;
const relaxed = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: 'Weekly CISO review of low-risk verifications' } });
const rec = (from: EvidenceRecord['from'], to: EvidenceRecord['to'], accountId: string, hour: number): EvidenceRecord => ({ from, to, accountId, at: at(hour) });
const normalPath = (approvedBy: string) => [
  rec('Draft', 'Assessment', requester, 1),
  rec('Assessment', 'Approved', approvedBy, 2),
  rec('Approved', 'Scheduled', requester, 3),
  rec('Scheduled', 'Implemented', implementer, 11),
];

const ROWS: { row: string; closer: PersonRole; approverField: string; records: EvidenceRecord[]; blocked: boolean }[] = [
  { row: 'the verifier, who never approved', closer: 'verifier', approverField: approver, records: normalPath(approver), blocked: false },
  { row: 'the named approver', closer: 'approver', approverField: approver, records: normalPath(cab), blocked: true },
  { row: 'one who approved, with someone else named approver', closer: 'verifier', approverField: approver, records: normalPath(verifier), blocked: true },
  {
    row: 'one whose approval was withdrawn by a re-assess (still an approver of this change)',
    closer: 'verifier',
    approverField: approver,
    records: [rec('Draft', 'Assessment', requester, 1), rec('Assessment', 'Approved', verifier, 2), rec('Approved', 'Assessment', requester, 2.5), ...normalPath(approver).slice(1)],
    blocked: true,
  },
  {
    row: 'one who moved it into Approved off the lifecycle',
    closer: 'verifier',
    approverField: approver,
    records: [rec('Draft', 'Approved', verifier, 2), ...normalPath(approver).slice(2)],
    blocked: true,
  },
  {
    row: 'one who only rescheduled (Scheduled to Approved is no approval)',
    closer: 'verifier',
    approverField: approver,
    records: [...normalPath(approver).slice(0, 3), rec('Scheduled', 'Approved', verifier, 4), rec('Approved', 'Scheduled', requester, 5), rec('Scheduled', 'Implemented', implementer, 11)],
    blocked: false,
  },
  {
    row: 'one who approved an emergency post hoc',
    closer: 'verifier',
    approverField: approver,
    records: [rec('Draft', 'Implemented', implementer, 11), rec('Implemented', 'Implemented', verifier, 12)],
    blocked: true,
  },
];

const historyOf = (records: EvidenceRecord[]): History =>
  records.map((r) => ({ kind: 'status', from: r.from, to: r.to, actor: { accountId: r.accountId! }, at: r.at }));

describe.each([
  ['medium', aPolicy()],
  ['high', relaxed],
] as [Risk, ReturnType<typeof aPolicy>][])('Close by an approver (%s risk)', (risk, policy) => {
  it.each(ROWS)('$row: blocked $blocked', ({ closer, approverField, records, blocked }) => {
    const emergency = records.some((r) => r.from === 'Implemented');
    const change = aChange({
      state: 'Implemented',
      type: emergency ? 'emergency' : 'normal',
      risk,
      fields: { approver: { accountId: approverField }, verifier: { accountId: PEOPLE[closer] } },
      evidence: records,
    });
    const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);
    const expected = blocked ? ['APPROVER_IS_VERIFIER'] : [];
    // The gate, from the changelog (post-hoc approvals come from the app's log, merged in as history).
    expect(codes(evaluateHistoryGate(change, 'close', anActor(closer), policy, at(20), historyOf(records)))).toEqual(expected);
    // The condition, from the mirror's records: hides Close from an approver.
    expect(codes(evaluateCondition(change, 'close', anActor(closer), policy, at(20)))).toEqual(expected);
    // The whole validator.
    expect(codes(evaluateTransition(change, 'close', anActor(closer), policy, at(20), historyOf(records)))).toEqual(expected);
  });
});

describe('the low-risk relaxation', () => {
  const records = normalPath(verifier);
  const change = (risk: Risk) => aChange({ state: 'Implemented', risk, fields: { verifier: { accountId: verifier } }, evidence: records });

  it('lets an approver verify a low-risk change, with a notice naming the compensating control', () => {
    const verdict = evaluateTransition(change('low'), 'close', anActor('verifier'), relaxed, at(20), historyOf(records));
    expect(verdict.allowed).toBe(true);
    expect(verdict.notices).toEqual([expect.objectContaining({ code: 'SOD_RELAXATION_USED', message: expect.stringContaining('Weekly CISO review') })]);
  });

  it.each(['medium', 'high'] as Risk[])('never for %s risk', (risk) => {
    const verdict = evaluateTransition(change(risk), 'close', anActor('verifier'), relaxed, at(20), historyOf(records));
    expect(verdict.reasons.map((r) => r.code)).toEqual(['APPROVER_IS_VERIFIER']);
  });

  it('not when the policy does not enable it', () => {
    expect(evaluateTransition(change('low'), 'close', anActor('verifier'), aPolicy(), at(20), historyOf(records)).reasons.map((r) => r.code)).toEqual(['APPROVER_IS_VERIFIER']);
  });
});
