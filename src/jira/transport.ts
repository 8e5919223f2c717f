import { InvalidPayloadError } from '../shared/app-error';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JiraRequest {
  method: HttpMethod;
  /** A path built with `jiraPath` (every variable part validated), e.g. `/rest/api/3/issue/CHG-1`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface JiraResponse {
  status: number;
  header(name: string): string | null;
  json(): Promise<unknown>;
}

/** How the app talks to Jira: Forge's `requestJira` in production, an in-memory fake in tests. */
export type JiraTransport = (request: JiraRequest) => Promise<JiraResponse>;

/** Safe path segments: issue keys and ids, property keys. No slashes, dots-only segments, `?` or `#`. */
const SAFE_SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;
const SAFE_PATH = /^\/rest\/api\/3(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

/**
 * Builds a REST path from a template, validating every interpolated part as one path segment.
 * This is what makes `assumeTrustedRoute` in `forgeTransport` safe.
 */
export const jiraPath = (template: TemplateStringsArray, ...parts: string[]): string => {
  let path = template[0] ?? '';
  parts.forEach((part, i) => {
    if (!SAFE_SEGMENT.test(part) || part.length > 255) {
      throw new InvalidPayloadError('Jira path segment', [{ path: `segment ${i + 1}`, problem: 'not a safe path segment' }]);
    }
    path += part + (template[i + 1] ?? '');
  });
  return path;
};

/** The endpoint a request addresses, for errors and logs (method and path; never the body). */
export const endpointOf = (request: Pick<JiraRequest, 'method' | 'path'>): string => `${request.method} ${request.path}`;

/** The path and query of a request built by `jiraPath`; anything else is refused. */
export const toUrl = (request: JiraRequest): string => {
  if (!SAFE_PATH.test(request.path)) {
    throw new InvalidPayloadError('Jira request', [{ path: 'path', problem: 'not built by jiraPath' }]);
  }
  const query = request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query).toString()}` : '';
  return `${request.path}${query}`;
};

export interface CountingTransport {
  transport: JiraTransport;
  /** Requests made so far, by endpoint (`METHOD path`). */
  readonly calls: readonly string[];
  count(): number;
  reset(): void;
}

/** Wraps a transport and records every request's endpoint, for tests and benchmarks. */
export const countingTransport = (inner: JiraTransport): CountingTransport => {
  const calls: string[] = [];
  return {
    transport: (request) => {
      calls.push(endpointOf(request));
      return inner(request);
    },
    calls,
    count: () => calls.length,
    reset: () => {
      calls.length = 0;
    },
  };
};
