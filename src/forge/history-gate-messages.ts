import {
  AppError,
  HistoryTooLongError,
  InvalidPayloadError,
  JiraHttpError,
  JiraUnreachableError,
  MalformedResponseError,
  NotConfiguredError,
  PolicyError,
  RateLimitedError,
} from '../shared/app-error';

const NOTHING_CHANGED = 'Nothing was changed.';
const READ_HISTORY = "CC8.1 could not read this change's history";
const CHECK = 'CC8.1 could not check this transition';

const httpMessage = (error: JiraHttpError): string => {
  if (error.status === 401 || error.status === 403) {
    return `${READ_HISTORY}: Jira refused the app access (HTTP ${error.status}). ${NOTHING_CHANGED} Ask a Jira admin to check that the CC8.1 app may browse this project, then try again.`;
  }
  if (error.status === 404) {
    return `${READ_HISTORY}: Jira could not find this issue (HTTP 404). ${NOTHING_CHANGED} Reload the issue and try the transition again.`;
  }
  return `${READ_HISTORY}: Jira answered with an error (HTTP ${error.status}). ${NOTHING_CHANGED} Try the transition again in a moment; if it keeps failing, ask a Jira admin to check Jira's status page and the CC8.1 app's logs.`;
};

/**
 * The message a user sees when the history gate cannot decide: what happened, that nothing was
 * changed, and what to do. Never includes payload or response values.
 */
export const gateErrorMessage = (error: unknown): string => {
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterSeconds === null ? '' : ` (retry after ${error.retryAfterSeconds} s)`;
    return `${READ_HISTORY}: Jira is rate limiting requests${wait}. ${NOTHING_CHANGED} Try the transition again in a moment.`;
  }
  if (error instanceof JiraHttpError) return httpMessage(error);
  if (error instanceof JiraUnreachableError) {
    return `${READ_HISTORY}: Jira could not be reached. ${NOTHING_CHANGED} Try the transition again in a moment.`;
  }
  if (error instanceof MalformedResponseError) {
    const where = error.issues.map((i) => i.path).slice(0, 3).join(', ');
    return `${READ_HISTORY}: Jira returned data the app does not understand (${where}). ${NOTHING_CHANGED} Ask a Jira admin to check the CC8.1 field mapping on the CC8.1 admin page, then try again.`;
  }
  if (error instanceof HistoryTooLongError) {
    return `${READ_HISTORY}: it has more than ${error.pageSize} recorded changes to the fields CC8.1 tracks, more than the validator can read in one go. ${NOTHING_CHANGED} Ask a Jira admin or compliance lead to review this change with the CC8.1 audit; the history gate cannot pass it automatically.`;
  }
  if (error instanceof PolicyError) {
    const first = error.fieldErrors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ');
    return `${CHECK}: the stored CC8.1 policy is invalid (${first}). ${NOTHING_CHANGED} Ask a Jira admin to fix the policy on the CC8.1 admin page.`;
  }
  if (error instanceof NotConfiguredError) {
    return `CC8.1 is not set up for this transition: ${error.message}. ${NOTHING_CHANGED} ${error.whatToDo}`;
  }
  if (error instanceof InvalidPayloadError) {
    const where = error.issues.map((i) => i.path).slice(0, 3).join(', ');
    return `${CHECK}: Jira sent the validator a request it does not understand (${where}). ${NOTHING_CHANGED} Ask a Jira admin to check that the CC8.1 history gate is set up on this transition, then try again.`;
  }
  const kind = error instanceof AppError ? error.code : 'unexpected error';
  return `${CHECK} because of an ${kind === 'unexpected error' ? kind : `error (${kind})`}. ${NOTHING_CHANGED} Try again; if it keeps failing, ask a Jira admin to check the CC8.1 app's logs.`;
};
