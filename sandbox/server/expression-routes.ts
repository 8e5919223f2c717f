/**
 * `POST /rest/api/3/expression/analyse?check=syntax|type|complexity`, answered by the strict
 * interpreter: syntax and the compiler's subset for every check, the static count of expensive
 * operations for `complexity`. The sandbox has no type checker: `type` reports the same errors as
 * `syntax` and no result type. Anything outside the subset is reported invalid (type `other`),
 * which is stricter than Jira. Like Jira, every check refuses an expression over the workflow-rule
 * limits: more than 100 syntax-tree leaves (counted conservatively, operators too) or more than 10
 * expensive operations.
 */
import { z } from 'zod';
import { analyseJiraExpression, syntaxTreeLeaves } from '../jira-expression/interpreter';
import { jiraError, json, parseWith } from './jira-responses';
import { route, Route, RouteContext } from './route-table';

/** What a workflow rule's expression has in scope (FORGE-NOTES.md), besides declared context variables. */
export const RULE_CONTEXT_VARIABLES = ['issue', 'originalIssue', 'user', 'project', 'transition', 'workflow', 'config'] as const;

const CHECKS = ['syntax', 'type', 'complexity'] as const;

export const MAX_LEAVES = 100;
export const MAX_EXPENSIVE_OPERATIONS = 10;

/** Jira's wording for an expression over its limits (the analyse example quotes the node limit). */
const overLimits = (expression: string, expensiveOps: number): string | null => {
  const leaves = syntaxTreeLeaves(expression);
  if (leaves > MAX_LEAVES) return `Jira expression is too complex: too many nodes (${leaves}), limit: ${MAX_LEAVES} leaves.`;
  if (expensiveOps > MAX_EXPENSIVE_OPERATIONS) return `Jira expression is too complex: too many expensive operations (${expensiveOps}), limit: ${MAX_EXPENSIVE_OPERATIONS}.`;
  return null;
};

const AnalyseSchema = z.object({
  expressions: z.array(z.string()).min(1, 'Send at least one expression.').max(100),
  contextVariables: z.record(z.string(), z.string()).optional(),
});

const analyse = (ctx: RouteContext) => {
  const check = ctx.request.query.check ?? 'syntax';
  if (!(CHECKS as readonly string[]).includes(check)) return jiraError(400, [`The check '${check}' is not valid. Use one of: ${CHECKS.join(', ')}.`]);
  const parsed = parseWith(AnalyseSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const names = [...RULE_CONTEXT_VARIABLES, ...Object.keys(parsed.value.contextVariables ?? {})];
  const results = parsed.value.expressions.map((expression) => {
    const analysis = analyseJiraExpression(expression, names);
    if (!analysis.valid) {
      const position = 'position' in analysis.error ? analysis.error.position : null;
      const type = analysis.error.name === 'ExpressionSubsetError' && (analysis.error as { kind?: string }).kind === 'SyntaxError' ? 'syntax' : 'other';
      return { expression, valid: false, errors: [{ message: analysis.error.message, type, ...(position ? { line: position.line, column: position.column } : {}), expression }] };
    }
    const tooComplex = overLimits(expression, analysis.expensiveOps);
    if (tooComplex) return { expression, valid: false, errors: [{ message: tooComplex, type: 'other', expression }] };
    return { expression, valid: true, ...(check === 'complexity' ? { complexity: { expensiveOperations: String(analysis.expensiveOps), variables: {} } } : {}) };
  });
  ctx.deps.log('sandbox-expression', { event: 'analysed', check, count: results.length, invalid: results.filter((r) => !r.valid).length });
  return json(200, { results });
};

export const expressionRoutes = (): Route[] => [route('POST', '/rest/api/3/expression/analyse', analyse)];
