/** The error codes the panel resolver answers with (`{ ok: false, error: { code, message } }`). */
export const PANEL_ERROR_CODES = {
  /** No issue in the Forge context (the resolver was not invoked from the issue panel). */
  noIssue: 'NO_ISSUE_CONTEXT',
  /** The issue does not exist or the caller cannot browse it (Jira 404/403 as the user). */
  notFound: 'NOT_FOUND',
  /** Jira's answer (issue or changelog) did not have the expected shape. */
  malformed: 'MALFORMED',
  rateLimited: 'RATE_LIMITED',
  jiraError: 'JIRA_ERROR',
  unreachable: 'JIRA_UNREACHABLE',
  historyTooLong: 'HISTORY_TOO_LONG',
  policyInvalid: 'POLICY_INVALID',
  internal: 'INTERNAL',
} as const;
export type PanelErrorCode = (typeof PANEL_ERROR_CODES)[keyof typeof PANEL_ERROR_CODES];
