import { z } from 'zod';

/** Finding codes shared by the panel, the sweep, the audit and the validators. */
export const FINDING_CODES = [
  'MISSING_FIELD',
  'SKIPPED_STATE',
  'APPROVER_IS_IMPLEMENTER',
  'VERIFIER_IS_IMPLEMENTER',
  'APPROVAL_ACTOR_MISMATCH',
  'APPROVAL_AFTER_IMPLEMENTATION',
  'CHANGED_AFTER_APPROVAL',
  'CAB_MISSING',
  'OUTSIDE_WINDOW',
  'EMERGENCY_POSTHOC_MISSING',
  'EMERGENCY_POSTHOC_LATE',
  'ROLLBACK_UNDOCUMENTED',
  // Beyond the minimum in DESIGN.md:
  'IMPLEMENTATION_ACTOR_MISMATCH',
  'VERIFICATION_ACTOR_MISMATCH',
  'WINDOW_INVALID',
  'STANDARD_RISK_TOO_HIGH',
  'ACTOR_UNKNOWN',
  'NOT_APPROVED',
  'EVIDENCE_TAMPERED',
  'SOD_RELAXATION_USED',
  'RECLASSIFIED_AFTER_IMPLEMENTATION',
  'APPROVER_IS_VERIFIER',
  'SELF_NOMINATED',
  'APPROVER_CHANGED_AFTER_SUBMIT',
] as const;
export const FindingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCodeSchema>;

/** What reconciling deployments with changes finds (issue 19): one finding per deployment, or per change never deployed. */
export const DEPLOYMENT_FINDING_CODES = [
  'DEPLOYMENT_WITHOUT_CHANGE',
  'DEPLOYED_BEFORE_APPROVAL',
  'DEPLOYED_OUTSIDE_WINDOW',
  'DEPLOYER_IS_APPROVER',
  'DEPLOYED_AFTER_CHANGE',
  'CHANGE_NEVER_DEPLOYED',
] as const;
export const DeploymentFindingCodeSchema = z.enum(DEPLOYMENT_FINDING_CODES);
export type DeploymentFindingCode = z.infer<typeof DeploymentFindingCodeSchema>;

export const DEPLOYMENT_FINDING_SEVERITY: Record<DeploymentFindingCode, 'exception' | 'notice'> = {
  DEPLOYMENT_WITHOUT_CHANGE: 'exception',
  DEPLOYED_BEFORE_APPROVAL: 'exception',
  DEPLOYED_OUTSIDE_WINDOW: 'exception',
  DEPLOYER_IS_APPROVER: 'exception',
  DEPLOYED_AFTER_CHANGE: 'exception',
  CHANGE_NEVER_DEPLOYED: 'notice',
};

export const DEPLOYMENT_FINDING_FIX: Record<DeploymentFindingCode, string> = {
  DEPLOYMENT_WITHOUT_CHANGE: 'No change ticket covers this deployment (a detached deployment): find or raise the change and record it as an exception.',
  DEPLOYED_BEFORE_APPROVAL: 'The change had no standing approval when this went out: record it as an exception and have the change approved.',
  DEPLOYED_OUTSIDE_WINDOW: "This went out outside the change's maintenance window: record it as an exception, or reschedule the window first next time.",
  DEPLOYER_IS_APPROVER: 'Whoever deployed also approved the change: have someone other than the approver deploy.',
  DEPLOYED_AFTER_CHANGE: 'A material field changed after approval and before this deployment: the approval no longer covered it; have the change re-approved.',
  CHANGE_NEVER_DEPLOYED: 'The change is marked implemented but no deployment in the log names it: check how it went out, or link the deployment to it.',
};

/** Reasons a transition can be refused that are about the request, not the ticket. */
export const REFUSAL_CODES = ['WRONG_STATE', 'EDGE_NOT_FOR_CHANGE_TYPE', 'CHANGE_CLOSED'] as const;
export const ReasonCodeSchema = z.enum([...FINDING_CODES, ...DEPLOYMENT_FINDING_CODES, ...REFUSAL_CODES]);
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

