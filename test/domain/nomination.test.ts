// Issue 15: nomination is a controlled act. Who set a role field comes from the changelog (or, for
// the values an issue was created with, from its creator); the person named may not be the one who named them.
import { Change, EdgeId, History, evaluateHistoryGate, evaluateTransition, nominatorOf, sortHistory } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE, anActor, type PersonRole } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const { requester, approver, verifier, cab, outsider } = PEOPLE;
const policy = aPolicy();

describe('nominatorOf', () => {
  const change = { ...aChange(), creatorAccountId: requester };
  const history = sortHistory(aHistory().edit('approver', approver, outsider, verifier, 2).edit('approver', outsider, cab, outsider, 4).edit('approver', cab, `${cab} `, approver, 5).build());

  it.each([
    ['before any edit: the creator', 1, requester],
    ['the author of the last edit up to then', 3, verifier],
    ['an edit at that very time counts (the transition screen)', 4, outsider],
    ['an edit to the same value does not', 6, outsider],
  ])('%s', (_row, hour, expected) => {
    expect(nominatorOf(change, history, 'approver', at(hour as number))).toBe(expected);
  });

  it('is unknown without a changelog edit or a creator', () => {
    expect(nominatorOf({ ...change, creatorAccountId: null }, [], 'verifier', at(1))).toBeNull();
  });
});

type Row = { row: string; edge: EdgeId; actor: PersonRole; change: Change; history: History; blocked: boolean };
const inAssessment = (spec: Partial<Change['fields']>, creator: string = requester): Change => ({ ...aChange({ state: 'Assessment', fields: spec }), creatorAccountId: creator });
const implemented = (spec: Partial<Change['fields']>, creator: string = requester): Change => ({ ...aChange({ state: 'Implemented', fields: spec }), creatorAccountId: creator });
const submitted = () => aHistory().move('Draft', 'Assessment', requester, 1);
const done = () => aHistory().move('Draft', 'Assessment', requester, 1).move('Assessment', 'Approved', approver, 2).move('Approved', 'Scheduled', requester, 3).move('Scheduled', 'Implemented', PEOPLE.implementer, 4);

const ROWS: Row[] = [
  { row: 'the requester names herself approver, then approves', edge: 'approve', actor: 'requester', change: inAssessment({ approver: { accountId: requester } }), history: aHistory().edit('approver', approver, requester, requester, 0.5).move('Draft', 'Assessment', requester, 1).build(), blocked: true },
  { row: 'the requester files the change naming herself approver (no changelog: the creator named her)', edge: 'approve', actor: 'requester', change: inAssessment({ approver: { accountId: requester } }), history: submitted().build(), blocked: true },
  { row: 'the approver named by the requester approves', edge: 'approve', actor: 'approver', change: inAssessment({}), history: submitted().build(), blocked: false },
  { row: 'the approver named herself, then someone else named her again', edge: 'approve', actor: 'approver', change: inAssessment({}), history: aHistory().edit('approver', requester, approver, approver, 0.2).edit('approver', approver, outsider, requester, 0.3).edit('approver', outsider, approver, requester, 0.4).move('Draft', 'Assessment', requester, 1).build(), blocked: false },
  { row: 'a CAB member names herself approver (membership lets her approve anyway)', edge: 'approve', actor: 'cab', change: inAssessment({ approver: { accountId: cab } }), history: aHistory().edit('approver', approver, cab, cab, 0.5).move('Draft', 'Assessment', requester, 1).build(), blocked: false },
  { row: 'a compliance lead names herself verifier, then closes', edge: 'close', actor: 'outsider', change: implemented({ verifier: { accountId: outsider } }), history: done().edit('verifier', verifier, outsider, outsider, 5).build(), blocked: true },
  { row: 'the verifier named by someone else closes', edge: 'close', actor: 'verifier', change: implemented({}), history: done().build(), blocked: false },
  { row: 'the creator who named no one else verifies her own filing', edge: 'close', actor: 'verifier', change: implemented({}, verifier), history: done().build(), blocked: true },
];

