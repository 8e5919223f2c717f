/**
 * Size of a Jira expression's syntax tree, as the leaves Jira limits to 100 ("Jira expression has
 * too many nodes (150), limit: 100 leaves" in the /expression/analyse example; "100 syntactic
 * elements" elsewhere). What Jira counts is unconfirmed, so this reads it conservatively: every
 * leaf of the tree counts, the operator tokens a tree keeps as nodes included. Leaves are:
 * identifiers (member names after `.` too), string and number literals, `true`/`false`/`null`,
 * an empty `[]`, binary operators, `?` and `:`, `=>` and `?.`. Not leaves: `let`, `new`, `=`,
 * unary `!`, brackets and punctuation. For the subset the compiler emits this equals the leaf count
 * of the TypeScript syntax tree of the same text (checked against the test interpreter's parser).
 */

const NOT_LEAVES = new Set(['let', 'new']);
/** Operator tokens by first character, longest first (so `===` wins over `==`, and `!=` over `!`). */
const OPERATORS: Record<string, readonly string[]> = {
  '=': ['===', '==', '=>'],
  '!': ['!==', '!='],
  '?': ['?.', '??', '?'],
  '&': ['&&'],
  '|': ['||'],
  '<': ['<=', '<'],
  '>': ['>=', '>'],
  '+': ['+'],
  '-': ['-'],
  '*': ['*'],
  '/': ['/'],
  '%': ['%'],
  ':': [':'],
};

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentifierStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const isIdentifierPart = (c: string) => isIdentifierStart(c) || isDigit(c);
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

const skipSpace = (source: string, from: number): number => {
  let i = from;
  while (i < source.length && isSpace(source[i]!)) i += 1;
  return i;
};

/** End (exclusive) of the string literal opened at `start`. */
const endOfString = (source: string, start: number): number => {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
  return i + 1;
};

const endOfWord = (source: string, start: number, part: (c: string) => boolean): number => {
  let i = start + 1;
  while (i < source.length && part(source[i]!)) i += 1;
  return i;
};

/** The operator token at `i`, if any. `?.` before a digit is `?` then a number, as in JavaScript. */
const operatorAt = (source: string, i: number): string | undefined =>
  OPERATORS[source[i]!]?.find((o) => source.startsWith(o, i) && !(o === '?.' && isDigit(source[i + 2] ?? '')));

/** Leaves of the syntax tree of `source` (see the module comment for what counts). */
export const countLeaves = (source: string): number => {
  let leaves = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (isSpace(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      leaves += 1;
      i = endOfString(source, i);
    } else if (isDigit(c)) {
      leaves += 1;
      i = endOfWord(source, i, (d) => isDigit(d) || d === '.');
    } else if (isIdentifierStart(c)) {
      const end = endOfWord(source, i, isIdentifierPart);
      if (!NOT_LEAVES.has(source.slice(i, end))) leaves += 1;
      i = end;
    } else if ((c === '[' && source[skipSpace(source, i + 1)] === ']') || (c === '{' && source[skipSpace(source, i + 1)] === '}')) {
      leaves += 1; // an empty list (or map) is a node without children
      i = skipSpace(source, i + 1) + 1;
    } else {
      const op = operatorAt(source, i);
      if (op) leaves += 1;
      i += op?.length ?? 1;
    }
  }
  return leaves;
};
