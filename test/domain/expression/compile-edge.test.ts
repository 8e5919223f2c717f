import { seeded } from '../../support/fc-seed';
import fc from 'fast-check';
import { EDGES, EdgeId, FIELD_KEYS, FieldKey } from '../../../src/domain';
import { EXPRESSION_BUDGET, RULE_KINDS, compileEdge } from '../../../src/domain/expression';
import { checkUnitsFor } from '../../../src/domain/expression/check-units';
import { countLeaves } from '../../../src/domain/expression/count-leaves';
import { aMappedPolicy } from '../../builders/mapped-policy.builder';
import { aPolicy } from '../../builders/policy.builder';

const cases = EDGES.flatMap((edge) => RULE_KINDS.map((kind) => ({ edge: edge.id, kind })));

// Written out: the edge/kind pairs with nothing to check under a fully mapped policy (no typed edge, no expression rule).
const NOTHING_TO_CHECK = [
  'submit condition',
  'schedule condition',
  'sendBack condition',
  'sendBack validator',
  'reassess condition',
  'reassess validator',
  'reschedule condition',
  'reschedule validator',
  'cancelFromDraft condition',
  'cancelFromAssessment condition',
  'cancelFromApproved condition',
  'cancelFromScheduled condition',
];
const isEmpty = ({ edge, kind }: { edge: EdgeId; kind: string }) => NOTHING_TO_CHECK.includes(`${edge} ${kind}`);
const edgeOf = (id: EdgeId) => EDGES.find((e) => e.id === id)!;

