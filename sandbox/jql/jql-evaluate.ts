/**
 * Compiles a parsed JQL query against the sandbox site into a predicate over issues and a sort
 * order. Every problem is collected and thrown together as one `JqlError`, as Jira lists them.
 *
 * Semantics follow Jira: `!=` and `NOT IN` never match an issue whose field is empty; `= EMPTY`
 * is `IS EMPTY`; multi-valued fields (labels) match when any value matches; dates compare as
 * instants, read in the searcher's time zone.
 */
import { parseJiraTimestamp } from '../../src/jira/schemas';
import { fieldOptions, findIssue, findUser, SandboxIssue, SandboxState } from '../state/sandbox-state';
import type { ChangedPredicate, Clause, CompareOperator, JqlQuery, Operand, OrderTerm } from './jql-ast';
import { INVALID_DATE_HINT, parseJqlDate } from './jql-dates';
import { JqlError, outsideSubset, unknownValue, unsupportedOperator } from './jql-errors';
import { JqlField, resolveField, valuesOf } from './jql-fields';

export interface JqlContext {
  state: SandboxState;
  now: Date;
  /** Who searches: `currentUser()`, and the time zone date values are read in (the app: UTC). */
  searcher: { accountId: string; timeZone: string };
}

export type SortValue = string | number | null;

export interface CompiledJql {
  matches(issue: SandboxIssue): boolean;
  /** The issue's position in the result order: one value per ORDER BY term, then the issue id. */
  sortKey(issue: SandboxIssue): SortValue[];
  /** Orders two sort keys (negative: `a` first). */
  compare(a: SortValue[], b: SortValue[]): number;
}

type Predicate = (issue: SandboxIssue) => boolean;
const never: Predicate = () => false;

const MAX_ORDER_TERMS = 7;
const ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;

class Compiler {
  readonly errors: string[] = [];

  constructor(private readonly ctx: JqlContext) {}

  fail(message: string): Predicate {
    if (!this.errors.includes(message)) this.errors.push(message);
    return never;
  }

  field(clauseField: Parameters<typeof resolveField>[1]): JqlField | null {
    const field = resolveField(this.ctx.state, clauseField);
    if (typeof field === 'string') {
      this.fail(field);
      return null;
    }
    return field;
  }

  /** A value operand as the canonical token `valuesOf` yields for this field; null after an error. */
  canonical(field: JqlField, operand: Operand): string | null {
    const { state } = this.ctx;
    if (operand.kind === 'empty') return null;
    if (operand.kind === 'function') {
      if (field.kind === 'user' && operand.name.toLowerCase() === 'currentuser' && operand.args.length === 0) return this.ctx.searcher.accountId;
      this.fail(outsideSubset(`The function '${operand.name}()' on the field '${field.label}'`));
      return null;
    }
    const value = operand.value;
    const lower = value.toLowerCase();
    const missing = (message = unknownValue(value, field.label)) => {
      this.fail(message);
      return null;
    };
    switch (field.kind) {
      case 'project':
        return [state.project.key, state.project.id, state.project.name].some((v) => v.toLowerCase() === lower) ? state.project.id : missing();
      case 'issuetype':
        return [state.issueType.id, state.issueType.name].some((v) => v.toLowerCase() === lower) ? state.issueType.id : missing();
      case 'status':
        return state.statuses.find((s) => s.id === value || s.name.toLowerCase() === lower)?.id ?? missing();
      case 'key': {
        if (!ISSUE_KEY.test(value) && !/^\d+$/.test(value)) return missing(`The issue key '${value}' for field '${field.label}' is invalid.`);
        return findIssue(state, value)?.id ?? missing(`An issue with key '${value}' does not exist for field '${field.label}'.`);
      }
      case 'user':
        return findUser(state, value)?.accountId ?? missing();
      case 'option': {
        const found = field.field ? fieldOptions(state, field.field.id).find((o) => o.value.toLowerCase() === lower || o.id === value) : undefined;
        return found?.id ?? missing(`The option '${value}' for field '${field.label}' does not exist.`);
      }
      case 'property':
        return lower;
      case 'labels':
      case 'text':
      case 'datetime':
        return value;
    }
  }

