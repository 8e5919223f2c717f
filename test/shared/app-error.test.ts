import { z } from 'zod';
import {
  AppError,
  HistoryTooLongError,
  InvalidPayloadError,
  isAppError,
  JiraHttpError,
  JiraUnreachableError,
  MalformedResponseError,
  NotConfiguredError,
  PolicyError,
  RateLimitedError,
} from '../../src/shared/app-error';

describe('AppError family', () => {
  const cause = new Error('underlying');
  const errors: [AppError, string][] = [
    [new JiraHttpError(502, 'GET /rest/api/3/issue/CHG-1', { cause }), 'JIRA_HTTP'],
    [new JiraUnreachableError('GET /rest/api/3/issue/CHG-1', { cause }), 'JIRA_UNREACHABLE'],
    [new RateLimitedError('POST /rest/api/3/changelog/bulkfetch', 5, 'jira-burst-based', { cause }), 'RATE_LIMITED'],
    [new MalformedResponseError('GET x', [{ path: 'id', problem: 'invalid_type' }], { cause }), 'MALFORMED_RESPONSE'],
    [new InvalidPayloadError('validator payload', [{ path: 'issue.key', problem: 'invalid_format' }], { cause }), 'INVALID_PAYLOAD'],
    [new PolicyError([{ path: 'postHoc.windowHours', message: 'The post-hoc window is 48 to 72 hours' }], { cause }), 'POLICY_INVALID'],
    [new NotConfiguredError('status 1 is not mapped', 'Map it.', { cause }), 'NOT_CONFIGURED'],
    [new HistoryTooLongError('CHG-1', 1000, { cause }), 'HISTORY_TOO_LONG'],
  ];

  it.each(errors)('%s extends AppError with a stable code and keeps its cause', (error, code) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(isAppError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe(error.constructor.name);
  });

  it('is not fooled by plain errors', () => {
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isAppError({ code: 'JIRA_HTTP', message: 'x' })).toBe(false);
  });

  it('describes HTTP and rate-limit errors by status and endpoint only', () => {
    expect(new JiraHttpError(500, 'GET /rest/api/3/issue/CHG-1').message).toBe('Jira answered 500 to GET /rest/api/3/issue/CHG-1');
    expect(new RateLimitedError('GET /x', 5, 'jira-quota-global-based').message).toBe('Jira rate-limited GET /x (retry after 5 s) [jira-quota-global-based]');
    expect(new RateLimitedError('GET /x', null, null).message).toBe('Jira rate-limited GET /x');
  });

  it('summarises zod issues by path and kind, without the offending values', () => {
    const result = z.object({ key: z.string(), items: z.array(z.object({ n: z.number() })), kind: z.enum(['a', 'b']) }).safeParse({ key: 7, items: [{ n: 'SECRET-VALUE' }], kind: 'PRIVATE' });
    if (result.success) throw new Error('expected a failure');
    const error = MalformedResponseError.fromZod('GET /rest/api/3/issue/CHG-1', result.error);
    expect(error.issues).toEqual([
      { path: 'key', problem: 'invalid_type, expected string' },
      { path: 'items.0.n', problem: 'invalid_type, expected number' },
      { path: 'kind', problem: 'invalid_value' },
    ]);
    expect(error.message).not.toMatch(/SECRET|PRIVATE|7/);
    expect(error.cause).toBe(result.error);
  });

  it('caps a long issue list in the message', () => {
    const issues = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}`, problem: 'invalid_type' }));
    expect(new InvalidPayloadError('payload', issues).message).toMatch(/f4 \(invalid_type\) and 3 more$/);
  });
});
