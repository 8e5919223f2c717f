/**
 * Jira's verdict on the compiled rules before an install: `POST /rest/api/3/expression/analyse`
 * (syntax check, which includes Jira's length and syntax-tree limits) for every expression the
 * planned workflow carries, and the rules Jira rejects in words, by transition. Pure.
 */
import type { ExpressionAnalysis } from '../jira/workflow-schemas';
import type { PlannedExpression } from './build-workflow-plan';

/** The distinct expressions to send, in first-seen order. */
export const expressionsToAnalyse = (planned: readonly PlannedExpression[]): string[] => [...new Set(planned.map((p) => p.expression))];

/** One line per planned rule Jira rejected: the transition, the rule, and Jira's messages. */
export const rejectedRules = (planned: readonly PlannedExpression[], sent: readonly string[], results: readonly ExpressionAnalysis[]): string[] => {
  const verdicts = new Map(sent.map((expression, i) => [expression, results[i]]));
  return planned.flatMap((p) => {
    const verdict = verdicts.get(p.expression);
    if (!verdict || verdict.valid) return [];
    const messages = (verdict.errors ?? []).map((e) => e.message).filter((m) => m.trim() !== '');
    const rule = `${p.slot}${p.parts > 1 ? ` part ${p.part} of ${p.parts}` : ''}`;
    return [`"${p.transitionName}" (transition ${p.transitionId}), ${rule}: Jira says: ${messages.join(' ') || 'the expression is not valid (no reason given)'}`];
  });
};