describe('compileEdge', () => {
  it('covers every edge and kind: 32 pairs, 12 of them with nothing to check', () => {
    expect(cases).toHaveLength(32);
    expect(cases.filter(isEmpty)).toHaveLength(NOTHING_TO_CHECK.length);
  });

  it.each(cases.filter((c) => !isEmpty(c)))('$edge $kind compiles, losing no check, inside the budgets for a fully mapped policy', ({ edge, kind }) => {
    const policy = aMappedPolicy();
    const result = compileEdge(policy, edge, kind);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules.length).toBeGreaterThan(0);
    expect(result.rules.flatMap((r) => r.checks)).toEqual(checkUnitsFor(edgeOf(edge), kind, policy).map((u) => u.check));
    for (const rule of result.rules) {
      expect(rule.length).toBe(rule.expression.length);
      expect(rule.length).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxLength);
      expect(rule.expensiveOps).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxExpensiveOps);
      expect(countLeaves(rule.expression)).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxLeaves);
      expect(rule.parts).toBe(result.rules.length);
    }
  });

  it.each(cases.filter(isEmpty))('$edge $kind has nothing to check for a fully mapped policy: no check unit, no rule', ({ edge, kind }) => {
    const policy = aMappedPolicy();
    expect(checkUnitsFor(edgeOf(edge), kind, policy)).toEqual([]);
    expect(compileEdge(policy, edge, kind)).toEqual({ ok: true, rules: [] });
  });

  it.each(cases.filter(isEmpty))('$edge $kind: a field the policy adds as required there is a validator check, never a condition', ({ edge, kind }) => {
    const result = compileEdge(aMappedPolicy({ additionalRequiredFields: { [edge]: ['testPlan'] } }), edge, kind);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules.map((r) => r.checks)).toEqual(kind === 'validator' ? [['Test plan']] : []);
  });

  it('needs no condition where nobody is hidden from the step, and no rule where nothing is required', () => {
    const policy = aMappedPolicy();
    for (const edge of ['submit', 'schedule', 'sendBack', 'cancelFromDraft'] as EdgeId[]) {
      expect(compileEdge(policy, edge, 'condition')).toEqual({ ok: true, rules: [] });
    }
    expect(compileEdge(policy, 'reassess', 'validator')).toEqual({ ok: true, rules: [] });
  });

  it('bakes in the site field ids and the policy', () => {
    const policy = aMappedPolicy({ cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: ['acc-cab-1'] } });
    const result = compileEdge(policy, 'approve', 'condition');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules[0]!.expression).toContain(`issue.${policy.fields.approver}`);
    expect(result.rules[0]!.expression).toContain("['acc-cab-1'].includes(user.accountId)");
  });

  it('refuses, naming the fields, when a needed field is not mapped to a field expressions can read', () => {
    expect(compileEdge(aPolicy(), 'approve', 'validator')).toEqual({
      ok: false,
      error: { code: 'FIELD_NOT_MAPPED', message: expect.stringContaining('Map Risk rating, Test plan, Rollback plan, Approver, Implementer') },
    });
    const unreadable = aMappedPolicy({ fields: { ...aMappedPolicy().fields, testPlan: 'timetracking' } });
    const result = compileEdge(unreadable, 'approve', 'validator');
    expect(result.ok ? '' : result.error.message).toMatch(/^Map Test plan /);
  });

  it('reads the recurring window only when it is mapped', () => {
    const fields = { ...aMappedPolicy().fields };
    delete fields.recurringWindow;
    const result = compileEdge(aMappedPolicy({ fields }), 'schedule', 'validator');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules[0]!.expression).not.toContain(aMappedPolicy().fields.recurringWindow);
    expect(result.rules[0]!.expression).toContain(`issue.${aMappedPolicy().fields.windowStart}`);
  });

  it('splits an edge with many required custom fields into parts, each inside the budgets, losing no check', () => {
    const all = FIELD_KEYS.filter((f) => f !== 'summary');
    const policy = aMappedPolicy({ additionalRequiredFields: { approve: all } });
    const result = compileEdge(policy, 'approve', 'validator');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules.length).toBeGreaterThan(2);
    for (const rule of result.rules) expect(rule.expensiveOps).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxExpensiveOps);
    expect(result.rules.flatMap((r) => r.checks).sort()).toEqual(checkUnitsFor(EDGES.find((e) => e.id === 'approve')!, 'validator', policy).map((u) => u.check).sort());
  });

  it('splits by syntax-tree size where the length budget alone would allow one expression, losing no check', () => {
    const policy = aMappedPolicy();
    const result = compileEdge(policy, 'close', 'validator', { maxLength: 100_000 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.rules.length).toBeGreaterThan(1);
    for (const rule of result.rules) expect(countLeaves(rule.expression)).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxLeaves);
    expect(result.rules.flatMap((r) => r.checks)).toEqual(checkUnitsFor(EDGES.find((e) => e.id === 'close')!, 'validator', policy).map((u) => u.check));
  });

  it('refuses rather than emit an expression over the leaves budget', () => {
    expect(compileEdge(aMappedPolicy(), 'close', 'validator', { maxLeaves: 40 })).toEqual({
      ok: false,
      error: { code: 'OVER_BUDGET', message: expect.stringMatching(/needs \d+ characters, \d+ expensive operations and \d+ syntax-tree leaves, over the budget of 1000 characters, 10 operations and 40 leaves/) },
    });
    // A long CAB member list is one check: it cannot be split, so it is refused, naming the way out.
    const memberAccountIds = Array.from({ length: 90 }, (_, i) => `a${i}`);
    const result = compileEdge(aMappedPolicy({ cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds } }), 'approve', 'condition');
    expect(result).toEqual({ ok: false, error: { code: 'OVER_BUDGET', message: expect.stringContaining('a CAB group instead of a long list of CAB account ids') } });
  });

  it('refuses rather than emit an expression over the length budget', () => {
    const result = compileEdge(aMappedPolicy(), 'close', 'validator', { maxLength: 200 });
    expect(result).toEqual({ ok: false, error: { code: 'OVER_BUDGET', message: expect.stringContaining('over the budget of 200 characters') } });
  });

  it('always either fits every part inside the budgets or refuses (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EDGES.map((e) => e.id)),
        fc.constantFrom(...RULE_KINDS),
        fc.subarray([...FIELD_KEYS] as FieldKey[]),
        fc.integer({ min: 150, max: 4_000 }),
        fc.boolean(),
        fc.integer({ min: 30, max: 200 }),
        (edge, kind, extra, maxLength, relaxed, maxLeaves) => {
          const policy = aMappedPolicy({
            additionalRequiredFields: { [edge]: extra },
            lowRiskRelaxation: relaxed ? { enabled: true, compensatingControl: 'Weekly CISO review of self-approvals' } : { enabled: false },
          });
          const result = compileEdge(policy, edge, kind, { maxLength, maxLeaves });
          if (!result.ok) {
            expect(result.error.code).toBe('OVER_BUDGET');
            return;
          }
          const units = checkUnitsFor(EDGES.find((e) => e.id === edge)!, kind, policy);
          expect(result.rules.flatMap((r) => r.checks)).toHaveLength(kind === 'condition' && units.every((u) => u.required) ? 0 : units.length);
          for (const rule of result.rules) {
            expect(rule.length).toBeLessThanOrEqual(maxLength);
            expect(countLeaves(rule.expression)).toBeLessThanOrEqual(maxLeaves);
            expect(rule.expensiveOps).toBeLessThanOrEqual(EXPRESSION_BUDGET.maxExpensiveOps);
          }
        },
      ),
      seeded({ numRuns: 300 }),
    );
  });
});
