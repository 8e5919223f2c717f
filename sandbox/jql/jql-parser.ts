/**
 * A recursive-descent parser for the JQL subset the sandbox serves:
 *
 *   query     := [or] [ORDER BY term ("," term)*] EOF
 *   or        := and (OR and)*
 *   and       := not (AND not)*
 *   not       := NOT not | "(" or ")" | clause
 *   clause    := field ( operator operand
 *                      | [NOT] IN list
 *                      | IS [NOT] (EMPTY | NULL)
 *                      | CHANGED predicate* )
 *   operator  := "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~"
 *   predicate := (FROM | TO | BY | BEFORE | AFTER | ON) operand | DURING "(" operand "," operand ")"
 *   list      := "(" operand ("," operand)* ")"
 *   operand   := string | word | EMPTY | NULL | word "(" [arg ("," arg)*] ")"
 *   field     := string | word | cf "[" digits "]" | issue.property "[" key "]" [".path"]
 *   term      := field [ASC | DESC]
 *
 * Keywords are case-insensitive; reserved words must be quoted to be used as values. Errors are
 * Jira's syntax errors (`Error in the JQL Query: … (line 1, character N)`).
 */
import { ChangedPredicate, ChangedPredicateKind, Clause, CompareOperator, FieldRef, JqlQuery, Operand, OrderTerm, RESERVED_WORDS } from './jql-ast';
import { endError, JqlError, outsideSubset, syntaxError } from './jql-errors';
import { Token, tokenize } from './jql-tokenizer';

const PREDICATES = new Set<ChangedPredicateKind>(['from', 'to', 'by', 'before', 'after', 'on', 'during']);
const OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT' and 'CHANGED'";

const lower = (token: Token): string => (token.kind === 'word' ? token.text.toLowerCase() : '');

