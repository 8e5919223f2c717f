/**
 * Segregation of duties where the verdict is made, with the role field and the actor disagreeing.
 * "The implementer" is the named implementer and whoever moved the change to Implemented (README
 * "Identity comes from who acted"). Expected codes are written out per row, not taken from src.
 */
import { Change, EvidenceRecord, History, evaluateTransition, postHocStatus } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE, PersonRole, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

type Move = readonly [from: Change['state'], to: Change['state'], by: PersonRole, hour: number];
const asHistory = (moves: readonly Move[]): History =>
  moves.map(([from, to, by, hour]) => ({ kind: 'status', from, to, actor: { accountId: PEOPLE[by] }, at: at(hour) }));
const asEvidence = (moves: readonly Move[]): EvidenceRecord[] => moves.map(([from, to, by, hour]) => ({ from, to, accountId: PEOPLE[by], at: at(hour) }));
const named = (role: PersonRole) => ({ accountId: PEOPLE[role] });

const policy = aPolicy();
const NOW = at(12); // inside the builder's window (10..14)
const APPROVED: Move[] = [
  ['Draft', 'Assessment', 'requester', 1],
  ['Assessment', 'Approved', 'approver', 2],
  ['Approved', 'Scheduled', 'requester', 3],
];

describe('enforcement: Mark implemented, by who approved and who acts', () => {
  it.each([
    { name: 'approved by the approver, implemented by the named implementer', approvedBy: 'approver', fields: {}, actor: 'implementer', expected: [] },
    {
      name: 'the approver marks it implemented (the field names someone else)',
      approvedBy: 'approver',
      fields: {},
      actor: 'approver',
      expected: ['APPROVER_IS_IMPLEMENTER', 'IMPLEMENTATION_ACTOR_MISMATCH'],
    },
    { name: 'the implementer approved (the approver field names the approver)', approvedBy: 'implementer', fields: {}, actor: 'implementer', expected: ['APPROVER_IS_IMPLEMENTER'] },
    { name: 'the approver field names the implementer, but the approver approved', approvedBy: 'approver', fields: { approver: named('implementer') }, actor: 'implementer', expected: [] },
    {
      name: 'a CAB member approved, then implemented though the field names the implementer',
      approvedBy: 'cab',
      fields: {},
      actor: 'cab',
      expected: ['APPROVER_IS_IMPLEMENTER', 'IMPLEMENTATION_ACTOR_MISMATCH'],
    },
  ] as const)('$name → $expected', ({ approvedBy, fields, actor, expected }) => {
    const moves: Move[] = [APPROVED[0]!, ['Assessment', 'Approved', approvedBy, 2], APPROVED[2]!];
    const change = aChange({ state: 'Scheduled', fields });
    const verdict = evaluateTransition(change, 'implement', anActor(actor), policy, NOW, asHistory(moves));
    expect([verdict.allowed, verdict.reasons.map((r) => r.code).sort()]).toEqual([expected.length === 0, expected]);
  });
});