  date(field: { label: string }, operand: Operand): number | null {
    if (operand.kind === 'function') {
      if (operand.name.toLowerCase() === 'now' && operand.args.length === 0) return this.ctx.now.getTime();
      this.fail(outsideSubset(`The function '${operand.name}()'`));
      return null;
    }
    if (operand.kind === 'empty') {
      this.fail(outsideSubset(`EMPTY in a date comparison on '${field.label}'`));
      return null;
    }
    const ms = parseJqlDate(operand.value, this.ctx.now, this.ctx.searcher.timeZone);
    if (ms === null) this.fail(`Date value '${operand.value}' for field '${field.label}' is invalid. ${INVALID_DATE_HINT}`);
    return ms;
  }

  clause(clause: Clause): Predicate {
    switch (clause.kind) {
      case 'and': {
        const parts = clause.clauses.map((c) => this.clause(c));
        return (issue) => parts.every((p) => p(issue));
      }
      case 'or': {
        const parts = clause.clauses.map((c) => this.clause(c));
        return (issue) => parts.some((p) => p(issue));
      }
      case 'not': {
        const inner = this.clause(clause.clause);
        return (issue) => !inner(issue);
      }
      case 'empty': {
        const field = this.field(clause.field);
        if (!field) return never;
        return (issue) => (valuesOf(issue, field).length === 0) !== clause.negated;
      }
      case 'compare':
        return this.compare(clause.field, clause.operator, clause.operand);
      case 'in':
        return this.in(clause.field, clause.negated, clause.operands);
      case 'changed':
        return this.changed(clause.field, clause.predicates);
    }
  }

  compare(ref: Parameters<typeof resolveField>[1], operator: CompareOperator, operand: Operand): Predicate {
    const field = this.field(ref);
    if (!field) return never;
    if (operand.kind === 'empty' && (operator === '=' || operator === '!=')) {
      return (issue) => (valuesOf(issue, field).length === 0) === (operator === '=');
    }
    if (operator === '~' || operator === '!~') {
      return this.fail(field.kind === 'text' ? outsideSubset(`The operator '${operator}'`) : unsupportedOperator(operator, field.label));
    }
    if (field.kind === 'text') return this.fail(unsupportedOperator(operator, field.label));
    if (field.kind === 'datetime') {
      const ms = this.date(field, operand);
      if (ms === null) return never;
      const test = DATE_OPERATORS[operator];
      return (issue) => valuesOf(issue, field).some((v) => test(Number(v), ms));
    }
    if (operator !== '=' && operator !== '!=') {
      return this.fail(field.kind === 'key' ? outsideSubset(`The operator '${operator}' on issue keys`) : unsupportedOperator(operator, field.label));
    }
    const wanted = this.canonical(field, operand);
    if (wanted === null) return never;
    if (operator === '=') return (issue) => valuesOf(issue, field).includes(wanted);
    return (issue) => {
      const values = valuesOf(issue, field);
      return values.length > 0 && !values.includes(wanted);
    };
  }

  in(ref: Parameters<typeof resolveField>[1], negated: boolean, operands: Operand[]): Predicate {
    const field = this.field(ref);
    if (!field) return never;
    if (field.kind === 'text') return this.fail(unsupportedOperator(negated ? 'NOT IN' : 'IN', field.label));
    const withEmpty = operands.some((o) => o.kind === 'empty');
    const values = operands.filter((o) => o.kind !== 'empty');
    const canonical =
      field.kind === 'datetime' ? values.map((o) => this.date(field, o)).map((ms) => (ms === null ? null : String(ms))) : values.map((o) => this.canonical(field, o));
    if (canonical.some((c) => c === null)) return never;
    const set = new Set(canonical as string[]);
    if (!negated) {
      return (issue) => {
        const current = valuesOf(issue, field);
        return (withEmpty && current.length === 0) || current.some((v) => set.has(v));
      };
    }
    return (issue) => {
      const current = valuesOf(issue, field);
      return current.length > 0 && !current.some((v) => set.has(v));
    };
  }

