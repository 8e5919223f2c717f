/**
 * Every way into each state, per path: the lifecycle's own steps are fine; any other move into a
 * state skips the lifecycle. The table is written from DESIGN.md "The lifecycle" and the README
 * lifecycle table, not read from src's EDGES.
 */
import { CHANGE_TYPES, ChangeType, EdgeId, History, State, auditChange, evaluateTransition } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const STATES: readonly State[] = ['Draft', 'Assessment', 'Approved', 'Scheduled', 'Implemented', 'Closed'];
const ALL: readonly ChangeType[] = ['standard', 'normal', 'emergency'];

/** The ways into each state: the lifecycle steps, with the paths that may take them. */
const STEPS: readonly { edge: EdgeId; from: State; to: State; types: readonly ChangeType[] }[] = [
  { edge: 'submit', from: 'Draft', to: 'Assessment', types: ALL },
  { edge: 'approve', from: 'Assessment', to: 'Approved', types: ALL },
  { edge: 'schedule', from: 'Approved', to: 'Scheduled', types: ALL },
  { edge: 'implement', from: 'Scheduled', to: 'Implemented', types: ALL },
  { edge: 'close', from: 'Implemented', to: 'Closed', types: ALL },
  { edge: 'standardSchedule', from: 'Draft', to: 'Scheduled', types: ['standard'] },
  { edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', types: ['emergency'] },
  { edge: 'emergencyImplementFromAssessment', from: 'Assessment', to: 'Implemented', types: ['emergency'] },
  { edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', types: ['emergency'] },
  { edge: 'sendBack', from: 'Assessment', to: 'Draft', types: ALL },
  { edge: 'reassess', from: 'Approved', to: 'Assessment', types: ALL },
  { edge: 'reschedule', from: 'Scheduled', to: 'Approved', types: ALL },
  { edge: 'cancelFromDraft', from: 'Draft', to: 'Closed', types: ALL },
  { edge: 'cancelFromAssessment', from: 'Assessment', to: 'Closed', types: ALL },
  { edge: 'cancelFromApproved', from: 'Approved', to: 'Closed', types: ALL },
  { edge: 'cancelFromScheduled', from: 'Scheduled', to: 'Closed', types: ALL },
];
const isLifecycleStep = (from: State, to: State, type: ChangeType) => STEPS.some((s) => s.from === from && s.to === to && s.types.includes(type));

// Every move between two states (a status change that stays put is no move, except the post-hoc loop).
const MOVES = ALL.flatMap((type) =>
  STATES.flatMap((from) => STATES.filter((to) => to !== from || to === 'Implemented').map((to) => ({ type, from, to, allowed: isLifecycleStep(from, to, type) }))),
);
const SKIPS = MOVES.filter((m) => !m.allowed);

/** A compliant way to reach `state` on any path (hours 1..12, the builder window is 10..14). */
const PREFIX: Record<State, History> = (() => {
  const moves: [State, State, string, number][] = [
    ['Draft', 'Assessment', PEOPLE.requester, 1],
    ['Assessment', 'Approved', PEOPLE.approver, 2],
    ['Approved', 'Scheduled', PEOPLE.requester, 3],
    ['Scheduled', 'Implemented', PEOPLE.implementer, 11],
    ['Implemented', 'Closed', PEOPLE.verifier, 12],
  ];
  const history: History = moves.map(([from, to, by, hour]) => ({ kind: 'status', from, to, actor: { accountId: by }, at: at(hour) }));
  return Object.fromEntries(STATES.map((state, i) => [state, history.slice(0, i)])) as Record<State, History>;
})();

const skippedFindings = (type: ChangeType, from: State, to: State) => {
  const history: History = [...PREFIX[from], { kind: 'status', from, to, actor: { accountId: PEOPLE.outsider }, at: at(13) }];
  return auditChange(aChange({ state: to, type, risk: 'low' }), history, aPolicy(), at(200))
    .filter((f) => f.code === 'SKIPPED_STATE')
    .map((f) => [f.at, f.people.map((p) => p.accountId)]);
};

describe('the lifecycle table behind these tests', () => {
  it('lets every path reach every state, and leaves skips to check into each', () => {
    expect(CHANGE_TYPES).toEqual(ALL);
    for (const type of ALL) {
      expect(STATES.filter((to) => to !== 'Draft' && !MOVES.some((m) => m.type === type && m.to === to && m.allowed))).toEqual([]);
      // Every state but Closed (any state may be closed or cancelled) has a way in that skips.
      expect(STATES.filter((to) => !SKIPS.some((m) => m.type === type && m.to === to))).toEqual(['Closed']);
    }
    expect(MOVES.filter((m) => m.allowed)).toHaveLength(12 * 3 + 4);
  });
});

describe('audit: every move into a state', () => {
  it.each(SKIPS)('$type: $from → $to skips the lifecycle: SKIPPED_STATE', ({ type, from, to }) => {
    expect(skippedFindings(type, from, to)).toEqual([[at(13), [PEOPLE.outsider]]]);
  });

  it.each(MOVES.filter((m) => m.allowed))('$type: $from → $to is a lifecycle step: no SKIPPED_STATE', ({ type, from, to }) => {
    expect(skippedFindings(type, from, to)).toEqual([]);
  });

  it.each(STATES.filter((s) => s !== 'Draft' && s !== 'Closed'))('a changelog whose first move leaves %s skipped the way from Draft into it', (state) => {
    const next = STEPS.find((s) => s.from === state && s.types.length === ALL.length)!;
    const history: History = [{ kind: 'status', from: state, to: next.to, actor: { accountId: PEOPLE.outsider }, at: at(13) }];
    const findings = auditChange(aChange({ state: next.to }), history, aPolicy(), at(200)).filter((f) => f.code === 'SKIPPED_STATE');
    expect(findings.map((f) => [f.at, f.message])).toEqual([[at(13), `The change left Draft for ${state} outside the lifecycle.`]]);
  });
});

describe('enforcement: no step leads into a state from anywhere but its lifecycle predecessors', () => {
  const attempts = SKIPS.flatMap(({ type, from, to }) =>
    STEPS.filter((s) => s.to === to).map((s) => ({ type, from, to, edge: s.edge, expected: s.from !== from ? 'WRONG_STATE' : 'EDGE_NOT_FOR_CHANGE_TYPE' })),
  );

  it.each(attempts)('$type in $from: $edge (into $to) is refused with $expected', ({ type, from, edge, expected }) => {
    const change = aChange({ state: from, type, risk: 'low', fields: { cancellationReason: 'Superseded' } });
    const verdict = evaluateTransition(change, edge, anActor('implementer'), aPolicy(), at(12));
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r) => r.code)).toContain(expected);
  });

  it.each(MOVES.filter((m) => m.allowed))('$type in $from: the step into $to starts here and fits the path', ({ type, from, to }) => {
    const [step] = STEPS.filter((s) => s.from === from && s.to === to);
    const change = aChange({ state: from, type, risk: 'low', fields: { cancellationReason: 'Superseded' } });
    const codes = evaluateTransition(change, step!.edge, anActor('implementer'), aPolicy(), at(12)).reasons.map((r) => r.code);
    expect(codes.filter((c) => c === 'WRONG_STATE' || c === 'EDGE_NOT_FOR_CHANGE_TYPE')).toEqual([]);
  });
});

