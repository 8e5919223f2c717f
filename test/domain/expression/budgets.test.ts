import { seeded, runs } from '../../support/fc-seed';
import fc from 'fast-check';
import { EDGES } from '../../../src/domain';
import { EXPRESSION_BUDGET, RULE_KINDS, compileEdge } from '../../../src/domain/expression';
import { checkUnitsFor } from '../../../src/domain/expression/check-units';
import { analyseJiraExpression, syntaxTreeLeaves } from '../../../sandbox/jira-expression/interpreter';
import { arbBudgetPolicy } from './compile-policy.builder';

/** The limits Jira applies to one workflow-rule expression (FACTS.md §8), independent of the compiler's constants. */
const JIRA = { maxExpensiveOps: 10, maxLength: 1_000, maxLeaves: 100 };

describe('every compiled expression is within all three Jira budgets (property)', () => {
  it('uses the limits Jira applies', () => {
    expect(EXPRESSION_BUDGET).toEqual(JIRA);
  });

  it('holds for generated policies, on every edge, for conditions and validators', () => {
    let rules = 0;
    let split = 0;
    fc.assert(
      fc.property(arbBudgetPolicy, (policy) => {
        for (const edge of EDGES) {
          for (const kind of RULE_KINDS) {
            const result = compileEdge(policy, edge.id, kind);
            if (!result.ok) throw new Error(`${edge.id} ${kind}: ${result.error.message}`);
            const units = checkUnitsFor(edge, kind, policy);
            expect(result.rules.flatMap((r) => r.checks)).toHaveLength(kind === 'condition' && units.every((u) => u.required) ? 0 : units.length);
            for (const rule of result.rules) {
              const analysis = analyseJiraExpression(rule.expression, ['issue', 'user']);
              if (!analysis.valid) throw analysis.error;
              const measured = { edge: edge.id, kind, part: rule.part, length: rule.expression.length, expensiveOps: analysis.expensiveOps, leaves: syntaxTreeLeaves(rule.expression) };
              expect(measured.length).toBeLessThanOrEqual(JIRA.maxLength);
              expect(measured.expensiveOps).toBeLessThanOrEqual(JIRA.maxExpensiveOps);
              expect(rule.expensiveOps).toBeLessThanOrEqual(JIRA.maxExpensiveOps);
              expect(measured.leaves).toBeLessThanOrEqual(JIRA.maxLeaves);
              rules += 1;
              if (rule.parts > 1) split += 1;
            }
          }
        }
      }),
      seeded({ numRuns: 80 }),
    );
    // Not vacuous: rules were checked, and some policies needed splitting.
    expect(rules).toBeGreaterThan(runs(80) * 20);
    expect(split).toBeGreaterThan(0);
  });
});
