import fc from 'fast-check';
import { EDGES, type EdgeId, type EvidenceRecord, type Verdict, evaluateCompiledValidator, evaluateCondition, getEdge } from '../../../src/domain';
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
import { fcSeed, parseFcSeed, parseRunsScale, runs, seeded } from '../../support/fc-seed';
import { policyFor } from './compile-policy.builder';
import { type Variant, arbScenario, blockingIngredients } from './differential-tickets.builder';

/** Runs every compiled part of `edgeId`/`kind` on the ticket and checks the verdict equals the TypeScript rule's. */
const agree = (edgeId: EdgeId, kind: RuleKind, raw: RawTicket, role: PersonRole | null, variant: Variant, nowHour: number): Verdict => {
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
  const domain = kind === 'condition' ? evaluateCondition(change, edgeId, actor, policy, now) : evaluateCompiledValidator(change, edgeId, actor, policy, now);
  expect({ expressionAllows, results }).toEqual({ expressionAllows: domain.allowed, results: expect.anything() });
  return domain;
};

const hasRules = (edgeId: EdgeId, kind: RuleKind): boolean => {
  const compiled = compileEdge(aMappedPolicy(), edgeId, kind);
  return compiled.ok && compiled.rules.length > 0;
};

const CASES = EDGES.flatMap((edge) => RULE_KINDS.map((kind) => ({ edge: edge.id, kind })));

/** Share of a run each side must reach where the edge checks something (built half and half). */
const FLOOR = 0.35;
const RUNS = 300;

describe('compiled expressions agree with the TypeScript rules (differential)', () => {
  it.each(CASES)('$edge $kind, on random tickets', ({ edge, kind }) => {
    let blocked = 0;
    fc.assert(
      fc.property(arbRawTicket, arbActorRole, arbPolicyVariant, fc.integer({ min: 0, max: 30 }), (raw, role, variant, nowHour) => {
        if (!agree(edge, kind, raw, role, variant, nowHour).allowed) blocked += 1;
      }),
      seeded({ numRuns: 150 }),
    );
    // Not vacuous: rules that check anything must block some generated tickets.
    if (hasRules(edge, kind)) expect(blocked).toBeGreaterThan(0);
  });

  it.each(CASES)('$edge $kind, on tickets built to be allowed or blocked for one reason', ({ edge, kind }) => {
    const ingredients = blockingIngredients(edge, kind);
    const verdicts = { allowed: 0, blocked: 0 };
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbScenario(edge, kind), (s) => {
        const verdict = agree(edge, kind, s.raw, s.role, s.variant, s.nowHour);
        // The generator's intent holds: allowed, or blocked for exactly one reason.
        expect({ reason: s.reason, allowed: verdict.allowed, reasons: verdict.reasons.length }).toEqual({
          reason: s.reason,
          allowed: s.expected === 'allowed',
          reasons: s.expected === 'allowed' ? 0 : 1,
        });
        verdicts[verdict.allowed ? 'allowed' : 'blocked'] += 1;
        seen.add(s.reason);
      }),
      seeded({ numRuns: RUNS }),
    );
    const total = runs(RUNS); // fewer under `npm run mutate` (CC81_FC_RUNS_SCALE)
    const floor = Math.ceil(FLOOR * total);
    const seed = fcSeed();
    expect({ seed, allowedAtLeastFloor: verdicts.allowed >= floor }).toEqual({ seed, allowedAtLeastFloor: true });
    if (ingredients.length === 0) {
      // Nothing to check: the compiled rule is empty and every ticket passes.
      expect({ seed, verdicts, hasRules: hasRules(edge, kind) }).toEqual({ seed, verdicts: { allowed: total, blocked: 0 }, hasRules: false });
    } else {
      expect({ seed, blockedAtLeastFloor: verdicts.blocked >= floor }).toEqual({ seed, blockedAtLeastFloor: true });
      expect({ seed, seen: [...seen].sort() }).toEqual({ seed, seen: ['allowed', ...ingredients].sort() });
    }
  });
});

/** Every field filled; the named approver and verifier are the actor; the implementer field and evidence vary. */
const segregationTicket = (changeType: string, implementerField: string, evidence: EvidenceRecord[], actor: string): RawTicket => ({
  values: {
    summary: 'Rotate the edge proxy certificates',
    justification: 'Certificates expire on Friday',
    changeType,
    risk: 'Medium',
    targetSystems: ['edge-proxy'],
    testPlan: 'Staging first',
    rollbackPlan: 'Restore the old bundle',
    verificationResult: 'Passed',
    requester: PEOPLE.requester,
    implementer: implementerField,
    approver: actor,
    verifier: actor,
  },
  evidence,
});

const implemented = (from: EvidenceRecord['from'], accountId: string | null): EvidenceRecord => ({ from, to: 'Implemented', accountId, at: at(2) });
const postHoc = (accountId: string | null): EvidenceRecord => ({ from: 'Implemented', to: 'Implemented', accountId, at: at(3) });