describe('the audit names the skip, who made it and when', () => {
  const skips = (history: History, type: ChangeType | null) =>
    auditChange(aChange({ state: 'Closed', fields: { changeType: type } }), history, aPolicy(), at(200))
      .filter((f) => f.code === 'SKIPPED_STATE')
      .map((f) => ({ message: f.message, edge: f.edge, people: f.people, at: f.at }));
  const entry = (from: State, to: State, by: string | null, hour: number) => ({ kind: 'status' as const, from, to, actor: by ? { accountId: by, displayName: by, active: true } : null, at: at(hour) });

  it.each([
    {
      name: 'a lifecycle step the path does not have',
      type: 'normal' as ChangeType | null,
      history: [entry('Draft', 'Scheduled', PEOPLE.implementer, 3)],
      expected: [{ message: 'Schedule standard change (Draft to Scheduled) is not allowed for a normal change.', edge: 'standardSchedule', people: [{ role: 'actor', accountId: PEOPLE.implementer }], at: at(3) }],
    },
    {
      name: 'an emergency change taking the standard path',
      type: 'emergency' as ChangeType | null,
      history: [entry('Draft', 'Scheduled', PEOPLE.implementer, 3)],
      expected: [{ message: 'Schedule standard change (Draft to Scheduled) is not allowed for an emergency change.', edge: 'standardSchedule', people: [{ role: 'actor', accountId: PEOPLE.implementer }], at: at(3) }],
    },
    {
      name: 'a change with no type',
      type: null,
      history: [entry('Draft', 'Implemented', PEOPLE.implementer, 4)],
      expected: [{ message: 'Emergency implement (Draft to Implemented) is not allowed for an untyped change.', edge: 'emergencyImplementFromDraft', people: [{ role: 'actor', accountId: PEOPLE.implementer }], at: at(4) }],
    },
    {
      name: 'a move that is no step at all, by an actor Jira no longer names',
      type: 'normal' as ChangeType | null,
      history: [entry('Draft', 'Approved', null, 5)],
      expected: [{ message: 'Moved from Draft straight to Approved, which is not a lifecycle step.', edge: null, people: [{ role: 'actor', accountId: null }], at: at(5) }],
    },
    {
      name: 'a move from a state the change was not in',
      type: 'normal' as ChangeType | null,
      history: [entry('Draft', 'Assessment', PEOPLE.requester, 1), entry('Approved', 'Scheduled', PEOPLE.approver, 6)],
      expected: [{ message: 'The change left Assessment for Approved outside the lifecycle.', edge: null, people: [{ role: 'actor', accountId: PEOPLE.approver }], at: at(6) }],
    },
  ])('$name', ({ type, history, expected }) => {
    expect(skips(history, type)).toEqual(expected);
  });
});
