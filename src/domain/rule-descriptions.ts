import { fieldLabel } from './change-model';
import { CHANGE_TYPES } from './states';
import type { Edge, RuleSpec } from './lifecycle';

const describe: { [K in RuleSpec['kind']]: (rule: Extract<RuleSpec, { kind: K }>) => string } = {
  required: (r) => fieldLabel(r.field),
  cabReferenceForRisk: () => 'CAB reference when the risk needs a CAB',
  rollbackOutcomeIfFailed: () => 'rollback outcome when verification failed',
  windowDefined: () => 'maintenance window (start before end) or a recurring window',
  insideWindow: () => 'inside the window (block or flag)',
  recurringWindowReadable: () => 'a recurring window is an RFC 5545 rule the app can read (history)',
  insideRecurringWindow: () => 'inside an occurrence of the recurring window (block or flag; history)',
  riskIn: (r) => `risk is ${r.risks.join(' or ')}`,
  actorIsNamed: (r) => `actor is the named ${r.role}${r.allowCab ? ' or a CAB member' : ''}`,
  actorIsNotImplementer: (r) => `actor is not the implementer${r.relaxableForLowRisk ? ' (low-risk relaxation possible)' : ''}`,
  notSelfNominated: (r) => `actor did not name themselves ${r.role} (history)`,
  actorIsEligible: (r) => `actor may act as ${r.role} under the policy (anyone, a group, or the CAB)`,
  approverUnchangedSinceSubmit: () => 'the approver was not replaced since Submit (history)',
  actorIsNotApprover: (r) => `actor is not an approver${r.relaxableForLowRisk ? ' (low-risk relaxation possible)' : ''}`,
  postHocApprovalRecorded: () => 'post-hoc approval for unapproved emergencies',
  approvedByNonImplementer: () => 'standing approval by a non-implementer (history)',
  noMaterialChangeSinceApproval: () => 'no material change since approval (history)',
};

/** A rule in plain words, for people (panel readiness, docs). */
export const describeRule = (rule: RuleSpec): string => (describe[rule.kind] as (r: RuleSpec) => string)(rule);

/** An edge's requirements in plain words: required fields grouped, then each other rule. */
export const describeEdgeRules = (edge: Edge): string => {
  if (edge.rules.length === 0) return 'nothing';
  const groups: string[][] = [];
  let previousRequired = false;
  for (const rule of edge.rules) {
    const isRequired = rule.kind === 'required';
    if (isRequired && previousRequired) groups[groups.length - 1]!.push(describeRule(rule));
    else groups.push([describeRule(rule)]);
    previousRequired = isRequired;
  }
  return groups.map((g) => g.join(', ')).join('; ');
};

export const describeEdgeTypes = (edge: Edge): string => (edge.types.length === CHANGE_TYPES.length ? 'all' : edge.types.join(', '));
