import fc from 'fast-check';
import { Clause, FieldRef, JqlError, JqlQuery, Operand, parseJql, printJql } from '../../../sandbox/jql';

/** The tree without offsets, for comparisons. */
const strip = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(strip) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'at').map(([k, v]) => [k, strip(v)])) : value;

const parsed = (jql: string) => strip(parseJql(jql)) as { where: unknown; orderBy: unknown };
const errorOf = (jql: string): string[] => {
  try {
    parseJql(jql);
  } catch (error) {
    if (error instanceof JqlError) return error.messages;
    throw error;
  }
  throw new Error(`parsed: ${jql}`);
};

const name = (n: string) => ({ kind: 'name', name: n });
const value = (v: string) => ({ kind: 'value', value: v });

describe('JQL parser', () => {
  it('parses comparisons, lists, emptiness and ORDER BY', () => {
    expect(parsed('project = CHG AND status != "Draft" ORDER BY key DESC, created')).toEqual({
      where: {
        kind: 'and',
        clauses: [
          { kind: 'compare', field: name('project'), operator: '=', operand: value('CHG') },
          { kind: 'compare', field: name('status'), operator: '!=', operand: value('Draft') },
        ],
      },
      orderBy: [
        { field: name('key'), direction: 'desc' },
        { field: name('created'), direction: null },
      ],
    });
    expect(parsed("labels not in (a, 'b c') or labels IS NOT EMPTY")).toEqual({
      where: {
        kind: 'or',
        clauses: [
          { kind: 'in', field: name('labels'), negated: true, operands: [value('a'), value('b c')] },
          { kind: 'empty', field: name('labels'), negated: true },
        ],
      },
      orderBy: [],
    });
  });

  it('binds AND tighter than OR, and honours parentheses and NOT', () => {
    const a = { kind: 'compare', field: name('a'), operator: '=', operand: value('1') };
    const b = { kind: 'compare', field: name('b'), operator: '=', operand: value('2') };
    const c = { kind: 'compare', field: name('c'), operator: '=', operand: value('3') };
    expect(parsed('a = 1 OR b = 2 AND c = 3').where).toEqual({ kind: 'or', clauses: [a, { kind: 'and', clauses: [b, c] }] });
    expect(parsed('(a = 1 OR b = 2) AND c = 3').where).toEqual({ kind: 'and', clauses: [{ kind: 'or', clauses: [a, b] }, c] });
    expect(parsed('NOT a = 1 and not (b = 2)').where).toEqual({ kind: 'and', clauses: [{ kind: 'not', clause: a }, { kind: 'not', clause: b }] });
  });

  it('reads custom fields, issue properties, functions and dates', () => {
    expect(parsed('cf[10040] = Normal').where).toMatchObject({ field: { kind: 'cf', id: '10040' } });
    expect(parsed('customfield_10040 IS EMPTY').where).toMatchObject({ field: name('customfield_10040') });
    expect(parsed('"Change type" = Normal').where).toMatchObject({ field: name('Change type') });
    expect(parsed('issue.property[cc81.status].state = overdue').where).toMatchObject({ field: { kind: 'property', key: 'cc81.status', path: ['state'] } });
    expect(parsed('issue.property[flags] = x').where).toMatchObject({ field: { kind: 'property', key: 'flags', path: [] } });
    expect(parsed('reporter = currentUser()').where).toMatchObject({ operand: { kind: 'function', name: 'currentUser', args: [] } });
    expect(parsed('updated >= -72h AND created < "2026/03/01 10:00"').where).toMatchObject({
      clauses: [{ operator: '>=', operand: value('-72h') }, { operator: '<', operand: value('2026/03/01 10:00') }],
    });
  });

  it('reads CHANGED with its predicates', () => {
    expect(parsed('status CHANGED TO "Implemented" BEFORE "2026-03-01 10:00" after -1w BY acc-1').where).toEqual({
      kind: 'changed',
      field: name('status'),
      predicates: [
        { kind: 'to', operands: [value('Implemented')] },
        { kind: 'before', operands: [value('2026-03-01 10:00')] },
        { kind: 'after', operands: [value('-1w')] },
        { kind: 'by', operands: [value('acc-1')] },
      ],
    });
    expect(parsed('status changed').where).toEqual({ kind: 'changed', field: name('status'), predicates: [] });
  });

  it('decodes escapes in quoted strings and treats keywords case-insensitively', () => {
    expect(parsed('summary = "say \\"hi\\" \\u0041\\\\"').where).toMatchObject({ operand: value('say "hi" A\\') });
    expect(parsed('a = EMPTY and b in (Null, x) order by KEY asc')).toMatchObject({
      where: { clauses: [{ operand: { kind: 'empty' } }, { operands: [{ kind: 'empty' }, value('x')] }] },
      orderBy: [{ direction: 'asc' }],
    });
  });

  it('reads an empty query and a query with only ORDER BY', () => {
    expect(parsed('')).toEqual({ where: null, orderBy: [] });
    expect(parsed('order by key')).toEqual({ where: null, orderBy: [{ field: name('key'), direction: null }] });
  });

  it.each([
    ['status = "Draft', 'Error in the JQL Query: The quoted string \'Draft\' has not been completed. (line 1, character 10)'],
    ['status Draft', "Error in the JQL Query: Expecting operator but got 'Draft'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT' and 'CHANGED'. (line 1, character 8)"],
    ['status =', 'Error in the JQL Query: Expecting either a value, list or function before the end of the query.'],
    ['labels = order', "Error in the JQL Query: Expecting either a value, list or function but got 'order'. You must surround 'order' in quotation marks to use it as a value. (line 1, character 10)"],
    ['(status = Draft', "Error in the JQL Query: Expecting ')' before the end of the query."],
    ['status = Draft labels = x', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'labels'. (line 1, character 16)"],
    ['status = Draft ORDER key', "Error in the JQL Query: Expecting 'BY' but got 'key'. (line 1, character 22)"],
    ['labels = a{b', "Error in the JQL Query: The character '{' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007b' instead. (line 1, character 11)"],
    ['labels in (a b)', "Error in the JQL Query: Expecting either ',' or ')' but got 'b'. (line 1, character 14)"],
    ['labels is x', "Error in the JQL Query: Expecting either 'NOT', 'EMPTY' or 'NULL' but got 'x'. (line 1, character 11)"],
    ['labels not x', "Error in the JQL Query: Expecting 'IN' but got 'x'. (line 1, character 12)"],
    ['= x', "Error in the JQL Query: Expecting a field name but got '='. (line 1, character 1)"],
    ['labels = "a\\qb"', "Error in the JQL Query: The escape sequence '\\q' in the JQL query is illegal. (line 1, character 12)"],
    ['status = x\nand', 'Error in the JQL Query: Expecting a field name before the end of the query.'],
    ['status = x\nand = y', "Error in the JQL Query: Expecting a field name but got '='. (line 2, character 5)"],
    ['status = x\nand order = y', "Error in the JQL Query: Expecting a field name but got 'order'. You must surround 'order' in quotation marks to use it as a field name. (line 2, character 5)"],
    ['cf[abc] = x', "Error in the JQL Query: Expecting a custom field id but got 'abc'. (line 1, character 4)"],
    ['labels ! x', "Error in the JQL Query: The character '!' must be followed by '=' or '~' to form an operator. (line 1, character 8)"],
    ['status WAS Draft', "Error in the JQL Query: The operator 'WAS' is outside the sandbox's JQL subset."],
  ])('refuses %j with Jira’s syntax error', (jql, message) => {
    expect(errorOf(jql)).toEqual([message]);
  });
});

// ---- property tests: generated trees print to JQL that parses back to the same tree ----

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((w) => !['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc', 'changed', 'was', 'from', 'to', 'before', 'after', 'on', 'during', 'as', 'select', 'where', 'limit', 'if', 'then', 'else', 'cf'].includes(w));
const text = fc.string({ maxLength: 12 });
const fieldRef: fc.Arbitrary<FieldRef> = fc.oneof(
  word.map((n): FieldRef => ({ kind: 'name', name: n, at: 0 })),
  text.filter((t) => t.length > 0).map((n): FieldRef => ({ kind: 'name', name: n, at: 0 })),
  fc.integer({ min: 10000, max: 10999 }).map((id): FieldRef => ({ kind: 'cf', id: String(id), at: 0 })),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), fc.array(word, { maxLength: 2 })).map(([key, path]): FieldRef => ({ kind: 'property', key, path, at: 0 })),
);
const operand: fc.Arbitrary<Operand> = fc.oneof(
  { weight: 4, arbitrary: text.map((v): Operand => ({ kind: 'value', value: v, at: 0 })) },
  { weight: 1, arbitrary: fc.constant<Operand>({ kind: 'empty', at: 0 }) },
  { weight: 1, arbitrary: fc.tuple(word, fc.array(text, { maxLength: 2 })).map(([n, args]): Operand => ({ kind: 'function', name: n, args, at: 0 })) },
);
const leaf: fc.Arbitrary<Clause> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), field: fieldRef, operator: fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '~', '!~' as const), operand, at: fc.constant(0) }),
  fc.record({ kind: fc.constant('in' as const), field: fieldRef, negated: fc.boolean(), operands: fc.array(operand, { minLength: 1, maxLength: 3 }), at: fc.constant(0) }),
  fc.record({ kind: fc.constant('empty' as const), field: fieldRef, negated: fc.boolean(), at: fc.constant(0) }),
  fc.record({
    kind: fc.constant('changed' as const),
    field: fieldRef,
    predicates: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constantFrom('from', 'to', 'by', 'before', 'after', 'on' as const), operands: fc.tuple(operand).map((o) => [...o]), at: fc.constant(0) }),
        fc.record({ kind: fc.constant('during' as const), operands: fc.tuple(operand, operand).map((o) => [...o]), at: fc.constant(0) }),
      ),
      { maxLength: 3 },
    ),
    at: fc.constant(0),
  }),
);
const { clause } = fc.letrec<{ clause: Clause }>((tie) => ({
  clause: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('clause'), { minLength: 2, maxLength: 3 }).map((clauses): Clause => ({ kind: 'and', clauses })),
    fc.array(tie('clause'), { minLength: 2, maxLength: 3 }).map((clauses): Clause => ({ kind: 'or', clauses })),
    tie('clause').map((inner): Clause => ({ kind: 'not', clause: inner })),
  ),
}));
const query: fc.Arbitrary<JqlQuery> = fc.record({
  where: fc.option(clause, { nil: null }),
  orderBy: fc.array(fc.record({ field: fieldRef, direction: fc.constantFrom('asc', 'desc', null) }), { maxLength: 3 }),
});

describe('JQL parser properties', () => {
  it('parses printed queries back to the same tree', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(strip(parseJql(printJql(q)))).toEqual(strip(q));
      }),
      { numRuns: 500 },
    );
  });

  it('only ever throws JqlError, on any input', () => {
    const jqlish = fc.array(fc.constantFrom('status', '=', '!=', '(', ')', ',', 'AND', 'or', 'not', 'in', 'is', 'empty', '"x', '"y"', 'cf[', ']', '10040', 'ORDER', 'BY', '~', '!', '{', 'changed', 'to', '\\', "'", 'issue.property[', '.a'), { maxLength: 12 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string(), jqlish), (input) => {
        try {
          parseJql(input);
        } catch (error) {
          expect(error).toBeInstanceOf(JqlError);
          expect((error as JqlError).messages.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
