/**
 * The app's workflow rules as a Jira admin installs them on the CC8.1 workflow (README, "Workflow
 * rules"): per transition, the compiled condition and validator parts the rule config page saves,
 * the history gate function validator on the edges with history rules, and the evidence recorder
 * post function on the edges it records. A rule the config page could not compile (an unmapped
 * field, over budget) stays unconfigured and runs the manifest's placeholder, which fails closed.
 */
import { CHANGE_TYPES, CONDITION_RULE_KINDS, Edge, EdgeId, Policy, ruleEvaluator } from '../../domain';
import { CompileErrorCode, compileEdge, RuleConfig, RuleKind } from '../../domain/expression';
import { EVIDENCE_EDGES } from '../../forge/evidence-recorder';
import { hasHistoryRules } from '../../forge/history-gate';
import type { SandboxFunctionKey } from '../forge-runtime/forge-runtime';
import type { WorkflowTransition } from './cc81-workflow';

export const MODULES = {
  condition: 'cc81-transition-condition',
  validator: 'cc81-transition-validator',
  historyGate: 'cc81-history-gate',
  evidenceRecorder: 'cc81-evidence-recorder',
} as const;

/** The manifest's placeholder expressions, which run until an admin saves a compiled rule. */
export const PLACEHOLDER_EXPRESSIONS: Record<RuleKind, string> = {
  condition: 'false',
  validator: '"This CC8.1 rule is not configured yet. A Jira admin must edit this validator, pick the lifecycle step it guards, and save."',
};

export interface InstalledExpressionRule {
  module: typeof MODULES.condition | typeof MODULES.validator;
  kind: RuleKind;
  /** What Jira evaluates: the saved config's expression, or the manifest placeholder. */
  expression: string;
  /** The config the rule config page saved; null when it could not save one. */
  config: RuleConfig | null;
  part: number;
  parts: number;
  checks: string[];
  expensiveOps: number;
  /** Why the rule is unconfigured (the compile error the config page showed); null when configured. */
  unconfigured: { code: CompileErrorCode; message: string } | null;
  /**
   * Where the config came from: `compiled` (the sandbox compiled it from the policy at install,
   * as if an admin had saved every rule) or `saved` (a rule config page saved it, `installRuleConfig`).
   * Absent on placeholders.
   */
  source?: 'compiled' | 'saved';
}

export interface InstalledFunctionRule {
  module: typeof MODULES.historyGate | typeof MODULES.evidenceRecorder;
  /** The manifest function that runs. */
  function: SandboxFunctionKey;
}

export interface InstalledTransitionRules {
  transitionId: string;
  transitionName: string;
  edge: EdgeId;
  from: { id: string; name: string };
  to: { id: string; name: string };
  conditions: InstalledExpressionRule[];
  validators: InstalledExpressionRule[];
  functionValidators: InstalledFunctionRule[];
  postFunctions: InstalledFunctionRule[];
}

const MODULE_OF: Record<RuleKind, InstalledExpressionRule['module']> = { condition: MODULES.condition, validator: MODULES.validator };

/** Whether the edge gets a rule of this kind at all (used when compiling failed, so the compiler cannot say). */
const needsRule = (edge: Edge, kind: RuleKind, policy: Policy): boolean => {
  const restricted = edge.types.length < CHANGE_TYPES.length;
  const expressionRules = edge.rules.filter((rule) => ruleEvaluator(rule) === 'expression');
  if (kind === 'condition') return restricted || expressionRules.some((rule) => CONDITION_RULE_KINDS.includes(rule.kind));
  return restricted || expressionRules.length > 0 || (policy.additionalRequiredFields[edge.id]?.length ?? 0) > 0;
};

const installExpressionRules = (policy: Policy, edge: Edge, kind: RuleKind): InstalledExpressionRule[] => {
  const compiled = compileEdge(policy, edge.id, kind);
  if (!compiled.ok) {
    if (!needsRule(edge, kind, policy)) return [];
    return [
      { module: MODULE_OF[kind], kind, expression: PLACEHOLDER_EXPRESSIONS[kind], config: null, part: 1, parts: 1, checks: [], expensiveOps: 0, unconfigured: compiled.error },
    ];
  }
  return compiled.rules.map((rule) => ({
    module: MODULE_OF[kind],
    kind,
    expression: rule.expression,
    config: { edge: rule.edge, kind, part: rule.part, parts: rule.parts, expression: rule.expression, policyVersion: policy.version },
    part: rule.part,
    parts: rule.parts,
    checks: [...rule.checks],
    expensiveOps: rule.expensiveOps,
    unconfigured: null,
    source: 'compiled' as const,
  }));
};

/**
 * The rule Jira runs once a rule config page saved `config` for it: the saved `expression`
 * replaces the manifest placeholder, and `config` is the rule's `config` variable. What it checks
 * is known only when the expression is what the current policy compiles to.
 */
export const savedExpressionRule = (policy: Policy, config: RuleConfig): InstalledExpressionRule => {
  const compiled = compileEdge(policy, config.edge, config.kind);
  const same = compiled.ok ? compiled.rules.find((rule) => rule.expression === config.expression) : undefined;
  return {
    module: MODULE_OF[config.kind],
    kind: config.kind,
    expression: config.expression,
    config: { ...config },
    part: config.part,
    parts: config.parts,
    checks: same ? [...same.checks] : [],
    expensiveOps: same?.expensiveOps ?? 0,
    unconfigured: null,
    source: 'saved',
  };
};

/** Installs `rule` in place of the rule with the same part (one config per part), parts in order. */
export const withSavedRule = (rules: readonly InstalledExpressionRule[], rule: InstalledExpressionRule): InstalledExpressionRule[] =>
  [...rules.filter((existing) => existing.part !== rule.part), rule].sort((a, b) => a.part - b.part);

/** Compiles and installs every rule of the CC8.1 workflow for `policy`. */
export const installRules = (policy: Policy, transitions: readonly WorkflowTransition[]): InstalledTransitionRules[] =>
  transitions.map((t) => ({
    transitionId: t.id,
    transitionName: t.name,
    edge: t.edge.id,
    from: { id: t.from.id, name: t.from.name },
    to: { id: t.to.id, name: t.to.name },
    conditions: installExpressionRules(policy, t.edge, 'condition'),
    validators: installExpressionRules(policy, t.edge, 'validator'),
    functionValidators: hasHistoryRules(t.edge) ? [{ module: MODULES.historyGate, function: 'history-gate' }] : [],
    postFunctions: EVIDENCE_EDGES.has(t.edge.id) ? [{ module: MODULES.evidenceRecorder, function: 'evidence-recorder' }] : [],
  }));
