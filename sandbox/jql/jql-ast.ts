/** The JQL syntax tree the parser produces. `at` is the 0-based offset in the query, for errors. */

export type FieldRef =
  | { kind: 'name'; name: string; at: number }
  /** `cf[10040]` */
  | { kind: 'cf'; id: string; at: number }
  /** `issue.property[cc81.status].state` (`path` may be empty) */
  | { kind: 'property'; key: string; path: string[]; at: number };

export type Operand =
  | { kind: 'value'; value: string; at: number }
  | { kind: 'empty'; at: number }
  | { kind: 'function'; name: string; args: string[]; at: number };

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~';

export type ChangedPredicateKind = 'from' | 'to' | 'by' | 'before' | 'after' | 'on' | 'during';
export interface ChangedPredicate {
  kind: ChangedPredicateKind;
  /** One operand, or two for `DURING (a, b)`. */
  operands: Operand[];
  at: number;
}

export type Clause =
  | { kind: 'and'; clauses: Clause[] }
  | { kind: 'or'; clauses: Clause[] }
  | { kind: 'not'; clause: Clause }
  | { kind: 'compare'; field: FieldRef; operator: CompareOperator; operand: Operand; at: number }
  | { kind: 'in'; field: FieldRef; negated: boolean; operands: Operand[]; at: number }
  | { kind: 'empty'; field: FieldRef; negated: boolean; at: number }
  | { kind: 'changed'; field: FieldRef; predicates: ChangedPredicate[]; at: number };

export interface OrderTerm {
  field: FieldRef;
  direction: 'asc' | 'desc' | null;
}

export interface JqlQuery {
  where: Clause | null;
  orderBy: OrderTerm[];
}

/** Jira's reserved words (the ones this grammar uses, and others Jira refuses as bare values). */
export const RESERVED_WORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc', 'changed', 'was',
  'from', 'to', 'before', 'after', 'on', 'during', 'as', 'select', 'where', 'limit', 'if', 'then', 'else',
]);
