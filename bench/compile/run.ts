/* Compiler benchmark: `npm run bench:compile`. Prints figures; asserts nothing. */
import { EDGES } from '../../src/domain';
import { CompiledRule, EXPRESSION_BUDGET, RULE_KINDS, compileEdge } from '../../src/domain/expression';
import { countLeaves } from '../../src/domain/expression/count-leaves';
import { aMappedPolicy } from '../../test/builders/mapped-policy.builder';
import { fmt, median, timeRuns } from '../stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const policy = aMappedPolicy({ cab: { requiredForRisks: ['medium', 'high'], groupName: 'cab', memberAccountIds: ['acc-cab-1', 'acc-cab-2'] } });

/**
 * The same policy compiled at commit 0cb354a, before the compiler budgeted syntax-tree leaves
 * (leaves counted with today's countLeaves; the issue's 153 also counted the end-of-file token).
 */
const BEFORE = { rules: 24, maxLeaves: 152, overLeaves: 11, maxLength: 950, maxExpensiveOps: 6, compileMs: 0.89 };

const compileAll = (): CompiledRule[] =>
  EDGES.flatMap((edge) =>
    RULE_KINDS.flatMap((kind) => {
      const result = compileEdge(policy, edge.id, kind);
      if (!result.ok) throw new Error(`${edge.id} ${kind}: ${result.error.message}`);
      return result.rules;
    }),
  );

const rules = compileAll().map((rule) => ({ ...rule, leaves: countLeaves(rule.expression) }));
const ms = median(timeRuns(RUNS, 3, compileAll));
const count = (kind: string) => rules.filter((r) => r.kind === kind).length;
type Row = (typeof rules)[number];
const largest = (measure: (r: Row) => number): Row => rules.reduce((a, b) => (measure(b) > measure(a) ? b : a));
const where = (r: Row) => `(${r.edge} ${r.kind} ${r.part}/${r.parts})`;
const line = (label: string, measure: (r: Row) => number, budget: number, before: number) => {
  const r = largest(measure);
  console.log(`${label.padEnd(30)} ${fmt(measure(r), 0)} ${fmt(budget, 0)} ${(measure(r) / budget).toFixed(2).padStart(6)} ${fmt(before, 0)}   ${where(r)}`);
};

console.log(`bench/compile  node ${process.version}  median of ${RUNS} runs`);
console.log(`full policy: ${EDGES.length} edges → ${count('condition')} conditions + ${count('validator')} validators = ${rules.length} rules (before: ${BEFORE.rules}); ${rules.filter((r) => r.parts > 1).length} are parts of split edges`);
console.log('');
console.log('measure                            value    budget  ratio    before');
console.log(`compile time, whole policy (ms) ${fmt(ms, 2)}                  ${fmt(BEFORE.compileMs, 2)}   ratio ${(ms / BEFORE.compileMs).toFixed(2)}`);
line('largest expression (chars)', (r) => r.length, EXPRESSION_BUDGET.maxLength, BEFORE.maxLength);
line('most expensive operations', (r) => r.expensiveOps, EXPRESSION_BUDGET.maxExpensiveOps, BEFORE.maxExpensiveOps);
line('most syntax-tree leaves', (r) => r.leaves, EXPRESSION_BUDGET.maxLeaves, BEFORE.maxLeaves);
console.log(`rules over ${EXPRESSION_BUDGET.maxLeaves} leaves               ${fmt(rules.filter((r) => r.leaves > EXPRESSION_BUDGET.maxLeaves).length, 0)}                  ${fmt(BEFORE.overLeaves, 0)}`);
console.log('Forge function invocations per transition guarded only by expressions: 0 (Jira evaluates them itself)');
console.log('');
const budget = `budget per rule: ${EXPRESSION_BUDGET.maxLength} chars, ${EXPRESSION_BUDGET.maxExpensiveOps} ops, ${EXPRESSION_BUDGET.maxLeaves} leaves`;
console.log(`edge                              kind       part  chars   ops  leaves   (${budget})`);
for (const r of rules) {
  console.log(`${r.edge.padEnd(33)} ${r.kind.padEnd(10)} ${`${r.part}/${r.parts}`.padStart(4)}  ${String(r.length).padStart(5)}  ${String(r.expensiveOps).padStart(4)}  ${String(r.leaves).padStart(6)}`);
}
