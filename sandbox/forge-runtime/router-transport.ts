/**
 * The app's `JiraTransport`, served in process by the sandbox router instead of Forge's
 * `requestJira`. Behaves like `forgeTransport`: the same path check, JSON in and out (bodies are
 * serialized, so the app never shares objects with the sandbox state), and an unreachable router
 * surfaces as `JiraUnreachableError`.
 */
import { endpointOf, JiraResponse, JiraTransport } from '../../src/jira/transport';
import { InvalidPayloadError, JiraUnreachableError } from '../../src/shared/app-error';
import type { RouterRequest, SandboxRouter } from '../workflow/workflow-port';

/** Who the request is made as: the app (`asApp()`), or a user (`asUser()`, by account id). */
export type TransportCaller = { asApp: true } | { asAccountId: string };

/** The path shape `forgeTransport` accepts (built by `jiraPath`); anything else is an app bug. */
const SAFE_PATH = /^\/rest\/api\/3(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

const serialize = (body: unknown): string | undefined => (body === undefined ? undefined : JSON.stringify(body));

const responseOf = (status: number, headers: Record<string, string>, body: unknown): JiraResponse => {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const text = serialize(body);
  return {
    status,
    header: (name) => lower.get(name.toLowerCase()) ?? null,
    // Like fetch's Response.json(): an empty body is a JSON syntax error.
    json: async (): Promise<unknown> => {
      if (text === undefined) throw new SyntaxError('Unexpected end of JSON input');
      return JSON.parse(text) as unknown;
    },
  };
};

/**
 * A transport that sends each request to the router returned by `router()` (a getter: the router is
 * created after the workflow engine that uses this transport).
 */
export const routerTransport =
  (router: () => SandboxRouter, caller: TransportCaller): JiraTransport =>
  async (request) => {
    if (!SAFE_PATH.test(request.path)) {
      throw new InvalidPayloadError('Jira request', [{ path: 'path', problem: 'not built by jiraPath' }]);
    }
    const text = serialize(request.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (text !== undefined) headers['content-type'] = 'application/json';
    const routed: RouterRequest = {
      method: request.method,
      path: request.path,
      query: { ...(request.query ?? {}) },
      headers,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
      ...caller,
    };
    let answer;
    try {
      answer = await router()(routed);
    } catch (cause) {
      throw new JiraUnreachableError(endpointOf(request), { cause });
    }
    return responseOf(answer.status, answer.headers, answer.body);
  };
