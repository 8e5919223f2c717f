/**
 * The CLI's `JiraTransport`: HTTPS to a Jira Cloud site (or the sandbox) with basic auth (email and
 * API token). A network failure or timeout is `JiraUnreachableError`; a 400 keeps Jira's
 * `errorMessages` (`JiraRejectedError`) so invalid JQL shows Jira's own words.
 */
import { JiraRejectedError, JiraUnreachableError } from '../src/shared/app-error';
import { endpointOf, JiraTransport, toUrl } from '../src/jira/transport';
import { jiraErrorMessages } from '../src/jira/responses';

export interface HttpTransportOptions {
  site: string;
  email: string;
  apiToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const MAX_MESSAGES = 10;

/** `https://example.atlassian.net/` → `https://example.atlassian.net`; only http(s) URLs without a path. */
export const siteBase = (site: string): string | null => {
  let url: URL;
  try {
    url = new URL(site);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
  return url.origin;
};

const rejection = async (response: Response, endpoint: string): Promise<JiraRejectedError> => {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return new JiraRejectedError(response.status, endpoint, jiraErrorMessages(body).slice(0, MAX_MESSAGES));
};

export const httpTransport = (options: HttpTransportOptions): JiraTransport => {
  const base = siteBase(options.site);
  if (!base) throw new TypeError('httpTransport: site must be validated with siteBase first');
  const doFetch = options.fetch ?? fetch;
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return async (request) => {
    const endpoint = endpointOf(request);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: authorization };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${toUrl(request)}`, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new JiraUnreachableError(endpoint, { cause });
    }
    if (response.status === 400) throw await rejection(response, endpoint);
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      json: (): Promise<unknown> => response.json(),
    };
  };
};
