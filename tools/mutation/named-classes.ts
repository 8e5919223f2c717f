/**
 * The bug classes issue 13 named, each as one hand-made mutant with the tests that must catch it.
 * `npm run mutate:named` applies each in turn, runs its tests and restores the file: a mutant the tests
 * let through is a survivor (exit 1). Minutes, not hours: a check between Stryker's whole runs.
 */
export interface NamedMutant {
  /** The class, in the words. */
  name: string;
  file: string;
  /** Text that occurs exactly once in `file`, and what replaces it. */
  from: string;
  to: string;
  /** Jest paths whose tests must fail with the mutant in place. */
  tests: readonly string[];
}

const FORGE_WIRING = ['test/forge/production-wiring.test.ts'];

export const NAMED_MUTANTS: readonly NamedMutant[] = [
  // Production wiring reading as the app instead of the user.
  { name: 'panel resolver: user transport as the app', file: 'src/forge/panel-resolver.handler.ts', from: "userTransport: forgeTransport('user')", to: "userTransport: forgeTransport('app')", tests: FORGE_WIRING },
  { name: 'admin resolver: user transport as the app', file: 'src/forge/admin-resolver.handler.ts', from: "userTransport: forgeTransport('user')", to: "userTransport: forgeTransport('app')", tests: FORGE_WIRING },
  { name: 'Administer Jira check as the app', file: 'src/forge/jira-admin-check.ts', from: "import { asUser, route } from '@forge/api';", to: "import { asApp as asUser, route } from '@forge/api';", tests: [...FORGE_WIRING, 'test/forge/jira-admin-check.test.ts'] },
  // Segregation of duties judged by the field instead of the actor.
  { name: 'audit: approver-is-implementer by the field', file: 'src/domain/audit-change.rule.ts', from: 'step.accountId && implementerActs.has(step.accountId)', to: 'step.accountId && (change.fields.implementer as { accountId?: string } | null)?.accountId === step.accountId', tests: ['test/domain'] },
  { name: 'panel: approver pair by the field', file: 'src/panel/build-panel-view.ts', from: '  if (implementers.has(approval.accountId)) {', to: "  if (accountsOf(change.fields, 'implementer').includes(approval.accountId)) {", tests: ['test/panel'] },
  { name: 'panel: verifier pair by the field', file: 'src/panel/build-panel-view.ts', from: '  if (implementers.has(close.accountId)) return', to: "  if (accountsOf(change.fields, 'implementer').includes(close.accountId)) return", tests: ['test/panel'] },
  // The low-risk relaxation applied to every risk.
  { name: 'enforcement: relaxation at any risk', file: 'src/domain/evaluate-transition.rule.ts', from: "if (rule.relaxableForLowRisk && relaxation.enabled && ctx.change.fields.risk === 'low') {\n      ctx.notice('SOD_RELAXATION_USED', `Low-risk relaxation applied: the implementer", to: "if (rule.relaxableForLowRisk && relaxation.enabled) {\n      ctx.notice('SOD_RELAXATION_USED', `Low-risk relaxation applied: the implementer", tests: ['test/domain'] },
  { name: 'audit: relaxation at any risk', file: 'src/domain/audit-change.rule.ts', from: "policy.lowRiskRelaxation.enabled && fieldsAt(change.fields, sorted, at).risk === 'low'", to: 'policy.lowRiskRelaxation.enabled', tests: ['test/domain'] },
  // The audit's SKIPPED_STATE check disabled.
  { name: 'audit: SKIPPED_STATE disabled', file: 'src/domain/audit-change.rule.ts', from: 'if (entry.from !== expectedFrom) {', to: 'if (false) {', tests: ['test/domain'] },
  // Timing.
  { name: 'sweep: overdue an hour early', file: 'src/domain/post-hoc-status.rule.ts', from: 'if (t >= clock.dueAt.getTime()) return', to: 'if (t + 3_600_000 >= clock.dueAt.getTime()) return', tests: ['test/domain', 'test/sweep'] },
  { name: 'sweep: not overdue at the deadline itself', file: 'src/domain/post-hoc-status.rule.ts', from: 'if (t >= clock.dueAt.getTime()) return', to: 'if (t > clock.dueAt.getTime()) return', tests: ['test/domain', 'test/sweep'] },
  { name: 'warning time ignores business hours', file: 'src/domain/post-hoc-status.rule.ts', from: 'warnAt: addBusinessHours(start, windowHours - warnBeforeHours, policy.businessHours)', to: 'warnAt: addBusinessHours(start, windowHours - warnBeforeHours, null)', tests: ['test/domain', 'test/sweep'] },
  { name: 'window end boundary', file: 'src/domain/evaluate-transition.rule.ts', from: 't > windowEnd.getTime()', to: 't >= windowEnd.getTime()', tests: ['test/domain'] },
  { name: 'window start boundary', file: 'src/domain/evaluate-transition.rule.ts', from: 't < windowStart.getTime()', to: 't <= windowStart.getTime()', tests: ['test/domain'] },
  { name: 'compiled implementer check drops the named implementer', file: 'src/domain/expression/check-units.ts', from: "return `(${namesUserExpr(policy, 'implementer', impl)} || ${v.implementations}", to: 'return `(false || ${v.implementations}', tests: ['test/domain/expression'] },
  { name: 'compiled implementer check drops who implemented', file: 'src/domain/expression/check-units.ts', from: ' || ${v.implementations}.some(r => r.accountId == user.accountId))`', to: ')`', tests: ['test/domain/expression'] },
  // The sample generator's constants.
  { name: "sample generator's constant", file: 'src/shared/seeded-random.ts', from: 's = (s + 0x6d2b79f5) >>> 0;', to: 's = (s + 0x6d2b79f7) >>> 0;', tests: ['test/evidence', 'test/shared'] },
  // Found since: compiled rules comparing option labels exactly, where the app's readers do not.
  { name: 'compiled option labels compared by case', file: 'src/domain/expression/field-access.ts', from: 'const normalized = (label: string): string => `${label}.trim().toLowerCase()`;', to: 'const normalized = (label: string): string => `${label}.trim()`;', tests: ['test/domain/expression'] },
];

/** How often `from` occurs in `text`. */
export const occurrences = (text: string, from: string): number => text.split(from).length - 1;