  changed(ref: Parameters<typeof resolveField>[1], predicates: ChangedPredicate[]): Predicate {
    const field = this.field(ref);
    if (!field) return never;
    if (field.kind !== 'status') return this.fail(outsideSubset(`CHANGED on the field '${field.label}'`));
    const itemTests: ((item: { from: string | null; to: string | null }) => boolean)[] = [];
    const historyTests: ((history: SandboxIssue['changelog'][number]) => boolean)[] = [];
    for (const predicate of predicates) {
      const operand = predicate.operands[0]!;
      switch (predicate.kind) {
        case 'from':
        case 'to': {
          if (operand.kind === 'empty') return this.fail(outsideSubset(`CHANGED ${predicate.kind.toUpperCase()} EMPTY`));
          const id = this.canonical(field, operand);
          if (id === null) return never;
          const side = predicate.kind;
          itemTests.push((item) => item[side] === id);
          break;
        }
        case 'by': {
          if (operand.kind === 'empty') return this.fail(outsideSubset('CHANGED BY EMPTY'));
          const byCurrentUser = operand.kind === 'function' && operand.name.toLowerCase() === 'currentuser' && operand.args.length === 0;
          const accountId = byCurrentUser ? this.ctx.searcher.accountId : operand.kind === 'value' ? findUser(this.ctx.state, operand.value)?.accountId : undefined;
          if (accountId === undefined) {
            const name = operand.kind === 'value' ? operand.value : `${operand.name}()`;
            return this.fail(`The user '${name}' does not exist and cannot be used in the 'by' predicate.`);
          }
          historyTests.push((history) => history.author?.accountId === accountId);
          break;
        }
        case 'before':
        case 'after': {
          const ms = this.date({ label: field.label }, operand);
          if (ms === null) return never;
          const before = predicate.kind === 'before';
          historyTests.push((history) => {
            const at = parseJiraTimestamp(history.created)?.getTime();
            return at !== undefined && (before ? at < ms : at > ms);
          });
          break;
        }
        default:
          return this.fail(outsideSubset(`The predicate '${predicate.kind.toUpperCase()}' of CHANGED`));
      }
    }
    return (issue) =>
      issue.changelog.some(
        (history) => historyTests.every((t) => t(history)) && history.items.some((item) => item.fieldId === 'status' && itemTests.every((t) => t(item))),
      );
  }

  order(terms: OrderTerm[]): { key: (issue: SandboxIssue) => SortValue[]; directions: number[] } {
    if (terms.length > MAX_ORDER_TERMS) this.fail(`The ORDER BY clause can contain at most ${MAX_ORDER_TERMS} fields.`);
    const effective: OrderTerm[] = terms.length ? terms : [{ field: { kind: 'name', name: 'key', at: 0 }, direction: 'desc' }];
    const keys: ((issue: SandboxIssue) => SortValue)[] = [];
    const directions: number[] = [];
    for (const term of effective) {
      const field = this.field(term.field);
      if (!field) continue;
      if (field.kind === 'key') {
        keys.push((issue) => Number(ISSUE_KEY.exec(issue.key)?.[2] ?? issue.id));
      } else if (field.kind === 'datetime' && (field.fieldId === 'created' || field.fieldId === 'updated')) {
        keys.push((issue) => {
          const [ms] = valuesOf(issue, field);
          return ms === undefined ? null : Number(ms);
        });
      } else {
        this.fail(outsideSubset(`ORDER BY ${field.label}`));
        continue;
      }
      directions.push(term.direction === 'desc' ? -1 : 1);
    }
    return { key: (issue) => [...keys.map((k) => k(issue)), Number(issue.id)], directions: [...directions, 1] };
  }
}

const DATE_OPERATORS: Record<Exclude<CompareOperator, '~' | '!~'>, (value: number, wanted: number) => boolean> = {
  '=': (v, w) => v === w,
  '!=': (v, w) => v !== w,
  '<': (v, w) => v < w,
  '<=': (v, w) => v <= w,
  '>': (v, w) => v > w,
  '>=': (v, w) => v >= w,
};

const compareValues = (a: SortValue, b: SortValue): number => {
  if (a === b) return 0;
  if (a === null) return 1; // empty values sort last in either direction
  if (b === null) return -1;
  return a < b ? -1 : 1;
};

/** Compiles `query` for `ctx`; throws `JqlError` listing every problem. Without ORDER BY: key DESC. */
export const compileJql = (query: JqlQuery, ctx: JqlContext): CompiledJql => {
  const compiler = new Compiler(ctx);
  const matches = query.where ? compiler.clause(query.where) : () => true;
  const order = compiler.order(query.orderBy);
  if (compiler.errors.length) throw new JqlError(compiler.errors);
  return {
    matches,
    sortKey: order.key,
    compare: (a, b) => {
      for (let i = 0; i < order.directions.length; i += 1) {
        const va = a[i] ?? null;
        const vb = b[i] ?? null;
        const c = va === null || vb === null ? compareValues(va, vb) : compareValues(va, vb) * order.directions[i]!;
        if (c !== 0) return c;
      }
      return 0;
    },
  };
};

