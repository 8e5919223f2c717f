import { EVIDENCE_PROPERTY_KEY, FieldKey, fieldLabel } from '../change-model';
import { EdgeId, getEdge } from '../lifecycle';
import type { Policy } from '../policy';
import { CheckUnit, Vars, checkUnitsFor } from './check-units';
import { CompileOptions, CompileResult, CompiledRule, EXPRESSION_BUDGET, RuleKind } from './compiled-rule';
import { bindField, isExpensiveField, issueMember, presentExpr, str } from './field-access';

interface Rendered {
  expression: string;
  expensiveOps: number;
}

const fieldsOf = (units: readonly CheckUnit[], policy: Policy): FieldKey[] => {
  const keys: FieldKey[] = [];
  for (const u of units) {
    for (const f of u.fields) if (!keys.includes(f)) keys.push(f);
    for (const f of u.optionalFields) if (policy.fields[f] && !keys.includes(f)) keys.push(f);
  }
  return keys;
};

/** Renders units into one expression: bindings, then a boolean (condition) or `true`/message (validator). */
const render = (units: readonly CheckUnit[], kind: RuleKind, edgeName: string, policy: Policy): Rendered => {
  const keys = fieldsOf(units, policy);
  const names = new Map(keys.map((key, i) => [key, `f${i}`]));
  const field = (key: FieldKey) => names.get(key) ?? 'null';
  const vars: Vars = { field, present: (key) => presentExpr(key, field(key), policy.fields[key]!), records: 'rs', implementations: 'im', now: 'now' };
  const lets = keys.flatMap((key) => bindField(key, names.get(key)!, policy.fields[key]!));
  const usesEvidence = units.some((u) => u.evidence);
  if (usesEvidence) {
    lets.push(
      `let ev = issue.properties[${str(EVIDENCE_PROPERTY_KEY)}];`,
      `let rs = ev != null && ev.records != null ? ev.records : [];`,
      `let im = rs.filter(r => r.to == 'Implemented' && r.from != 'Implemented');`,
    );
  }
  if (units.some((u) => u.now)) lets.push('let now = new Date();');

  const required = units.filter((u) => u.required);
  const others = units.filter((u) => !u.required);
  let body: string;
  if (kind === 'condition') {
    body = others.map((u) => `(${u.ok!(vars)})`).join(' && ') || 'true';
  } else {
    const problems: string[] = [];
    if (required.length) {
      const missing = required.map((u) => `${vars.present(u.required!)} ? null : ${str(fieldLabel(u.required!))}`);
      lets.push(`let m = [${missing.join(', ')}].filter(x => x != null);`);
      problems.push(`m.length > 0 ? 'Fill in ' + m.join(', ') + ${str(` to ${edgeName}.`)} : null`);
    }
    for (const u of others) problems.push(`${u.ok!(vars)} ? null : ${str(u.message!)}`);
    lets.push(`let p = [${problems.join(', ')}].filter(x => x != null);`);
    body = `p.length == 0 ? true : p.join(' ')`;
  }
  // Counted conservatively: each custom field and property is read once; group membership may load too.
  const readsGroups = units.some((u) => u.ok?.(vars).includes('user.groups'));
  const expensiveOps = keys.filter((key) => isExpensiveField(policy.fields[key]!)).length + (usesEvidence ? 1 : 0) + (readsGroups ? 1 : 0);
  return { expression: [...lets, body].join(' '), expensiveOps };
};

const unmappedFields = (units: readonly CheckUnit[], policy: Policy): FieldKey[] => {
  const missing = new Set<FieldKey>();
  for (const u of units) for (const f of u.fields) if (!policy.fields[f] || !issueMember(policy.fields[f]!)) missing.add(f);
  return [...missing];
};

/**
 * Compiles the expression-checkable rules of one lifecycle edge into Jira expressions for a
 * workflow condition or validator, with the policy's field ids baked in. Splits into parts to stay
 * inside the budgets; refuses (never emits) what no single expression can hold.
 */
export const compileEdge = (policy: Policy, edgeId: EdgeId, kind: RuleKind, options: CompileOptions = {}): CompileResult => {
  const edge = getEdge(edgeId);
  const maxLength = options.maxLength ?? EXPRESSION_BUDGET.maxLength;
  const units = checkUnitsFor(edge, kind, policy);
  const unmapped = unmappedFields(units, policy);
  if (unmapped.length) {
    return {
      ok: false,
      error: {
        code: 'FIELD_NOT_MAPPED',
        message: `Map ${unmapped.map(fieldLabel).join(', ')} to Jira field${unmapped.length > 1 ? 's' : ''} that workflow rules can read (a custom field, or summary, description or reporter) on the CC8.1 admin page first.`,
      },
    };
  }
  if (kind === 'condition' && units.every((u) => u.required)) return { ok: true, rules: [] };
  if (units.length === 0) return { ok: true, rules: [] };

  const fits = (r: Rendered) => r.expression.length <= maxLength && r.expensiveOps <= EXPRESSION_BUDGET.maxExpensiveOps;
  const parts: CheckUnit[][] = [];
  let current: CheckUnit[] = [];
  for (const u of units) {
    if (fits(render([...current, u], kind, edge.name, policy))) {
      current.push(u);
      continue;
    }
    if (current.length === 0 || !fits(render([u], kind, edge.name, policy))) {
      const alone = render([u], kind, edge.name, policy);
      return {
        ok: false,
        error: {
          code: 'OVER_BUDGET',
          message: `The check "${u.check}" on ${edge.name} needs ${alone.expression.length} characters and ${alone.expensiveOps} expensive operations, over the budget of ${maxLength} characters and ${EXPRESSION_BUDGET.maxExpensiveOps} operations; raise the length budget or simplify the policy.`,
        },
      };
    }
    parts.push(current);
    current = [u];
  }
  if (current.length) parts.push(current);

  const rules: CompiledRule[] = parts.map((partUnits, i) => {
    const { expression, expensiveOps } = render(partUnits, kind, edge.name, policy);
    return { edge: edge.id, kind, part: i + 1, parts: parts.length, expression, length: expression.length, expensiveOps, checks: partUnits.map((u) => u.check) };
  });
  return { ok: true, rules };
};
