import { seeded, runs } from '../../support/fc-seed';
import fc from 'fast-check';
import { EDGES } from '../../../src/domain';
import { RULE_KINDS, compileEdge } from '../../../src/domain/expression';
import { countLeaves } from '../../../src/domain/expression/count-leaves';
import { syntaxTreeLeaves } from '../../../sandbox/jira-expression/interpreter';
import { arbBudgetPolicy } from './compile-policy.builder';

/** Counted by hand: what is a leaf (see count-leaves.ts). */
const HAND_COUNTED: [string, number][] = [
  ['issue.customfield_10040 != null', 4], // issue customfield_10040 != null
  ['user', 1],
  ["'a && b || c ? d : e'", 1], // one string literal, whatever it holds
  ["'it\\'s' == \"say \\\"hi\\\"\"", 3],
  ['!(f0?.value == \'Emergency\')', 5], // `!` and the parentheses are not leaves; `?.` is
  ['let xs = []; xs.length > 0', 6], // `let` and `=` are not leaves; an empty list is
  ['new Date()', 1],
  ['new Date(f0r) < now', 4],
  ['rs.some(r => r.accountId == user.accountId)', 9],
  ["c ? true : 'Fill in Risk rating to Approve.'", 5],
  ["['Low', 'High'].includes(f1.value)", 5],
  ["let p = [a ? '' : 'm '].join(''); p == '' ? true : p.trim()", 16],
  ["issue.properties['cc81.evidence']", 3],
  ['a + 1.5 <= 2 && b >= 3', 9],
];

const compiledExpressions = (policy: Parameters<typeof compileEdge>[0]): string[] =>
  EDGES.flatMap((edge) => RULE_KINDS.flatMap((kind) => {
    const result = compileEdge(policy, edge.id, kind);
    return result.ok ? result.rules.map((r) => r.expression) : [];
  }));

/** Small programs in the subset the compiler emits, for comparing the two counts on text it has not emitted yet. */
const arbProgram = (() => {
  const name = fc.constantFrom('issue', 'user', 'f0', 'rs', 'x', 'customfield_10040', 'value', 'accountId');
  const text = fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      name,
      text,
      fc.integer({ min: 0, max: 999 }).map(String),
      fc.constantFrom('true', 'false', 'null', '[]', 'new Date()'),
      fc.tuple(tie('expr'), name, fc.boolean()).map(([e, n, optional]) => `(${e})${optional ? '?.' : '.'}${n}`),
      fc.tuple(tie('expr'), fc.constantFrom('&&', '||', '==', '!=', '<', '<=', '>', '>=', '+'), tie('expr')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      tie('expr').map((e) => `!(${e})`),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `(${a}) ? (${b}) : (${c})`),
      fc.array(tie('expr'), { minLength: 1, maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc.tuple(tie('expr'), fc.constantFrom('some', 'filter', 'every', 'map'), tie('expr')).map(([e, m, body]) => `(${e}).${m}(r => ${body})`),
      fc.tuple(tie('expr'), tie('expr')).map(([e, arg]) => `(${e}).includes(${arg})`),
      tie('expr').map((e) => `new Date(${e})`),
    ),
  }));
  return fc.tuple(fc.array(expr, { maxLength: 3 }), expr).map(([lets, body]) => [...lets.map((e, i) => `let v${i} = ${e};`), body].join(' '));
})();

describe('countLeaves', () => {
  it.each(HAND_COUNTED)('%s has %i leaves, by both counts', (source, leaves) => {
    expect(countLeaves(source)).toBe(leaves);
    expect(syntaxTreeLeaves(source)).toBe(leaves);
  });

  it('agrees with the test interpreter\'s syntax tree on every expression compiled for generated policies', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbBudgetPolicy, (policy) => {
        for (const expression of compiledExpressions(policy)) {
          expect({ expression, leaves: countLeaves(expression) }).toEqual({ expression, leaves: syntaxTreeLeaves(expression) });
          compared += 1;
        }
      }),
      seeded({ numRuns: 60 }),
    );
    expect(compared).toBeGreaterThan(runs(60) * 10);
  });

  it('agrees with the test interpreter\'s syntax tree on generated programs of the subset', () => {
    fc.assert(
      fc.property(arbProgram, (source) => {
        expect(countLeaves(source)).toBe(syntaxTreeLeaves(source));
      }),
      seeded({ numRuns: 500 }),
    );
  });
});
