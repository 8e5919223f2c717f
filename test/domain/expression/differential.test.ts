import fc from 'fast-check';
import { EDGES, evaluateCondition, evaluateTransition } from '../../../src/domain';
import { RULE_KINDS, compileEdge } from '../../../src/domain/expression';
import { at } from '../../builders/clock';
import {
  arbActorRole,
  arbPolicyVariant,
  arbRawTicket,
  toDomainActor,
  toDomainChange,
  toExpressionIssue,
  toExpressionUser,
} from '../../builders/jira-ticket.builder';
import { aMappedPolicy } from '../../builders/mapped-policy.builder';
import { CAB_GROUP, PEOPLE } from '../../builders/people.builder';
import { runJiraExpression } from '../../../sandbox/jira-expression/interpreter';

type PolicyVariant = typeof arbPolicyVariant extends fc.Arbitrary<infer V> ? V : never;

const policyFor = (v: PolicyVariant) => {
  const base = aMappedPolicy();
  const fields = { ...base.fields };
  if (!v.recurringMapped) delete fields.recurringWindow;
  return aMappedPolicy({
    fields,
    cab: { requiredForRisks: v.cabRisks, groupName: v.cabGroup ? CAB_GROUP : null, memberAccountIds: v.cabIds ? [PEOPLE.cab] : [] },
    lowRiskRelaxation: v.relaxed ? { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } : { enabled: false },
    windowEnforcement: v.flagWindow ? 'flag' : 'block',
  });
};

describe('compiled expressions agree with the TypeScript rules (differential)', () => {
  it.each(EDGES.flatMap((edge) => RULE_KINDS.map((kind) => ({ edge: edge.id, kind }))))('$edge $kind', ({ edge: edgeId, kind }) => {
    const edge = EDGES.find((e) => e.id === edgeId)!;
    let blocked = 0;
    fc.assert(
      fc.property(arbRawTicket, arbActorRole, arbPolicyVariant, fc.integer({ min: 0, max: 30 }), (raw, role, variant, nowHour) => {
        const policy = policyFor(variant);
        const now = at(nowHour);
        const compiled = compileEdge(policy, edgeId, kind);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const context = { issue: toExpressionIssue(raw, policy), user: toExpressionUser(role), __now: now };
        const results = compiled.rules.map((rule) => {
          const run = runJiraExpression(rule.expression, context);
          // The compiler's static count is conservative: never below what evaluation actually loads.
          expect(run.distinctExpensiveOps).toBeLessThanOrEqual(rule.expensiveOps);
          expect(run.expensiveOps).toBeLessThanOrEqual(10);
          return run.value;
        });
        for (const value of results) {
          if (kind === 'condition') expect(typeof value).toBe('boolean');
          else expect(value === true || typeof value === 'string').toBe(true);
        }
        const expressionAllows = results.every((value) => value === true);
        const change = toDomainChange(raw, edge.from, policy);
        const actor = toDomainActor(role);
        const domain = kind === 'condition' ? evaluateCondition(change, edgeId, actor, policy, now) : evaluateTransition(change, edgeId, actor, policy, now);
        if (!domain.allowed) blocked += 1;
        expect({ expressionAllows, results }).toEqual({ expressionAllows: domain.allowed, results: expect.anything() });
      }),
      { numRuns: 150 },
    );
    // Not vacuous: rules that check anything must block some generated tickets.
    if (compileEdge(aMappedPolicy(), edgeId, kind).ok && (compileEdge(aMappedPolicy(), edgeId, kind) as { rules: unknown[] }).rules.length > 0) {
      expect(blocked).toBeGreaterThan(0);
    }
  });
});
