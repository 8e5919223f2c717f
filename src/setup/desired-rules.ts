/**
 * The app rules one lifecycle edge needs on its transition, for a policy: the compiled conditions
 * and validator parts (config = the RuleConfig the rule config page would save), the history gate
 * on edges with history rules, and the evidence recorder on the edges it records. An edge that
 * needs a rule the compiler cannot build gets a fail-closed one instead (the condition hides the
 * step, the validator blocks it and says why), never nothing.
 */
import { CHANGE_TYPES, CONDITION_RULE_KINDS, EVIDENCE_EDGES, getEdge, isCompiledRule, needsHistoryGate, type Edge, type EdgeId, type Policy } from '../domain';
import { compileEdge, type RuleConfig, type RuleKind } from '../domain/expression';
import type { RuleSlot } from '../shared/admin-contract';

export interface DesiredRule {
  slot: RuleSlot;
  part: number;
  parts: number;
  /** `parameters.config`: the RuleConfig JSON for expression rules, `{}` for the function modules. */
  config: string;
  checks: string[];
  /** Set on a fail-closed rule: why the real one could not be compiled. */
  unconfigured: { code: string; message: string } | null;
}

/** Whether the edge gets a rule of this kind at all (asked when compiling failed). */
export const edgeNeedsRule = (edge: Edge, kind: RuleKind, policy: Policy): boolean => {
  const restricted = edge.types.length < CHANGE_TYPES.length;
  const expressionRules = edge.rules.filter((rule) => isCompiledRule(rule, policy));
  if (kind === 'condition') return restricted || expressionRules.some((rule) => CONDITION_RULE_KINDS.includes(rule.kind));
  return restricted || expressionRules.length > 0 || (policy.additionalRequiredFields[edge.id]?.length ?? 0) > 0;
};

/** A Jira expression that fails closed: a condition that hides, a validator that blocks with `message`. */
export const failClosedExpression = (kind: RuleKind, edge: Edge, message: string): string =>
  kind === 'condition' ? 'false' : JSON.stringify(`${edge.name} is blocked: its CC8.1 rule could not be built. ${message}`);

const expressionRules = (policy: Policy, policyVersion: number, edge: Edge, kind: RuleKind): DesiredRule[] => {
  const configOf = (c: RuleConfig): string => JSON.stringify(c);
  const compiled = compileEdge(policy, edge.id, kind);
  if (!compiled.ok) {
    if (!edgeNeedsRule(edge, kind, policy)) return [];
    const expression = failClosedExpression(kind, edge, compiled.error.message);
    return [{ slot: kind, part: 1, parts: 1, config: configOf({ edge: edge.id, kind, part: 1, parts: 1, expression, policyVersion }), checks: [], unconfigured: compiled.error }];
  }
  return compiled.rules.map((rule) => ({
    slot: kind,
    part: rule.part,
    parts: rule.parts,
    config: configOf({ edge: edge.id, kind, part: rule.part, parts: rule.parts, expression: rule.expression, policyVersion }),
    checks: [...rule.checks],
    unconfigured: null,
  }));
};

const FUNCTION_CHECKS: Record<'history-gate' | 'evidence-recorder', string> = {
  'history-gate': 'A standing approval by someone other than the implementer, with no material change since (reads the changelog)',
  'evidence-recorder': 'Records who took this step and when in the CC8.1 evidence',
};

const functionRule = (slot: 'history-gate' | 'evidence-recorder'): DesiredRule => ({ slot, part: 1, parts: 1, config: '{}', checks: [FUNCTION_CHECKS[slot]], unconfigured: null });

/** Every app rule `edgeId` needs under `policy`, in install order. */
export const desiredEdgeRules = (policy: Policy, policyVersion: number, edgeId: EdgeId): DesiredRule[] => {
  const edge = getEdge(edgeId);
  return [
    ...expressionRules(policy, policyVersion, edge, 'condition'),
    ...expressionRules(policy, policyVersion, edge, 'validator'),
    ...(needsHistoryGate(edge, policy) ? [functionRule('history-gate')] : []),
    ...(EVIDENCE_EDGES.has(edge.id) ? [functionRule('evidence-recorder')] : []),
  ];
};
