import type { ChangeType, EdgeId, FieldKey } from '../../src/domain';

/**
 * Expected values written out from ../shared/DESIGN.md and README "## The lifecycle", never from src.
 * Per edge and path: the fields that must be filled in. `window` = a maintenance window (start and
 * end) or a recurring window. A path missing from an edge's entry cannot take that edge.
 */
export interface Required {
  fields: readonly FieldKey[];
  window: boolean;
}

const ALL_PATHS = (fields: FieldKey[], window = false): Partial<Record<ChangeType, Required>> => ({
  standard: { fields, window },
  normal: { fields, window },
  emergency: { fields, window },
});

export const REQUIRED_BY_EDGE: Record<EdgeId, Partial<Record<ChangeType, Required>>> = {
  submit: ALL_PATHS(['summary', 'justification', 'changeType', 'risk', 'targetSystems', 'implementer']),
  // CAB reference only when the risk needs a CAB: tested on its own.
  approve: ALL_PATHS(['risk', 'testPlan', 'rollbackPlan', 'approver', 'implementer']),
  schedule: ALL_PATHS([], true),
  implement: ALL_PATHS(['implementationEvidence', 'implementer']),
  close: ALL_PATHS(['verificationResult', 'verifier', 'implementer']),
  standardSchedule: { standard: { fields: ['summary', 'justification', 'risk', 'targetSystems', 'implementer', 'standardTemplate'], window: true } },
  emergencyImplementFromDraft: { emergency: { fields: ['summary', 'emergencyJustification', 'targetSystems', 'implementer', 'implementationEvidence'], window: false } },
  emergencyImplementFromAssessment: { emergency: { fields: ['summary', 'emergencyJustification', 'targetSystems', 'implementer', 'implementationEvidence'], window: false } },
  postHocApprove: { emergency: { fields: ['approver', 'implementer'], window: false } },
  sendBack: ALL_PATHS([]),
  reassess: ALL_PATHS([]),
  reschedule: ALL_PATHS([]),
  cancelFromDraft: ALL_PATHS(['cancellationReason']),
  cancelFromAssessment: ALL_PATHS(['cancellationReason']),
  cancelFromApproved: ALL_PATHS(['cancellationReason']),
  cancelFromScheduled: ALL_PATHS(['cancellationReason']),
};

/** The state each edge starts from (README lifecycle table). */
export const EDGE_FROM: Record<EdgeId, 'Draft' | 'Assessment' | 'Approved' | 'Scheduled' | 'Implemented'> = {
  submit: 'Draft',
  approve: 'Assessment',
  schedule: 'Approved',
  implement: 'Scheduled',
  close: 'Implemented',
  standardSchedule: 'Draft',
  emergencyImplementFromDraft: 'Draft',
  emergencyImplementFromAssessment: 'Assessment',
  postHocApprove: 'Implemented',
  sendBack: 'Assessment',
  reassess: 'Approved',
  reschedule: 'Scheduled',
  cancelFromDraft: 'Draft',
  cancelFromAssessment: 'Assessment',
  cancelFromApproved: 'Approved',
  cancelFromScheduled: 'Scheduled',
};

/** The state each edge ends in (README lifecycle table). */
export const EDGE_TO: Record<EdgeId, 'Draft' | 'Assessment' | 'Approved' | 'Scheduled' | 'Implemented' | 'Closed'> = {
  submit: 'Assessment',
  approve: 'Approved',
  schedule: 'Scheduled',
  implement: 'Implemented',
  close: 'Closed',
  standardSchedule: 'Scheduled',
  emergencyImplementFromDraft: 'Implemented',
  emergencyImplementFromAssessment: 'Implemented',
  postHocApprove: 'Implemented',
  sendBack: 'Draft',
  reassess: 'Assessment',
  reschedule: 'Approved',
  cancelFromDraft: 'Closed',
  cancelFromAssessment: 'Closed',
  cancelFromApproved: 'Closed',
  cancelFromScheduled: 'Closed',
};

/**
 * Material fields (README "Identity comes from who acted"): target systems, rollback plan, test
 * plan, risk, implementer, window, change type. Setting the window for the first time does not count.
 */
export const MATERIAL: readonly FieldKey[] = ['changeType', 'targetSystems', 'rollbackPlan', 'testPlan', 'risk', 'implementer', 'windowStart', 'windowEnd', 'recurringWindow'];
export const WINDOW: readonly FieldKey[] = ['windowStart', 'windowEnd', 'recurringWindow'];
/** Fields whose edits never void an approval. */
export const NOT_MATERIAL: readonly FieldKey[] = [
  'summary',
  'justification',
  'requester',
  'approver',
  'verifier',
  'cabReference',
  'implementationEvidence',
  'verificationResult',
  'rollbackOutcome',
  'standardTemplate',
  'emergencyJustification',
  'cancellationReason',
];
