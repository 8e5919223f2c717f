import type { z } from 'zod';
import type { PolicyFieldError } from '../domain';

/**
 * The one base class of every error the app raises. `code` is stable and safe to log; `message`
 * never carries payload or response values (issue text, field values, response bodies).
 */
export abstract class AppError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Jira answered with a non-2xx status other than 429. The body is deliberately not kept. */
export class JiraHttpError extends AppError {
  readonly code = 'JIRA_HTTP';
  constructor(
    readonly status: number,
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(`Jira answered ${status} to ${endpoint}`, options);
  }
}

/** The request never got an HTTP answer (network failure, platform proxy error). */
export class JiraUnreachableError extends AppError {
  readonly code = 'JIRA_UNREACHABLE';
  constructor(
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(`Jira could not be reached for ${endpoint}`, options);
  }
}

/** Jira answered 429. `retryAfterSeconds` is null when no usable `Retry-After` was sent. */
export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly endpoint: string,
    readonly retryAfterSeconds: number | null,
    readonly reason: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      `Jira rate-limited ${endpoint}${retryAfterSeconds === null ? '' : ` (retry after ${retryAfterSeconds} s)`}${reason ? ` [${reason}]` : ''}`,
      options,
    );
  }
}

/** One schema problem: where, and what kind. Never the offending value. */
export interface IssueSummary {
  path: string;
  problem: string;
}

const MAX_SUMMARISED_ISSUES = 5;

/** Summarises zod issues by path and kind only: zod messages can echo values, so they are not used. */
export const summarizeZodIssues = (issues: readonly z.core.$ZodIssue[]): IssueSummary[] =>
  issues.map((issue) => {
    const expected = 'expected' in issue && typeof issue.expected === 'string' ? `, expected ${issue.expected}` : '';
    return { path: issue.path.map(String).join('.') || '(root)', problem: `${issue.code}${expected}` };
  });

const describeIssues = (issues: readonly IssueSummary[]): string => {
  const shown = issues.slice(0, MAX_SUMMARISED_ISSUES).map((i) => `${i.path} (${i.problem})`);
  const more = issues.length > MAX_SUMMARISED_ISSUES ? ` and ${issues.length - MAX_SUMMARISED_ISSUES} more` : '';
  return `${shown.join('; ')}${more}`;
};

/** A Jira response (or stored value) did not have the shape the app relies on. */
export class MalformedResponseError extends AppError {
  readonly code = 'MALFORMED_RESPONSE';
  readonly issues: IssueSummary[];
  constructor(
    readonly source: string,
    issues: readonly IssueSummary[],
    options?: { cause?: unknown },
  ) {
    super(`Unexpected data from ${source}: ${describeIssues(issues)}`, options);
    this.issues = [...issues];
  }

  static fromZod(source: string, error: z.ZodError, options?: { cause?: unknown }): MalformedResponseError {
    return new MalformedResponseError(source, summarizeZodIssues(error.issues), { cause: options?.cause ?? error });
  }
}

/** What Forge (or a caller) sent the app did not have the expected shape. */
export class InvalidPayloadError extends AppError {
  readonly code = 'INVALID_PAYLOAD';
  readonly issues: IssueSummary[];
  constructor(
    readonly source: string,
    issues: readonly IssueSummary[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid ${source}: ${describeIssues(issues)}`, options);
    this.issues = [...issues];
  }

  static fromZod(source: string, error: z.ZodError): InvalidPayloadError {
    return new InvalidPayloadError(source, summarizeZodIssues(error.issues), { cause: error });
  }
}

/** The stored policy is invalid. Carries `parsePolicy`'s field errors; it is never silently replaced. */
export class PolicyError extends AppError {
  readonly code = 'POLICY_INVALID';
  readonly fieldErrors: PolicyFieldError[];
  constructor(fieldErrors: readonly PolicyFieldError[], options?: { cause?: unknown }) {
    super(`The stored CC8.1 policy is invalid: ${fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, options);
    this.fieldErrors = [...fieldErrors];
  }
}

/** Something an admin must set up first (status or field mapping, a lifecycle step for a transition). */
export class NotConfiguredError extends AppError {
  readonly code = 'NOT_CONFIGURED';
  constructor(
    message: string,
    readonly whatToDo: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The change's history is longer than one read allows (the validator reads at most one page). */
export class HistoryTooLongError extends AppError {
  readonly code = 'HISTORY_TOO_LONG';
  constructor(
    readonly issueKey: string,
    readonly pageSize: number,
    options?: { cause?: unknown },
  ) {
    super(`The changelog of ${issueKey} has more than ${pageSize} matching entries`, options);
  }
}

/**
 * Jira refused a request (400/409: invalid JQL, a configuration change) and said why.
 * `jiraMessages` are Jira's own error texts (about the request, never issue data), safe to show.
 */
export class JiraRejectedError extends AppError {
  readonly code = 'JIRA_REJECTED';
  constructor(
    readonly status: number,
    readonly endpoint: string,
    readonly jiraMessages: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Jira refused ${endpoint} (${status})${jiraMessages.length ? `: ${jiraMessages.join(' ')}` : ''}`, options);
  }
}