/** `exception` is what an auditor writes up; `notice` is kept in the evidence but is not an exception. */
export const FINDING_SEVERITY: Record<FindingCode, 'exception' | 'notice'> = {
  MISSING_FIELD: 'exception',
  SKIPPED_STATE: 'exception',
  APPROVER_IS_IMPLEMENTER: 'exception',
  VERIFIER_IS_IMPLEMENTER: 'exception',
  APPROVAL_ACTOR_MISMATCH: 'exception',
  APPROVAL_AFTER_IMPLEMENTATION: 'exception',
  CHANGED_AFTER_APPROVAL: 'exception',
  CAB_MISSING: 'exception',
  OUTSIDE_WINDOW: 'exception',
  EMERGENCY_POSTHOC_MISSING: 'exception',
  EMERGENCY_POSTHOC_LATE: 'exception',
  ROLLBACK_UNDOCUMENTED: 'exception',
  IMPLEMENTATION_ACTOR_MISMATCH: 'exception',
  VERIFICATION_ACTOR_MISMATCH: 'exception',
  WINDOW_INVALID: 'exception',
  STANDARD_RISK_TOO_HIGH: 'exception',
  ACTOR_UNKNOWN: 'exception',
  NOT_APPROVED: 'exception',
  EVIDENCE_TAMPERED: 'exception',
  SOD_RELAXATION_USED: 'notice',
  RECLASSIFIED_AFTER_IMPLEMENTATION: 'exception',
  APPROVER_IS_VERIFIER: 'exception',
  SELF_NOMINATED: 'exception',
  APPROVER_CHANGED_AFTER_SUBMIT: 'exception',
};

/** Plain-language fix for each finding, for the panel and evidence packs. */
export const FINDING_FIX: Record<FindingCode, string> = {
  MISSING_FIELD: 'Fill in the missing field, then repeat the transition.',
  SKIPPED_STATE: 'Move the change back and take every lifecycle step; a skipped step cannot be evidenced.',
  APPROVER_IS_IMPLEMENTER: 'Have someone other than the implementer approve the change.',
  VERIFIER_IS_IMPLEMENTER: 'Have someone other than the implementer verify and close the change.',
  APPROVAL_ACTOR_MISMATCH: 'Only the named approver or a CAB member may approve; re-assess and have them approve.',
  APPROVAL_AFTER_IMPLEMENTATION: 'Approval must come before implementation; record this as an exception.',
  CHANGED_AFTER_APPROVAL: 'A material field changed after approval; send the change back for re-approval.',
  CAB_MISSING: 'Add the CAB reference for this risk level before approval.',
  OUTSIDE_WINDOW: 'Implement inside the maintenance window, or reschedule the window first.',
  EMERGENCY_POSTHOC_MISSING: 'Get post-hoc approval from someone other than the implementer now.',
  EMERGENCY_POSTHOC_LATE: 'Post-hoc approval came after the deadline; review it at the next CAB.',
  ROLLBACK_UNDOCUMENTED: 'Document the rollback outcome of the failed verification.',
  IMPLEMENTATION_ACTOR_MISMATCH: 'Only the named implementer may mark the change implemented.',
  VERIFICATION_ACTOR_MISMATCH: 'Only the named verifier may verify and close the change.',
  WINDOW_INVALID: 'Set a maintenance window whose start is before its end.',
  STANDARD_RISK_TOO_HIGH: 'Only low-risk standard changes may skip approval; take the normal path.',
  ACTOR_UNKNOWN: 'The step was taken by an unidentified actor; have a named person repeat it.',
  NOT_APPROVED: 'Approve the change (by someone other than the implementer) before implementing it.',
  EVIDENCE_TAMPERED: "Someone edited the evidence on the issue: the app's own log is what counts. Find out who from the issue's history and record it as an exception.",
  SOD_RELAXATION_USED: 'Recorded: the low-risk segregation relaxation and its compensating control applied.',
  RECLASSIFIED_AFTER_IMPLEMENTATION:
    'The change type was changed after implementation. Record why; the obligations of the type it was implemented as (post-hoc approval) still apply.',
  APPROVER_IS_VERIFIER: 'Have a third person, neither an approver nor the implementer, verify and close the change.',
  SELF_NOMINATED: 'Someone else must name the approver or verifier; then the person they name acts.',
  APPROVER_CHANGED_AFTER_SUBMIT: 'Send the change back to Draft and submit it again, so it is assessed with its new approver; then that approver approves.',
};
