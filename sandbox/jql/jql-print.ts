/** Prints a JQL syntax tree back to a query the parser reads to the same tree (values always quoted). */
import { Clause, FieldRef, JqlQuery, Operand, RESERVED_WORDS } from './jql-ast';

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

const BARE_FIELD = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const printField = (field: FieldRef): string => {
  switch (field.kind) {
    case 'cf':
      return `cf[${field.id}]`;
    case 'property':
      return `issue.property[${field.key}]${field.path.map((segment) => `.${segment}`).join('')}`;
    case 'name':
      return BARE_FIELD.test(field.name) && !RESERVED_WORDS.has(field.name.toLowerCase()) && field.name.toLowerCase() !== 'cf' ? field.name : quote(field.name);
  }
};

export const printOperand = (operand: Operand): string => {
  switch (operand.kind) {
    case 'empty':
      return 'EMPTY';
    case 'value':
      return quote(operand.value);
    case 'function':
      return `${operand.name}(${operand.args.map(quote).join(', ')})`;
  }
};

const nested = (clause: Clause): string => (clause.kind === 'and' || clause.kind === 'or' ? `(${printClause(clause)})` : printClause(clause));

export const printClause = (clause: Clause): string => {
  switch (clause.kind) {
    case 'and':
      return clause.clauses.map(nested).join(' AND ');
    case 'or':
      return clause.clauses.map(nested).join(' OR ');
    case 'not':
      return `NOT ${nested(clause.clause)}`;
    case 'compare':
      return `${printField(clause.field)} ${clause.operator} ${printOperand(clause.operand)}`;
    case 'in':
      return `${printField(clause.field)} ${clause.negated ? 'NOT IN' : 'IN'} (${clause.operands.map(printOperand).join(', ')})`;
    case 'empty':
      return `${printField(clause.field)} IS ${clause.negated ? 'NOT ' : ''}EMPTY`;
    case 'changed': {
      const predicates = clause.predicates.map((p) =>
        p.kind === 'during' ? `DURING (${p.operands.map(printOperand).join(', ')})` : `${p.kind.toUpperCase()} ${printOperand(p.operands[0]!)}`,
      );
      return [`${printField(clause.field)} CHANGED`, ...predicates].join(' ');
    }
  }
};

export const printJql = (query: JqlQuery): string => {
  const where = query.where ? printClause(query.where) : '';
  const order = query.orderBy.length
    ? `ORDER BY ${query.orderBy.map((t) => `${printField(t.field)}${t.direction ? ` ${t.direction.toUpperCase()}` : ''}`).join(', ')}`
    : '';
  return [where, order].filter(Boolean).join(' ');
};
