/* Compiler benchmark: `npm run bench:compile`. Prints figures; asserts nothing. */
import { EDGES } from '../../src/domain';
import { CompiledRule, EXPRESSION_BUDGET, RULE_KINDS, compileEdge } from '../../src/domain/expression';
import { aMappedPolicy } from '../../test/builders/mapped-policy.builder';
import { fmt, median, timeRuns } from '../stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const policy = aMappedPolicy({ cab: { requiredForRisks: ['medium', 'high'], groupName: 'cab', memberAccountIds: ['acc-cab-1', 'acc-cab-2'] } });

const compileAll = (): CompiledRule[] =>
  EDGES.flatMap((edge) =>
    RULE_KINDS.flatMap((kind) => {
      const result = compileEdge(policy, edge.id, kind);
      if (!result.ok) throw new Error(`${edge.id} ${kind}: ${result.error.message}`);
      return result.rules;
    }),
  );

const rules = compileAll();
const ms = median(timeRuns(RUNS, 3, compileAll));
const longest = rules.reduce((a, b) => (b.length > a.length ? b : a));
const costliest = rules.reduce((a, b) => (b.expensiveOps > a.expensiveOps ? b : a));
const count = (kind: string) => rules.filter((r) => r.kind === kind).length;

console.log(`bench/compile  node ${process.version}  median of ${RUNS} runs`);
console.log(`full policy: ${EDGES.length} edges → ${count('condition')} conditions + ${count('validator')} validators (${rules.filter((r) => r.parts > 1).length} rules are parts of split edges)`);
console.log('');
console.log('measure                              value      budget   ratio');
console.log(`compile time, whole policy (ms)  ${fmt(ms, 2)}`);
console.log(`largest expression (chars)       ${fmt(longest.length, 0)}   ${fmt(EXPRESSION_BUDGET.maxLength, 0)}   ${(longest.length / EXPRESSION_BUDGET.maxLength).toFixed(2)}   (${longest.edge} ${longest.kind} ${longest.part}/${longest.parts})`);
console.log(`most expensive operations        ${fmt(costliest.expensiveOps, 0)}   ${fmt(EXPRESSION_BUDGET.maxExpensiveOps, 0)}   ${(costliest.expensiveOps / EXPRESSION_BUDGET.maxExpensiveOps).toFixed(2)}   (${costliest.edge} ${costliest.kind} ${costliest.part}/${costliest.parts})`);
console.log('Forge function invocations per transition guarded only by expressions: 0 (Jira evaluates them itself)');
console.log('');
console.log('edge                              kind       part  chars  ops');
for (const r of rules) console.log(`${r.edge.padEnd(33)} ${r.kind.padEnd(10)} ${`${r.part}/${r.parts}`.padStart(4)}  ${String(r.length).padStart(5)}  ${String(r.expensiveOps).padStart(3)}`);
