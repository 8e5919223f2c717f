import api, { assumeTrustedRoute, NeedsAuthenticationError, type RequestInit } from '@forge/api';
import { JiraUnreachableError } from '../shared/app-error';
import { endpointOf, JiraTransport, toUrl } from '../jira/transport';

/** Production transport over `@forge/api`: as the app, or as the invoking user. */
export const forgeTransport =
  (as: 'app' | 'user'): JiraTransport =>
  async (request) => {
    const url = toUrl(request);
    const requester = as === 'app' ? api.asApp() : api.asUser();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) init.body = JSON.stringify(request.body);
    let response;
    try {
      // The path passed SAFE_PATH and its variable parts were validated by jiraPath.
      response = await requester.requestJira(assumeTrustedRoute(url), init);
    } catch (cause) {
      // Forge turns this into the user's "allow access" prompt: it must reach Forge unwrapped.
      if (cause instanceof NeedsAuthenticationError) throw cause;
      throw new JiraUnreachableError(endpointOf(request), { cause });
    }
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      json: (): Promise<unknown> => response.json(),
    };
  };
