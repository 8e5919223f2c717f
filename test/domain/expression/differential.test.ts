import fc from 'fast-check';
import { EDGES, type EdgeId, type EvidenceRecord, FIELD_DEFS, FIELD_KEYS, OPTION_LABELS, evaluateCondition, evaluateTransition, getEdge } from '../../../src/domain';
import { RULE_KINDS, type RuleKind, compileEdge } from '../../../src/domain/expression';
import { at } from '../../builders/clock';
import {
  arbActorRole,
  arbPolicyVariant,
  arbRawTicket,
  type RawTicket,
  toDomainActor,
  toDomainChange,
  toExpressionIssue,
  toExpressionUser,
} from '../../builders/jira-ticket.builder';
import { aMappedPolicy } from '../../builders/mapped-policy.builder';
import { PEOPLE, type PersonRole } from '../../builders/people.builder';
import { runJiraExpression } from '../../../sandbox/jira-expression/interpreter';
import { policyFor } from './compile-policy.builder';

type Variant = Parameters<typeof policyFor>[0];

/** Runs every compiled part of `edgeId`/`kind` on the ticket and checks the verdict equals the TypeScript rule's. */
const agree = (edgeId: EdgeId, kind: RuleKind, raw: RawTicket, role: PersonRole | null, variant: Variant, nowHour: number): boolean => {
  const edge = getEdge(edgeId);
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
  expect({ expressionAllows, results }).toEqual({ expressionAllows: domain.allowed, results: expect.anything() });
  return domain.allowed;
};

const hasRules = (edgeId: EdgeId, kind: RuleKind): boolean => {
  const compiled = compileEdge(aMappedPolicy(), edgeId, kind);
  return compiled.ok && compiled.rules.length > 0;
};

const CASES = EDGES.flatMap((edge) => RULE_KINDS.map((kind) => ({ edge: edge.id, kind })));

/** Field values every rule accepts (each person in their role, a window from hour 0-12 to 13-30). */
const arbValidValues: fc.Arbitrary<RawTicket['values']> = fc
  .record({
    changeType: fc.constantFrom(...Object.values(OPTION_LABELS.changeType)),
    risk: fc.constantFrom(...Object.values(OPTION_LABELS.risk)),
    verificationResult: fc.constantFrom(...Object.values(OPTION_LABELS.verificationResult)),
    windowStart: fc.integer({ min: 0, max: 12 }),
    windowEnd: fc.integer({ min: 13, max: 30 }),
  })
  .map((v) => {
    const values: RawTicket['values'] = {};
    for (const field of FIELD_KEYS) {
      const jira = FIELD_DEFS[field].jira;
      values[field] = jira === 'labels' ? ['edge-proxy'] : jira === 'string' || jira === 'richtext' ? 'Documented step by step' : null;
    }
    const { requester, implementer, approver, verifier } = PEOPLE;
    return { ...values, ...v, requester, implementer, approver, verifier, recurringWindow: null };
  });

/** Evidence shaped like the lifecycle's: implementations from Approved/Scheduled or a shortcut, post-hoc approvals, by anyone. */
const arbLifecycleEvidence = fc.array(
  fc.record({
    from: fc.constantFrom<EvidenceRecord['from']>('Approved', 'Scheduled', 'Implemented', 'Draft', 'Assessment'),
    to: fc.constantFrom<EvidenceRecord['to']>('Implemented', 'Implemented', 'Closed'),
    accountId: fc.option(fc.constantFrom(PEOPLE.implementer, PEOPLE.approver, PEOPLE.cab, PEOPLE.verifier), { nil: null }),
    at: fc.integer({ min: 0, max: 30 }).map(at),
  }),
  { maxLength: 3 },
);

/** A valid ticket with up to three fields given random values, and lifecycle-shaped evidence. */
const arbNearlyValidTicket: fc.Arbitrary<RawTicket> = fc
  .tuple(arbValidValues, arbRawTicket, fc.array(fc.constantFrom(...FIELD_KEYS), { maxLength: 3 }), arbLifecycleEvidence)
  .map(([valid, random, replaced, evidence]) => ({
    values: { ...valid, ...Object.fromEntries(replaced.map((field) => [field, random.values[field] ?? null])) },
    evidence,
  }));

/** Half the time the person the edge names (so the other checks decide), otherwise anyone. */
const arbActorFor = (edgeId: EdgeId): fc.Arbitrary<PersonRole | null> => {
  const named = getEdge(edgeId).rules.find((rule) => rule.kind === 'actorIsNamed');
  return named?.kind === 'actorIsNamed' ? fc.oneof(fc.constant<PersonRole>(named.role), arbActorRole) : arbActorRole;
};

describe('compiled expressions agree with the TypeScript rules (differential)', () => {
  it.each(CASES)('$edge $kind', ({ edge, kind }) => {
    let blocked = 0;
    fc.assert(
      fc.property(arbRawTicket, arbActorRole, arbPolicyVariant, fc.integer({ min: 0, max: 30 }), (raw, role, variant, nowHour) => {
        if (!agree(edge, kind, raw, role, variant, nowHour)) blocked += 1;
      }),
      { numRuns: 150 },
    );
    // Not vacuous: rules that check anything must block some generated tickets.
    if (hasRules(edge, kind)) expect(blocked).toBeGreaterThan(0);
  });

  it.each(CASES)('$edge $kind, on nearly valid tickets (each check decides some verdicts)', ({ edge, kind }) => {
    const verdicts = { allowed: 0, blocked: 0 };
    fc.assert(
      fc.property(arbNearlyValidTicket, arbActorFor(edge), arbPolicyVariant, fc.integer({ min: 0, max: 30 }), (raw, role, variant, nowHour) => {
        verdicts[agree(edge, kind, raw, role, variant, nowHour) ? 'allowed' : 'blocked'] += 1;
      }),
      { numRuns: 200 },
    );
    if (hasRules(edge, kind)) expect(Math.min(verdicts.allowed, verdicts.blocked)).toBeGreaterThan(0);
  });
});

describe('validator messages', () => {
  it('name every failing check of a part, in order, separated by single spaces; a passing part returns true', () => {
    const policy = policyFor({ cabRisks: ['high'], cabGroup: true, cabIds: true, relaxed: false, flagWindow: false, recurringMapped: true });
    const compiled = compileEdge(policy, 'approve', 'validator');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const ticket: RawTicket = { values: { changeType: 'Normal', risk: 'High', approver: PEOPLE.approver }, evidence: [] };
    const context = { issue: toExpressionIssue(ticket, policy), user: toExpressionUser('outsider'), __now: at(1) };
    expect(compiled.rules.map((rule) => [rule.checks, runJiraExpression(rule.expression, context).value])).toEqual([
      [['Risk rating', 'Test plan', 'Rollback plan', 'Approver', 'Implementer'], 'Fill in Test plan, Rollback plan, Implementer to Approve.'],
      [
        ['CAB reference when the risk needs a CAB', 'actor is the named approver or a CAB member'],
        'Add the CAB reference: high-risk changes need CAB review first. Only the named approver or a CAB member may approve (Approve).',
      ],
      [['actor is not the implementer (low-risk relaxation possible)'], true],
    ]);
  });
});
