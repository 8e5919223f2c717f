/** Codes of what the workflow setup finds wrong with a workflow (plan problems and unavailable plans). */
export const SETUP_PROBLEM_CODES = {
  rulesNotOffered: 'RULES_NOT_OFFERED',
  workflowShared: 'WORKFLOW_SHARED',
  statusNotListed: 'STATUS_NOT_LISTED',
  statusesUnmapped: 'STATUSES_UNMAPPED',
  statusNotInWorkflow: 'STATUS_NOT_IN_WORKFLOW',
  scopeUnset: 'SCOPE_UNSET',
  workflowNotFound: 'WORKFLOW_NOT_FOUND',
  globalTransition: 'GLOBAL_TRANSITION',
  notInLifecycle: 'NOT_IN_LIFECYCLE',
  sharedTransition: 'SHARED_TRANSITION',
  edgeMissing: 'EDGE_MISSING',
} as const;