describe('enforcement: verifying and post-hoc approving, by who implemented', () => {
  const NORMAL_IMPLEMENTED = (by: PersonRole): Move[] => [...APPROVED, ['Scheduled', 'Implemented', by, 11]];
  const EMERGENCY_IMPLEMENTED = (by: PersonRole): Move[] => [['Draft', 'Implemented', by, 11]];
  const ROWS = [
    { name: 'close: implemented by the implementer', type: 'normal', moves: NORMAL_IMPLEMENTED('implementer'), fields: {}, edge: 'close', actor: 'verifier', expected: [] },
    {
      name: 'close: the verifier implemented (the field names the implementer)',
      type: 'normal',
      moves: NORMAL_IMPLEMENTED('verifier'),
      fields: {},
      edge: 'close',
      actor: 'verifier',
      expected: ['VERIFIER_IS_IMPLEMENTER'],
    },
    {
      name: 'close: the implementer field names the verifier (someone else implemented)',
      type: 'normal',
      moves: NORMAL_IMPLEMENTED('implementer'),
      fields: { implementer: named('verifier') },
      edge: 'close',
      actor: 'verifier',
      expected: ['VERIFIER_IS_IMPLEMENTER'],
    },
    { name: 'post-hoc: implemented by the implementer', type: 'emergency', moves: EMERGENCY_IMPLEMENTED('implementer'), fields: {}, edge: 'postHocApprove', actor: 'approver', expected: [] },
    {
      name: 'post-hoc: the approver implemented (the field names the implementer)',
      type: 'emergency',
      moves: EMERGENCY_IMPLEMENTED('approver'),
      fields: {},
      edge: 'postHocApprove',
      actor: 'approver',
      expected: ['APPROVER_IS_IMPLEMENTER'],
    },
    {
      name: 'post-hoc: a CAB member who implemented approves',
      type: 'emergency',
      moves: EMERGENCY_IMPLEMENTED('cab'),
      fields: {},
      edge: 'postHocApprove',
      actor: 'cab',
      expected: ['APPROVER_IS_IMPLEMENTER'],
    },
    {
      name: 'post-hoc: the implementer field names the approver (someone else implemented)',
      type: 'emergency',
      moves: EMERGENCY_IMPLEMENTED('implementer'),
      fields: { implementer: named('approver') },
      edge: 'postHocApprove',
      actor: 'approver',
      expected: ['APPROVER_IS_IMPLEMENTER'],
    },
    {
      name: 'close an emergency: post-hoc approved by another person',
      type: 'emergency',
      moves: [...EMERGENCY_IMPLEMENTED('implementer'), ['Implemented', 'Implemented', 'approver', 11.5]],
      fields: {},
      edge: 'close',
      actor: 'verifier',
      expected: [],
    },
    {
      name: 'close an emergency: post-hoc approved by the one who implemented it (the approver field names them)',
      type: 'emergency',
      moves: [...EMERGENCY_IMPLEMENTED('approver'), ['Implemented', 'Implemented', 'approver', 11.5]],
      fields: {},
      edge: 'close',
      actor: 'verifier',
      expected: ['EMERGENCY_POSTHOC_MISSING'],
    },
    {
      name: 'close an emergency: post-hoc approved by the approver, but the implementer field names the approver',
      type: 'emergency',
      moves: [...EMERGENCY_IMPLEMENTED('implementer'), ['Implemented', 'Implemented', 'approver', 11.5]],
      fields: { implementer: named('approver') },
      edge: 'close',
      actor: 'verifier',
      expected: ['EMERGENCY_POSTHOC_MISSING'],
    },
  ] as const;
  const cases = (['changelog', 'evidence'] as const).flatMap((source) => ROWS.map((row) => ({ ...row, source })));

  it.each(cases)('$name (steps from the $source) → $expected', ({ type, moves, fields, edge, actor, expected, source }) => {
    const change = aChange({ state: 'Implemented', type, fields, evidence: source === 'evidence' ? asEvidence(moves) : [] });
    const history = source === 'changelog' ? asHistory(moves) : undefined;
    const verdict = evaluateTransition(change, edge, anActor(actor), policy, NOW, history);
    expect([verdict.allowed, verdict.reasons.map((r) => r.code).sort()]).toEqual([expected.length === 0, expected]);
  });
});

describe('the sweep clock: a post-hoc approval counts only from someone who did not implement', () => {
  // Implemented at hour 10: due at hour 82. Judged at hour 100.
  it.each([
    { name: 'approved by the approver', moves: [['Draft', 'Implemented', 'implementer', 10], ['Implemented', 'Implemented', 'approver', 20]], fields: {}, expected: 'satisfied-on-time' },
    { name: 'approved by a CAB member', moves: [['Draft', 'Implemented', 'implementer', 10], ['Implemented', 'Implemented', 'cab', 20]], fields: {}, expected: 'satisfied-on-time' },
    {
      name: 'approved by the approver, who had implemented it (the field names the implementer)',
      moves: [['Draft', 'Implemented', 'approver', 10], ['Implemented', 'Implemented', 'approver', 20]],
      fields: {},
      expected: 'overdue',
    },
    {
      name: 'approved by the implementer (the approver field names the approver)',
      moves: [['Draft', 'Implemented', 'implementer', 10], ['Implemented', 'Implemented', 'implementer', 20]],
      fields: {},
      expected: 'overdue',
    },
    {
      name: 'approved by the approver, whom the implementer field names',
      moves: [['Draft', 'Implemented', 'implementer', 10], ['Implemented', 'Implemented', 'approver', 20]],
      fields: { implementer: named('approver') },
      expected: 'overdue',
    },
    {
      name: 'approved by the one who implemented, then by a CAB member after the deadline',
      moves: [['Draft', 'Implemented', 'approver', 10], ['Implemented', 'Implemented', 'approver', 20], ['Implemented', 'Implemented', 'cab', 90]],
      fields: {},
      expected: 'satisfied-late',
    },
  ] as const)('$name → $expected', ({ moves, fields, expected }) => {
    const change = aChange({ state: 'Implemented', type: 'emergency', fields });
    const result = postHocStatus(change, asHistory(moves), policy, at(100));
    expect(result.status).toBe(expected);
    if (result.status === 'satisfied-late' || result.status === 'satisfied-on-time') expect(result.approverAccountId).not.toBe(result.implementerAccountId);
  });
});
