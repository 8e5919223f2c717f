import { z } from 'zod';
import type { FieldKey } from './change-model';
import { CHANGE_TYPES, ChangeType, Risk, State } from './states';

/**
 * A rule an edge requires. `ruleEvaluator` says where Jira checks it: compiled into a Jira
 * expression, by the history gate (a function validator reading the changelog and the app's
 * evidence log), or both.
 */
export type RuleSpec =
  | { kind: 'required'; field: FieldKey }
  | { kind: 'cabReferenceForRisk' }
  | { kind: 'rollbackOutcomeIfFailed' }
  | { kind: 'windowDefined' }
  | { kind: 'insideWindow' }
  | { kind: 'riskIn'; risks: readonly Risk[] }
  | { kind: 'actorIsNamed'; role: 'approver' | 'implementer' | 'verifier'; allowCab: boolean }
  | { kind: 'actorIsNotImplementer'; as: 'approver' | 'verifier'; relaxableForLowRisk: boolean }
  | { kind: 'actorIsNotApprover'; relaxableForLowRisk: boolean }
  | { kind: 'notSelfNominated'; role: 'approver' | 'verifier' }
  | { kind: 'approverUnchangedSinceSubmit' }
  | { kind: 'actorIsEligible'; role: 'approver' | 'verifier' }
  | { kind: 'recurringWindowReadable' }
  | { kind: 'insideRecurringWindow' }
  | { kind: 'postHocApprovalRecorded' }
  | { kind: 'approvedByNonImplementer' }
  | { kind: 'noMaterialChangeSinceApproval' };

export type RuleKind = RuleSpec['kind'];
/**
 * `history`: only the gate can judge it (it needs the changelog or the app's log).
 * `both`: the expression reads the `cc81.evidence` mirror, which any editor of the issue can
 * write, so it only hides or refuses early; the gate decides from the changelog and the log.
 */
const EVALUATORS: Partial<Record<RuleKind, 'history' | 'both'>> = {
  approvedByNonImplementer: 'history',
  noMaterialChangeSinceApproval: 'history',
  // Gate only: a Close right after the post-hoc approval must not fail on a mirror not yet written.
  postHocApprovalRecorded: 'history',
  // Who set the role field is in the changelog only.
  notSelfNominated: 'history',
  approverUnchangedSinceSubmit: 'history',
  // An RFC 5545 rule is beyond a Jira expression: the gate reads it (with the adapter's occurrences).
  recurringWindowReadable: 'history',
  insideRecurringWindow: 'history',
  actorIsNotImplementer: 'both',
  actorIsNotApprover: 'both',
};
/** Rules that cannot be judged without the changelog (the rest can from the change and its log records). */
export const CHANGELOG_RULES: readonly RuleKind[] = ['approvedByNonImplementer', 'noMaterialChangeSinceApproval', 'notSelfNominated', 'approverUnchangedSinceSubmit'];
/** What the evaluator depends on in a policy: a window kept in date pickers. */
export interface EvaluatorPolicy {
  fields: Partial<Record<FieldKey, string>>;
  fieldTypes?: Partial<Record<FieldKey, string>>;
}
/** A window in date pickers is whole days in the policy's zone, which a Jira expression cannot place: the gate judges it. */
export const windowInDays = (policy?: EvaluatorPolicy): boolean => policy?.fieldTypes?.windowStart === 'date' || policy?.fieldTypes?.windowEnd === 'date';
export const ruleEvaluator = (rule: RuleSpec, policy?: EvaluatorPolicy): 'expression' | 'history' | 'both' => {
  if (windowInDays(policy)) {
    if (rule.kind === 'insideWindow') return 'history';
    if (rule.kind === 'windowDefined') return 'both';
  }
  return EVALUATORS[rule.kind] ?? 'expression';
};
/** Compiled into the Jira expressions. */
export const isCompiledRule = (rule: RuleSpec, policy?: EvaluatorPolicy): boolean => ruleEvaluator(rule, policy) !== 'history';
/** Checked by the history gate. */
export const isGateRule = (rule: RuleSpec, policy?: EvaluatorPolicy): boolean => ruleEvaluator(rule, policy) !== 'expression';

