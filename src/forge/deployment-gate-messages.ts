/** What a pipeline is told when the deployment gate cannot decide: the answer is no, why, and what to do. Never payload values. */
import { AppError, HistoryTooLongError, JiraHttpError, JiraUnreachableError, MalformedResponseError, PolicyError, RateLimitedError } from '../shared/app-error';

const NO = 'The gate says no: do not deploy.';

export const gateFailureMessage = (error: unknown): string => {
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterSeconds === null ? '' : ` (retry after ${error.retryAfterSeconds} s)`;
    return `Jira is rate limiting the app${wait}. ${NO} Retry the call in a moment.`;
  }
  if (error instanceof JiraHttpError) {
    if (error.status === 401 || error.status === 403) return `Jira refused the app access to the change (HTTP ${error.status}). ${NO} Ask a Jira admin to check that the CC8.1 app may browse the change project.`;
    return `Jira answered with an error (HTTP ${error.status}). ${NO} Retry in a moment; if it keeps failing, check Jira's status page.`;
  }
  if (error instanceof JiraUnreachableError) return `Jira could not be reached. ${NO} Retry in a moment.`;
  if (error instanceof MalformedResponseError) return `Jira returned data the app does not understand (${error.issues.map((i) => i.path).slice(0, 3).join(', ')}). ${NO} Ask a Jira admin to check the CC8.1 field mapping.`;
  if (error instanceof HistoryTooLongError) return `The change has more history than the gate reads in one call. ${NO} Ask a compliance lead to review it with the CC8.1 audit.`;
  if (error instanceof PolicyError) return `The stored CC8.1 policy is invalid. ${NO} Ask a Jira admin to fix it on the CC8.1 admin page.`;
  const kind = error instanceof AppError ? ` (${error.code})` : '';
  return `The gate could not decide because of an error${kind}. ${NO} Retry; if it keeps failing, ask a Jira admin to check the CC8.1 app's logs.`;
};
