/**
 * Evaluates installed expression rules on the strict Jira-expression interpreter, with Jira's
 * verdicts: a condition shows the transition only on `true`; a validator passes only on `true`,
 * shows a returned String as the error, and blocks on anything else. An evaluation error fails
 * closed in both (the condition hides, the validator blocks with a generic message).
 */
import { ExpressionSubsetError, JiraEvaluationError, runJiraExpression, validatorOutcome } from '../jira-expression/interpreter';
import type { JiraIssue, JiraUser } from '../jira-expression/object-model';
import type { InstalledExpressionRule } from './installed-rules';

export interface RuleContext {
  issue: JiraIssue;
  user: JiraUser;
  now: Date;
  /** Validators only: the issue before the transition-screen edits. */
  originalIssue?: JiraIssue;
}

/** Why an expression could not be evaluated (names and codes only, safe to log). */
export interface RuleError {
  errorName: string;
  errorCode: string | null;
}

export type ConditionVerdict = { shown: true } | { shown: false; error: RuleError | null };
export type ValidatorVerdict = { pass: true } | { pass: false; message: string; error: RuleError | null };

export const failClosedMessage = (edgeName: string, rule: Pick<InstalledExpressionRule, 'part' | 'parts'>): string =>
  `The CC8.1 check for ${edgeName}${rule.parts > 1 ? ` (part ${rule.part} of ${rule.parts})` : ''} could not be evaluated, so the transition is blocked. Ask a Jira admin to check the CC8.1 transition validator.`;

const errorOf = (error: unknown): RuleError => ({
  errorName: error instanceof Error ? error.name : typeof error,
  errorCode: error instanceof JiraEvaluationError ? error.code : error instanceof ExpressionSubsetError ? error.kind : null,
});

/** A saved config the app cannot read: never evaluated, fails closed. */
const BROKEN_CONFIG: RuleError = { errorName: 'BrokenRuleConfig', errorCode: null };

const run = (rule: InstalledExpressionRule, context: RuleContext): { value: unknown } | { error: RuleError } => {
  if (rule.broken) return { error: BROKEN_CONFIG };
  try {
    const variables: Record<string, unknown> = { issue: context.issue, user: context.user, config: rule.configValue ?? null, __now: context.now };
    if (context.originalIssue) variables.originalIssue = context.originalIssue;
    return { value: runJiraExpression(rule.expression, variables).value };
  } catch (error) {
    return { error: errorOf(error) };
  }
};

export const evaluateConditionRule = (rule: InstalledExpressionRule, context: RuleContext): ConditionVerdict => {
  const result = run(rule, context);
  if ('error' in result) return { shown: false, error: result.error };
  return result.value === true ? { shown: true } : { shown: false, error: null };
};

export const evaluateValidatorRule = (rule: InstalledExpressionRule, edgeName: string, context: RuleContext): ValidatorVerdict => {
  const result = run(rule, context);
  if ('error' in result) return { pass: false, message: rule.broken?.message ?? failClosedMessage(edgeName, rule), error: result.error };
  const outcome = validatorOutcome(result.value);
  if (outcome.pass) return { pass: true };
  return { pass: false, message: outcome.message || failClosedMessage(edgeName, rule), error: null };
};