export const EDGE_IDS = [
  'submit',
  'approve',
  'schedule',
  'implement',
  'close',
  'standardSchedule',
  'emergencyImplementFromDraft',
  'emergencyImplementFromAssessment',
  'postHocApprove',
  'sendBack',
  'reassess',
  'reschedule',
  'cancelFromDraft',
  'cancelFromAssessment',
  'cancelFromApproved',
  'cancelFromScheduled',
] as const;
export const EdgeIdSchema = z.enum(EDGE_IDS);
export type EdgeId = z.infer<typeof EdgeIdSchema>;

export type EdgeKind = 'forward' | 'shortcut' | 'loop' | 'back' | 'cancel';

export interface Edge {
  id: EdgeId;
  name: string;
  from: State;
  to: State;
  kind: EdgeKind;
  types: readonly ChangeType[];
  rules: readonly RuleSpec[];
}

const ALL = CHANGE_TYPES;
const req = (...fields: FieldKey[]): RuleSpec[] => fields.map((field) => ({ kind: 'required', field }));

const approverRules: RuleSpec[] = [
  { kind: 'actorIsNamed', role: 'approver', allowCab: true },
  { kind: 'actorIsEligible', role: 'approver' },
  { kind: 'notSelfNominated', role: 'approver' },
  { kind: 'actorIsNotImplementer', as: 'approver', relaxableForLowRisk: true },
];
const implementerActs: RuleSpec = { kind: 'actorIsNamed', role: 'implementer', allowCab: false };
const cancel = (id: EdgeId, from: State): Edge => ({
  id,
  name: 'Cancel',
  from,
  to: 'Closed',
  kind: 'cancel',
  types: ALL,
  rules: req('cancellationReason'),
});

/** The CC8.1 lifecycle as data. Everything else derives from this list. */
export const EDGES: readonly Edge[] = [
  {
    id: 'submit',
    name: 'Submit for assessment',
    from: 'Draft',
    to: 'Assessment',
    kind: 'forward',
    types: ALL,
    rules: req('summary', 'justification', 'changeType', 'risk', 'targetSystems', 'implementer'),
  },
  {
    id: 'approve',
    name: 'Approve',
    from: 'Assessment',
    to: 'Approved',
    kind: 'forward',
    types: ALL,
    rules: [...req('risk', 'testPlan', 'rollbackPlan', 'approver', 'implementer'), { kind: 'cabReferenceForRisk' }, ...approverRules, { kind: 'approverUnchangedSinceSubmit' }],
  },
  {
    id: 'schedule',
    name: 'Schedule',
    from: 'Approved',
    to: 'Scheduled',
    kind: 'forward',
    types: ALL,
    rules: [{ kind: 'windowDefined' }, { kind: 'recurringWindowReadable' }],
  },
  {
    id: 'implement',
    name: 'Mark implemented',
    from: 'Scheduled',
    to: 'Implemented',
    kind: 'forward',
    types: ALL,
    rules: [
      ...req('implementationEvidence', 'implementer'),
      implementerActs,
      { kind: 'insideWindow' },
      { kind: 'insideRecurringWindow' },
      { kind: 'approvedByNonImplementer' },
      { kind: 'noMaterialChangeSinceApproval' },
    ],
  },
  {
    id: 'close',
    name: 'Verify and close',
    from: 'Implemented',
    to: 'Closed',
    kind: 'forward',
    types: ALL,
    rules: [
      ...req('verificationResult', 'verifier', 'implementer'),
      { kind: 'rollbackOutcomeIfFailed' },
      { kind: 'actorIsNamed', role: 'verifier', allowCab: false },
      { kind: 'actorIsEligible', role: 'verifier' },
      { kind: 'notSelfNominated', role: 'verifier' },
      { kind: 'actorIsNotImplementer', as: 'verifier', relaxableForLowRisk: false },
      // Three people: the verifier is neither the implementer nor an approver (issue 15).
      { kind: 'actorIsNotApprover', relaxableForLowRisk: true },
      { kind: 'postHocApprovalRecorded' },
    ],
  },
  {
    id: 'standardSchedule',
    name: 'Schedule standard change',
    from: 'Draft',
    to: 'Scheduled',
    kind: 'shortcut',
    types: ['standard'],
    rules: [
      ...req('summary', 'justification', 'risk', 'targetSystems', 'implementer', 'standardTemplate'),
      { kind: 'riskIn', risks: ['low'] },
      { kind: 'windowDefined' },
      { kind: 'recurringWindowReadable' },
    ],
  },
  ...(['Draft', 'Assessment'] as const).map(
    (from): Edge => ({
      id: from === 'Draft' ? 'emergencyImplementFromDraft' : 'emergencyImplementFromAssessment',
      name: 'Emergency implement',
      from,
      to: 'Implemented',
      kind: 'shortcut',
      types: ['emergency'],
      rules: [...req('summary', 'emergencyJustification', 'targetSystems', 'implementer', 'implementationEvidence'), implementerActs],
    }),
  ),
  {
    id: 'postHocApprove',
    name: 'Post-hoc approve',
    from: 'Implemented',
    to: 'Implemented',
    kind: 'loop',
    types: ['emergency'],
    rules: [...req('approver', 'implementer'), ...approverRules],
  },
  { id: 'sendBack', name: 'Send back', from: 'Assessment', to: 'Draft', kind: 'back', types: ALL, rules: [] },
  { id: 'reassess', name: 'Re-assess', from: 'Approved', to: 'Assessment', kind: 'back', types: ALL, rules: [] },
  { id: 'reschedule', name: 'Reschedule', from: 'Scheduled', to: 'Approved', kind: 'back', types: ALL, rules: [] },
  cancel('cancelFromDraft', 'Draft'),
  cancel('cancelFromAssessment', 'Assessment'),
  cancel('cancelFromApproved', 'Approved'),
  cancel('cancelFromScheduled', 'Scheduled'),
];