/** Identity comes from who acted: the implementer is the one named in the field and whoever moved the change to Implemented. */
const SEGREGATION: { row: string; implementerField: 'actor' | PersonRole; evidence: (actor: string) => EvidenceRecord[]; expected: boolean }[] = [
  { row: 'field names the actor, no evidence', implementerField: 'actor', evidence: () => [], expected: false },
  { row: 'field names the actor, someone else implemented', implementerField: 'actor', evidence: () => [implemented('Scheduled', PEOPLE.outsider)], expected: false },
  { row: 'field names another, the actor implemented', implementerField: 'implementer', evidence: (a) => [implemented('Scheduled', a)], expected: false },
  { row: 'field names another, the actor implemented by a shortcut', implementerField: 'implementer', evidence: (a) => [implemented('Draft', a)], expected: false },
  { row: 'field names another, who implemented', implementerField: 'implementer', evidence: () => [implemented('Scheduled', PEOPLE.implementer)], expected: true },
  { row: 'field names another, nobody identifiable implemented', implementerField: 'implementer', evidence: () => [implemented('Scheduled', null)], expected: true },
  { row: 'field names another, the actor only approved post hoc', implementerField: 'implementer', evidence: (a) => [implemented('Scheduled', PEOPLE.implementer), postHoc(a)], expected: true },
  { row: 'field names an outsider, no evidence', implementerField: 'outsider', evidence: () => [], expected: true },
];

const SEGREGATION_EDGES: { edge: EdgeId; actor: PersonRole; changeType: string }[] = [
  { edge: 'approve', actor: 'approver', changeType: 'Normal' },
  { edge: 'postHocApprove', actor: 'approver', changeType: 'Emergency' },
  { edge: 'close', actor: 'verifier', changeType: 'Normal' },
];
/** On Close the verifier is also never an approver (three people): one who approved post hoc is refused too. */
const CLOSE_EXPECTED: Partial<Record<string, boolean>> = { 'field names another, the actor only approved post hoc': false };

const NO_RELAXATION: Variant = { cabRisks: [], cabGroup: true, cabIds: false, relaxed: false, flagWindow: false, recurringMapped: true, eligible: 'anyone' };

describe('the compiled "actor is not the implementer" check, where the implementer field and the actor disagree', () => {
  const rows = SEGREGATION_EDGES.flatMap((e) => RULE_KINDS.flatMap((kind) => SEGREGATION.map((r) => ({ ...e, kind, ...r }))));
  it.each(rows)('$edge $kind: $row', ({ edge, kind, actor, changeType, implementerField, evidence, expected, row }) => {
    const field = PEOPLE[implementerField === 'actor' ? actor : implementerField];
    const ticket = segregationTicket(changeType, field, evidence(PEOPLE[actor]), PEOPLE[actor]);
    if (edge === 'close') ticket.values.approver = PEOPLE.approver; // another person approved
    expect(agree(edge, kind, ticket, actor, NO_RELAXATION, 5).allowed).toBe(edge === 'close' ? (CLOSE_EXPECTED[row] ?? expected) : expected);
  });
});

describe('fast-check seed (test/support/fc-seed)', () => {
  it.each([
    [undefined, 1_301_813],
    ['', 1_301_813],
    ['42', 42],
    [' -7 ', -7],
    ['random', 99],
    ['RANDOM', 99],
  ])('%p gives %p', (raw, expected) => {
    expect(parseFcSeed(raw, () => 99)).toBe(expected);
  });

  it.each(['12abc', '1.5', 'nightly', '99999999999999999999'])('%p is refused', (raw) => {
    expect(() => parseFcSeed(raw)).toThrow(/CC81_FC_SEED/);
  });
});

describe('fast-check runs scale (CC81_FC_RUNS_SCALE, 0.5 under npm run mutate)', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['0.5', 0.5],
    [' 1 ', 1],
    ['.25', 0.25],
  ])('%p gives %p', (raw, expected) => {
    expect(parseRunsScale(raw)).toBe(expected);
  });

  it.each(['0', '1.5', '-0.5', 'half', '5e-1'])('%p is refused', (raw) => {
    expect(() => parseRunsScale(raw)).toThrow(/CC81_FC_RUNS_SCALE/);
  });

  it('scales a count, never below 10', () => {
    const saved = process.env.CC81_FC_RUNS_SCALE;
    try {
      process.env.CC81_FC_RUNS_SCALE = '0.5';
      expect([runs(300), runs(15), runs(10)]).toEqual([150, 10, 10]);
      delete process.env.CC81_FC_RUNS_SCALE;
      expect(runs(300)).toBe(300);
    } finally {
      if (saved === undefined) delete process.env.CC81_FC_RUNS_SCALE;
      else process.env.CC81_FC_RUNS_SCALE = saved;
    }
  });
});

describe('validator messages', () => {
  it('name every failing check of a part, in order, separated by single spaces; a passing part returns true', () => {
    const policy = policyFor({ cabRisks: ['high'], cabGroup: true, cabIds: true, relaxed: false, flagWindow: false, recurringMapped: true, eligible: 'anyone' });
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
