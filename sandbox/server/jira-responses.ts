/** Responses in Jira's shapes: JSON bodies, `{ errorMessages, errors }` for every error. */
import type { z } from 'zod';
import type { JiraErrorBody, RouterResponse } from '../workflow/workflow-port';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): RouterResponse => ({ status, headers, body });

/** A success without a body (204, or 200/201 where Jira sends none). */
export const empty = (status = 204): RouterResponse => ({ status, headers: {}, body: undefined });

export const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}): RouterResponse =>
  json(status, { errorMessages, errors } satisfies JiraErrorBody, headers);

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
export const issueNotFound = (): RouterResponse => jiraError(404, [ISSUE_NOT_FOUND]);

export const NOT_AUTHENTICATED = 'Client must be authenticated to access this resource.';
export const unauthorized = (): RouterResponse => jiraError(401, [NOT_AUTHENTICATED]);

/** What Jira answers a non-admin on an endpoint that needs the Administer Jira global permission. */
export const forbiddenForNonAdmin = (what: string): RouterResponse =>
  jiraError(403, [`You must be a Jira administrator to ${what}.`]);

export const INVALID_PAYLOAD = 'Invalid request payload. Refer to the REST API documentation and try again.';

/** A request body or query that failed its zod schema: Jira's 400, naming each problem by path. */
export const invalidRequest = (error: z.ZodError): RouterResponse =>
  jiraError(
    400,
    [INVALID_PAYLOAD],
    Object.fromEntries(error.issues.map((issue) => [issue.path.length ? issue.path.join('.') : '(body)', issue.message])),
  );

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: RouterResponse };

export const parseWith = <S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> => {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, response: invalidRequest(result.error) };
};