describe('enforcement: approve, post-hoc approve and close', () => {
  it.each(ROWS)('$row → blocked $blocked', ({ edge, actor, change, history, blocked }) => {
    const gate = evaluateHistoryGate(change, edge, anActor(actor), policy, at(6), history);
    expect(gate.reasons.map((r) => r.code)).toEqual(blocked ? ['SELF_NOMINATED'] : []);
    const full = evaluateTransition(change, edge, anActor(actor), policy, at(6), history);
    expect(full.reasons.some((r) => r.code === 'SELF_NOMINATED')).toBe(blocked);
  });

  it('post-hoc approval by one who named herself approver is refused too', () => {
    const change = { ...aChange({ state: 'Implemented', type: 'emergency', fields: { approver: { accountId: outsider } } }), creatorAccountId: requester };
    const history = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1).edit('approver', approver, outsider, outsider, 2).build();
    const verdict = evaluateHistoryGate(change, 'postHocApprove', anActor('outsider'), policy, at(3), history);
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: 'SELF_NOMINATED', field: 'approver', message: expect.stringMatching(/You named yourself approver: someone else must name the approver/) })]);
  });

  it('the expressions cannot see who named whom: only the gate (with the changelog) judges it', () => {
    const row = ROWS[0]!;
    expect(evaluateTransition(row.change, row.edge, anActor(row.actor), policy, at(6)).reasons.map((r) => r.code)).not.toContain('SELF_NOMINATED');
  });
});

// Issue 15: replacing the approver after Submit resets readiness: Approve waits for a new Submit.
describe('the approver replaced after Submit', () => {
  const change = inAssessment({ approver: { accountId: cab } });
  const codes = (history: History) => evaluateHistoryGate(change, 'approve', anActor('cab'), policy, at(6), history).reasons.map((r) => r.code);
  it.each<[string, History, string[]]>([
    ['replaced after Submit', submitted().edit('approver', approver, cab, requester, 2).build(), ['APPROVER_CHANGED_AFTER_SUBMIT']],
    ['removed, then someone named', submitted().edit('approver', approver, null, requester, 2).edit('approver', null, cab, requester, 3).build(), ['APPROVER_CHANGED_AFTER_SUBMIT']],
    ['replaced, then put back: still a change', submitted().edit('approver', cab, approver, requester, 2).edit('approver', approver, cab, requester, 3).build(), ['APPROVER_CHANGED_AFTER_SUBMIT']],
    ['named for the first time after Submit', submitted().edit('approver', null, cab, requester, 2).build(), []],
    ['replaced on the Submit screen (the same moment)', aHistory().move('Draft', 'Assessment', requester, 1).edit('approver', approver, cab, requester, 1).build(), []],
    ['replaced before Submit', aHistory().edit('approver', approver, cab, requester, 0.5).move('Draft', 'Assessment', requester, 1).build(), []],
    ['replaced, then sent back and submitted again', submitted().edit('approver', approver, cab, requester, 2).move('Assessment', 'Draft', requester, 3).move('Draft', 'Assessment', requester, 4).build(), []],
    ['replaced after a re-assessment, which is a new Submit', submitted().move('Assessment', 'Approved', approver, 2).move('Approved', 'Assessment', requester, 3).edit('approver', approver, cab, requester, 4).build(), ['APPROVER_CHANGED_AFTER_SUBMIT']],
    ['an edit to the same value', submitted().edit('approver', cab, `${cab} `, requester, 2).build(), []],
    ['replaced after the time judged', submitted().edit('approver', approver, cab, requester, 7).build(), []],
  ])('%s → %j', (_row, history, expected) => {
    expect(codes(history)).toEqual(expected);
  });

  it('says when, and what to do', () => {
    const verdict = evaluateHistoryGate(change, 'approve', anActor('cab'), policy, at(6), submitted().edit('approver', approver, cab, requester, 2).build());
    expect(verdict.reasons).toEqual([
      expect.objectContaining({
        field: 'approver',
        message: `The approver was changed after the change was submitted (${at(2).toISOString()}): send it back to Draft and submit it again, so it is assessed with its new approver.`,
        people: [{ role: 'editor', accountId: requester }, { role: 'approver', accountId: cab }],
      }),
    ]);
  });
});
