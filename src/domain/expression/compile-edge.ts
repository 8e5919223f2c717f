import { EVIDENCE_PROPERTY_KEY, FieldKey, fieldLabel } from '../change-model';
import { EdgeId, getEdge } from '../lifecycle';
import type { Policy } from '../policy';
import { CheckUnit, Vars, checkUnitsFor } from './check-units';
import { CompileOptions, CompileResult, CompiledRule, EXPRESSION_BUDGET, RuleKind } from './compiled-rule';
import { countLeaves } from './count-leaves';
import { bindField, isExpensiveField, issueMember, presentExpr, str } from './field-access';

interface Rendered {
  expression: string;
  expensiveOps: number;
  leaves: number;
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
  const vars: Vars = { field, present: (key) => presentExpr(key, field(key), policy.fields[key]!, policy), records: 'rs', implementations: 'im', now: 'now' };
  const lets = keys.flatMap((key) => bindField(key, names.get(key)!, policy.fields[key]!, policy));
  const usesEvidence = units.some((u) => u.evidence);
  if (usesEvidence) {
    lets.push(
      `let ev = issue.properties[${str(EVIDENCE_PROPERTY_KEY)}];`,
      `let rs = ev?.records != null ? ev.records : [];`,
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
    // Each problem: a boolean that must hold, and its message (with `end` appended) when it does not.
    const problems: { ok: string; message: (end: string) => string }[] = [];
    if (required.length === 1) {
      const field = required[0]!.required!;
      problems.push({ ok: vars.present(field), message: (end) => str(`Fill in ${fieldLabel(field)} to ${edgeName}.${end}`) });
    } else if (required.length > 1) {
      const missing = required.map((u) => `${vars.present(u.required!)} ? null : ${str(fieldLabel(u.required!))}`);
      lets.push(`let m = [${missing.join(', ')}].filter(x => x != null);`);
      problems.push({ ok: 'm.length == 0', message: (end) => `'Fill in ' + m.join(', ') + ${str(` to ${edgeName}.${end}`)}` });
    }
    for (const u of others) problems.push({ ok: u.ok!(vars), message: (end) => str(`${u.message!}${end}`) });
    if (problems.length === 1) {
      body = `${problems[0]!.ok} ? true : ${problems[0]!.message('')}`;
    } else {
      // Each message ends in a space; trimming the joined text leaves them separated by single spaces.
      lets.push(`let p = [${problems.map((q) => `${q.ok} ? '' : ${q.message(' ')}`).join(', ')}].join('');`);
      body = `p == '' ? true : p.trim()`;
    }
  }
  // Counted conservatively: each custom field and property is read once; group membership may load too.
  const readsGroups = units.some((u) => u.ok?.(vars).includes('user.groups'));
  const expensiveOps = keys.filter((key) => isExpensiveField(policy.fields[key]!)).length + (usesEvidence ? 1 : 0) + (readsGroups ? 1 : 0);
  const expression = [...lets, body].join(' ');
  return { expression, expensiveOps, leaves: countLeaves(expression) };
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
  const maxLeaves = options.maxLeaves ?? EXPRESSION_BUDGET.maxLeaves;
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

  const fits = (r: Rendered) => r.expression.length <= maxLength && r.expensiveOps <= EXPRESSION_BUDGET.maxExpensiveOps && r.leaves <= maxLeaves;
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
          message: `The check "${u.check}" on ${edge.name} needs ${alone.expression.length} characters, ${alone.expensiveOps} expensive operations and ${alone.leaves} syntax-tree leaves, over the budget of ${maxLength} characters, ${EXPRESSION_BUDGET.maxExpensiveOps} operations and ${maxLeaves} leaves per Jira expression; simplify the policy (for example, a CAB group instead of a long list of CAB account ids).`,
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