class Parser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.i += 1;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    return lower(this.peek(offset)) === word;
  }

  /** `Expecting X but got 'Y'.`, or `Expecting X before the end of the query.` */
  private expected(what: string, extra = '', use = 'a value'): JqlError {
    const token = this.peek();
    if (token.kind === 'eof') return endError(`Expecting ${what} before the end of the query.${extra}`);
    const got = this.source.slice(token.at, token.end);
    const quote = token.kind === 'word' && RESERVED_WORDS.has(lower(token)) ? ` You must surround '${got}' in quotation marks to use it as ${use}.` : '';
    return syntaxError(this.source, token.at, `Expecting ${what} but got '${got}'.${quote}${extra}`);
  }

  private expect(kind: Token['kind'], what: string): Token {
    if (this.peek().kind !== kind) throw this.expected(what);
    return this.next();
  }

  parse(): JqlQuery {
    let where: Clause | null = null;
    if (this.peek().kind !== 'eof' && !this.isKeyword('order')) where = this.or();
    const orderBy: OrderTerm[] = [];
    if (this.isKeyword('order')) {
      this.next();
      if (!this.isKeyword('by')) throw this.expected("'BY'");
      this.next();
      orderBy.push(this.term());
      while (this.peek().kind === ',') {
        this.next();
        orderBy.push(this.term());
      }
      if (this.peek().kind !== 'eof') throw this.expected("either 'ASC', 'DESC' or ','");
    }
    if (this.peek().kind !== 'eof') throw this.expected(where ? "either 'OR' or 'AND'" : 'a field name');
    return { where, orderBy };
  }

  private or(): Clause {
    const clauses = [this.and()];
    while (this.isKeyword('or')) {
      this.next();
      clauses.push(this.and());
    }
    return clauses.length === 1 ? clauses[0]! : { kind: 'or', clauses };
  }

  private and(): Clause {
    const clauses = [this.not()];
    while (this.isKeyword('and')) {
      this.next();
      clauses.push(this.not());
    }
    return clauses.length === 1 ? clauses[0]! : { kind: 'and', clauses };
  }

  private not(): Clause {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', clause: this.not() };
    }
    if (this.peek().kind === '(') {
      this.next();
      const clause = this.or();
      if (this.peek().kind !== ')') throw this.expected("')'");
      this.next();
      return clause;
    }
    return this.clause();
  }

  private clause(): Clause {
    const field = this.field();
    const token = this.peek();
    const at = token.at;
    if (token.kind === 'operator') {
      this.next();
      return { kind: 'compare', field, operator: token.text as CompareOperator, operand: this.operand(), at };
    }
    switch (lower(token)) {
      case 'not':
        this.next();
        if (!this.isKeyword('in')) throw this.expected("'IN'");
        this.next();
        return { kind: 'in', field, negated: true, operands: this.list(), at };
      case 'in':
        this.next();
        return { kind: 'in', field, negated: false, operands: this.list(), at };
      case 'is': {
        this.next();
        const negated = this.isKeyword('not');
        if (negated) this.next();
        if (!this.isKeyword('empty') && !this.isKeyword('null')) throw this.expected(negated ? "either 'EMPTY' or 'NULL'" : "either 'NOT', 'EMPTY' or 'NULL'");
        this.next();
        return { kind: 'empty', field, negated, at };
      }
      case 'changed':
        this.next();
        return { kind: 'changed', field, predicates: this.predicates(), at };
      case 'was':
        throw new JqlError([outsideSubset("The operator 'WAS'")]);
      default:
        throw this.expected('operator', ` The valid operators are ${OPERATORS}.`);
    }
  }

  private predicates(): ChangedPredicate[] {
    const predicates: ChangedPredicate[] = [];
    for (let word = lower(this.peek()); PREDICATES.has(word as ChangedPredicateKind); word = lower(this.peek())) {
      const at = this.next().at;
      const kind = word as ChangedPredicateKind;
      if (kind === 'during') {
        this.expect('(', "'('");
        const from = this.operand();
        this.expect(',', "','");
        const to = this.operand();
        this.expect(')', "')'");
        predicates.push({ kind, operands: [from, to], at });
      } else {
        predicates.push({ kind, operands: [this.operand()], at });
      }
    }
    return predicates;
  }

  private list(): Operand[] {
    if (this.peek().kind !== '(') throw this.expected("'('");
    this.next();
    const operands = [this.operand()];
    while (this.peek().kind === ',') {
      this.next();
      operands.push(this.operand());
    }
    if (this.peek().kind !== ')') throw this.expected("either ',' or ')'");
    this.next();
    return operands;
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'value', value: token.text, at: token.at };
    }
    if (token.kind === 'word') {
      const word = lower(token);
      if (word === 'empty' || word === 'null') {
        this.next();
        return { kind: 'empty', at: token.at };
      }
      if (!RESERVED_WORDS.has(word)) {
        this.next();
        if (this.peek().kind === '(') return { kind: 'function', name: token.text, args: this.args(), at: token.at };
        return { kind: 'value', value: token.text, at: token.at };
      }
    }
    throw this.expected('either a value, list or function');
  }

  private args(): string[] {
    this.next(); // (
    const args: string[] = [];
    if (this.peek().kind === ')') {
      this.next();
      return args;
    }
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'word' && token.kind !== 'string') throw this.expected('a function argument');
      args.push(this.next().text);
      if (this.peek().kind === ')') {
        this.next();
        return args;
      }
      this.expect(',', "either ',' or ')'");
    }
  }

  private field(): FieldRef {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'name', name: token.text, at: token.at };
    }
    if (token.kind !== 'word' || RESERVED_WORDS.has(lower(token))) throw this.expected('a field name', '', 'a field name');
    this.next();
    const word = lower(token);
    if (word === 'cf' && this.peek().kind === '[') {
      this.next();
      const id = this.peek();
      if (id.kind !== 'word' || !/^\d+$/.test(id.text)) throw this.expected('a custom field id');
      this.next();
      this.expect(']', "']'");
      return { kind: 'cf', id: id.text, at: token.at };
    }
    if (word === 'issue.property' && this.peek().kind === '[') {
      const open = this.next();
      while (this.peek().kind !== ']' && this.peek().kind !== 'eof') this.next();
      const close = this.expect(']', "']'");
      const key = this.source.slice(open.end, close.at).trim();
      if (!key) throw syntaxError(this.source, open.at, 'Expecting a property key.');
      const after = this.peek();
      let path: string[] = [];
      if (after.kind === 'word' && after.at === close.end && after.text.startsWith('.')) {
        this.next();
        path = after.text.slice(1).split('.');
        if (path.some((segment) => !segment)) throw syntaxError(this.source, after.at, `The property path '${after.text}' is invalid.`);
      }
      return { kind: 'property', key, path, at: token.at };
    }
    return { kind: 'name', name: token.text, at: token.at };
  }

  private term(): OrderTerm {
    const field = this.field();
    if (this.isKeyword('asc') || this.isKeyword('desc')) return { field, direction: lower(this.next()) as 'asc' | 'desc' };
    return { field, direction: null };
  }
}

/** Parses a JQL query; throws `JqlError` with Jira's message on a syntax error. */
export const parseJql = (source: string): JqlQuery => new Parser(source).parse();
