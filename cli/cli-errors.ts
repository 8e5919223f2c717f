/** The CLI's own errors, its exit codes, and how every error reads on stderr. */
import {
  AppError,
  InvalidPayloadError,
  JiraHttpError,
  JiraRejectedError,
  JiraUnreachableError,
  MalformedResponseError,
  NotConfiguredError,
  PolicyError,
  RateLimitedError,
} from '../src/shared/app-error';

export const EXIT = {
  ok: 0,
  /** `--fail-on-findings` and the audit found exceptions (or unreadable tickets). */
  findings: 1,
  usage: 2,
  /** Bad input: policy file, export file, JQL, period, ticket data. */
  input: 3,
  /** Jira: bad credentials, no permission, unreachable, rate-limited, other HTTP errors. */
  jira: 4,
  /** Output could not be written (nothing partial is left). */
  output: 5,
  /** `cc81 gate`: the gate denied the deployment. */
  denied: 6,
  /** `cc81 gate`: no decision (the gate refused the call: 401, 429...; unreachable; an answer that is not the gate's). */
  gate: 7,
  internal: 70,
  /** Ctrl-C (SIGINT); SIGTERM gives 143. Output in progress is removed. */
  interrupted: 130,
} as const;

export class UsageError extends AppError {
  readonly code = 'USAGE';
  constructor(
    message: string,
    readonly command: string | null = null,
  ) {
    super(message);
  }
}

/**
 * An input file that cannot be used: an export file that is not the JSON of `search/jql` with
 * `expand=changelog`, or a policy file that cannot be read or is not JSON (a policy's field errors
 * are a `PolicyError`).
 */
export class InputFileError extends AppError {
  readonly code = 'INPUT_FILE';
  constructor(
    readonly kind: 'Export file' | 'Policy file' | 'Evidence key file' | 'Deployment file' | 'Gate record file',
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} ${file}: ${problem}`, options);
  }
}

export class OutputError extends AppError {
  readonly code = 'OUTPUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `cc81 gate` got no decision: the gate refused the call (401, 429, ...), could not be reached, or answered something else. */
export class GateCallError extends AppError {
  readonly code = 'GATE_CALL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const causeText = (error: Error): string => {
  const cause = error.cause;
  if (!(cause instanceof Error)) return '';
  const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
  return `: ${cause.message}${inner}`;
};

/** What the user reads, and the exit code. */
export const describeError = (error: unknown, site: string | null, jqlSent: string | null = null): { exitCode: number; message: string } => {
  if (error instanceof UsageError) return { exitCode: EXIT.usage, message: `${error.message}\nRun \`cc81 ${error.command ? `${error.command} ` : ''}--help\` for usage.` };
  if (error instanceof InvalidPayloadError) return { exitCode: EXIT.usage, message: `${error.issues.map((i) => `${i.path}: ${i.problem}`).join('; ')}` };
  if (error instanceof PolicyError) {
    return { exitCode: EXIT.input, message: `The policy file is invalid:\n${error.fieldErrors.map((f) => `  ${f.path}: ${f.message}`).join('\n')}` };
  }
  if (error instanceof InputFileError) return { exitCode: EXIT.input, message: error.message };
  if (error instanceof NotConfiguredError) return { exitCode: EXIT.input, message: `${error.message}\n${error.whatToDo}` };
  if (error instanceof MalformedResponseError) return { exitCode: EXIT.input, message: error.message };
  if (error instanceof JiraRejectedError) {
    const isSearch = error.endpoint.includes('/search/jql');
    const what = isSearch ? 'Jira rejected the JQL' : `Jira rejected ${error.endpoint} (${error.status})`;
    const sent = isSearch && jqlSent ? `\nJQL sent (yours, with the period's date prefilter): ${jqlSent}` : '';
    return { exitCode: isSearch ? EXIT.input : EXIT.jira, message: `${what}:\n${error.jiraMessages.map((m) => `  ${m}`).join('\n') || '  (no message)'}${sent}` };
  }
  if (error instanceof JiraHttpError) {
    if (error.status === 401) {
      return { exitCode: EXIT.jira, message: `Jira refused the credentials (401) at ${site ?? 'the site'}. Check JIRA_EMAIL and JIRA_API_TOKEN (an API token from https://id.atlassian.com/manage-profile/security/api-tokens).` };
    }
    if (error.status === 403) return { exitCode: EXIT.jira, message: `Jira answered 403 to ${error.endpoint}: the account has no permission for it.` };
    if (error.status === 404) return { exitCode: EXIT.jira, message: `Jira answered 404 to ${error.endpoint}: is ${site ?? 'the site'} the base URL of a Jira Cloud site?` };
    return { exitCode: EXIT.jira, message: `${error.message}. Try again later; if it persists, check the site's status.` };
  }
  if (error instanceof JiraUnreachableError) return { exitCode: EXIT.jira, message: `Could not reach ${site ?? 'Jira'}${causeText(error)}. Check the --site URL and the network.` };
  if (error instanceof RateLimitedError) return { exitCode: EXIT.jira, message: `${error.message}, and retries ran out. Run again later.` };
  if (error instanceof GateCallError) return { exitCode: EXIT.gate, message: `${error.message}${causeText(error)}` };
  if (error instanceof OutputError) return { exitCode: EXIT.output, message: `${error.message}${causeText(error)}` };
  return { exitCode: EXIT.internal, message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` };
};
