import fc from 'fast-check';
import { Change, EDGES, EdgeId, History, MATERIAL_FIELDS, Policy, evaluateTransition, standingApproval, stepsFromHistory } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { PEOPLE, PERSON_ROLES, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const relaxedPolicy = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } });
const arbPolicy: fc.Arbitrary<Policy> = fc.constantFrom(aPolicy(), relaxedPolicy, aPolicy({ windowEnforcement: 'flag' }));
const arbPerson = fc.constantFrom(...Object.values(PEOPLE));
const user = (accountId: string) => ({ accountId });

const arbAction = fc.oneof(
  // Mostly steps along the normal path, by plausible people, so Implemented is actually reached.
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      edge: fc.constantFrom<EdgeId>('submit', 'approve', 'schedule', 'implement', 'implement', 'reassess'),
      role: fc.constantFrom('requester', 'implementer', 'approver', 'cab' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), edge: fc.constantFrom(...EDGES.map((e) => e.id)), role: fc.constantFrom(...PERSON_ROLES) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reassign' as const), role: fc.constantFrom('implementer', 'approver', 'verifier' as const), to: arbPerson, by: arbPerson }),
  },
);

/** A tiny workflow engine: takes an action only when evaluateTransition (with history) allows it. */
type Action = typeof arbAction extends fc.Arbitrary<infer A> ? A : never;

const simulate = (start: Change, policy: Policy, actions: Action[]) => {
  let change = start;
  const history: History = [];
  const implementedSnapshots: { history: History; change: Change; actor: string }[] = [];
  actions.forEach((action, i) => {
    const now = at(10 + i * 0.04); // stays inside the builder window (hours 10..14)
    if (action.kind === 'reassign') {
      const before = change.fields[action.role]?.accountId ?? null;
      change = { ...change, fields: { ...change.fields, [action.role]: user(action.to) } };
      history.push({ kind: 'field', field: action.role, from: before, to: action.to, actor: { accountId: action.by }, at: now });
      return;
    }
    const actor = anActor(action.role);
    const verdict = evaluateTransition(change, action.edge, actor, policy, now, history);
    if (!verdict.allowed) return;
    const edge = EDGES.find((e) => e.id === action.edge)!;
    history.push({ kind: 'status', from: edge.from, to: edge.to, actor, at: now });
    change = { ...change, state: edge.to };
    if (edge.to === 'Implemented' && edge.from !== 'Implemented') implementedSnapshots.push({ history: [...history], change, actor: actor.accountId });
  });
  return { change, history, implementedSnapshots };
};

describe('lifecycle invariants (property-based)', () => {
  it('on the normal path, nothing reaches Implemented without a standing approval by a non-implementer', () => {
    let reached = 0;
    fc.assert(
      fc.property(arbPolicy, fc.constantFrom('low', 'medium', 'high' as const), fc.array(arbAction, { minLength: 30, maxLength: 100 }), (policy, risk, actions) => {
        const start = aChange({ type: 'normal', risk, state: 'Draft' });
        const { implementedSnapshots } = simulate(start, policy, actions);
        reached += implementedSnapshots.length;
        for (const snap of implementedSnapshots) {
          const steps = stepsFromHistory(snap.history);
          const { approval } = standingApproval(steps.slice(0, -1));
          expect(approval).not.toBeNull();
          const implementer = snap.change.fields.implementer?.accountId;
          const selfApproved = approval!.accountId === snap.actor || approval!.accountId === implementer;
          // Only the low-risk relaxation, with its compensating control, may let the implementer approve.
          if (selfApproved) {
            expect(policy.lowRiskRelaxation.enabled && risk === 'low').toBe(true);
          }
          expect(steps.some((s) => s.to === 'Implemented' && s.from !== 'Scheduled')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
    expect(reached).toBeGreaterThan(5); // not vacuous: typically ~40 of 300 runs reach Implemented
  });

  it('no material field changes between the standing approval and implementation', () => {
    fc.assert(
      fc.property(arbPolicy, fc.array(arbAction, { minLength: 30, maxLength: 100 }), (policy, actions) => {
        const { implementedSnapshots } = simulate(aChange({ type: 'normal', state: 'Draft' }), policy, actions);
        for (const snap of implementedSnapshots) {
          const { approval } = standingApproval(stepsFromHistory(snap.history).slice(0, -1));
          const edits = snap.history.filter(
            (e) => e.kind === 'field' && e.at > approval!.at && (MATERIAL_FIELDS as readonly string[]).includes(e.field) && e.from !== e.to,
          );
          expect(edits).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never allows Close when the actor is the implementer, named or acting', () => {
    const arbChange = fc.record({
      type: fc.constantFrom('standard', 'normal', 'emergency' as const),
      risk: fc.constantFrom('low', 'medium', 'high' as const),
      verifier: arbPerson,
      namedImplementer: fc.option(arbPerson, { nil: null }),
      actingImplementer: arbPerson,
      postHocBy: fc.option(arbPerson, { nil: null }),
      verification: fc.constantFrom('passed', 'failed-rolled-back' as const),
    });
    fc.assert(
      fc.property(arbChange, arbPolicy, fc.boolean(), fc.boolean(), (c, policy, actAsNamed, withHistory) => {
        const evidence = [
          { from: 'Scheduled' as const, to: 'Implemented' as const, accountId: c.actingImplementer, at: at(11) },
          ...(c.postHocBy ? [{ from: 'Implemented' as const, to: 'Implemented' as const, accountId: c.postHocBy, at: at(12) }] : []),
        ];
        const change = aChange({
          state: 'Implemented',
          type: c.type,
          risk: c.risk,
          fields: {
            verifier: user(c.verifier),
            implementer: c.namedImplementer ? user(c.namedImplementer) : null,
            verificationResult: c.verification,
            rollbackOutcome: 'Rolled back cleanly',
          },
          evidence,
        });
        const actorId = actAsNamed && c.namedImplementer ? c.namedImplementer : c.actingImplementer;
        const history: History = evidence.map((e) => ({ kind: 'status', from: e.from, to: e.to, actor: { accountId: e.accountId }, at: e.at }));
        const verdict = evaluateTransition(change, 'close' as EdgeId, { accountId: actorId, groups: [] }, policy, at(13), withHistory ? history : undefined);
        expect(verdict.allowed).toBe(false);
        expect(verdict.reasons.map((r) => r.code)).toContain('VERIFIER_IS_IMPLEMENTER');
      }),
      { numRuns: 500 },
    );
  });
});