const BY_ID = new Map<EdgeId, Edge>(EDGES.map((edge) => [edge.id, edge]));

export const getEdge = (id: EdgeId): Edge => {
  const edge = BY_ID.get(id);
  if (!edge) throw new Error(`Unknown lifecycle edge ${id}`); // unreachable: EdgeId is a closed set
  return edge;
};

/** The lifecycle edge a recorded status change corresponds to, if any. (from, to) is unique. */
export const findEdge = (from: State, to: State): Edge | undefined =>
  EDGES.find((edge) => edge.from === from && edge.to === to);

export const edgesFrom = (state: State): Edge[] => EDGES.filter((edge) => edge.from === state);

export const edgeAppliesTo = (edge: Edge, type: ChangeType | null | undefined): boolean =>
  edge.types.length === CHANGE_TYPES.length || (type != null && edge.types.includes(type));

/** Approvals, every move into Implemented, and the close: the steps an auditor samples. */
export const EVIDENCE_EDGES: ReadonlySet<EdgeId> = new Set(
  EDGES.filter((edge) => edge.id === 'approve' || edge.id === 'postHocApprove' || edge.id === 'close' || edge.to === getEdge('implement').to).map(
    (edge) => edge.id,
  ),
);

/** Whether the history gate (a function validator reading the changelog and the app's log) runs on an edge. */
const RECURRING_RULES: readonly RuleKind[] = ['recurringWindowReadable', 'insideRecurringWindow'];
/**
 * Whether Jira must call the history gate on `edge`. With a policy: the recurring-window rules
 * count only when a recurring window field is mapped (without one, no change has a recurring window).
 */
export const needsHistoryGate = (edge: Edge, policy?: EvaluatorPolicy): boolean =>
  edge.rules.some((rule) => isGateRule(rule, policy) && !(policy && !policy.fields.recurringWindow && RECURRING_RULES.includes(rule.kind)));

/** The risks a standard change's template pre-approves: the standard shortcut's `riskIn` rule. */
export const standardRisks = (): readonly Risk[] => {
  const rule = getEdge('standardSchedule').rules.find((r): r is Extract<RuleSpec, { kind: 'riskIn' }> => r.kind === 'riskIn');
  return rule ? rule.risks : [];
};
