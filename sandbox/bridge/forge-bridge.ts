/**
 * The sandbox's `@forge/bridge` for Custom UI pages it hosts (aliased by
 * static/rule-config/vite.sandbox.config.mts): the same names the app uses, talking to the sandbox
 * over HTTP instead of to Atlassian's host frame.
 *
 * - `invoke(functionKey, payload)`: `POST /sandbox/forge/invoke`; the sandbox runs the app's
 *   resolver for the session's module, with the Forge context of the session (the acting user
 *   comes from the session, never from the page). Resolves with what the resolver returned.
 * - `view.getContext()`: the session's Forge context (`accountId`, `extension`, …).
 * - `view.submit(payload)` / `view.close(payload)`: tell the hosting page (postMessage).
 * - `requestJira(path, init)`: `fetch` to the sandbox's REST API as the session's user.
 */
import { FORGE_UI_PATHS, MESSAGES } from './protocol';
import { callSandbox, fetchContext, postToHost, sessionHeaders } from './session';

let moduleKey: Promise<string> | null = null;

/** The module the page was opened for (from the context, once). */
const currentModuleKey = (): Promise<string> => {
  moduleKey ??= fetchContext().then((context) => String((context as { moduleKey?: unknown }).moduleKey ?? ''));
  return moduleKey;
};

export const invoke = async <T = unknown>(functionKey: string, payload?: unknown): Promise<T> => {
  const key = await currentModuleKey();
  return (await callSandbox(FORGE_UI_PATHS.invoke, { method: 'POST', body: { moduleKey: key, functionKey, payload: payload ?? {} } })) as T;
};

export const view = {
  getContext: (): Promise<unknown> => fetchContext(),
  submit: async (payload?: unknown): Promise<void> => postToHost(MESSAGES.submit, { payload: payload ?? null }),
  close: async (payload?: unknown): Promise<void> => postToHost(MESSAGES.close, { payload: payload ?? null }),
};

/** `requestJira('/rest/api/3/…', init)`: REST as the acting user; resolves with the fetch Response. */
export const requestJira = (path: string, init: RequestInit = {}): Promise<Response> => {
  if (!path.startsWith('/rest/')) return Promise.reject(new Error(`requestJira takes a Jira REST path (/rest/…), not ${path}`));
  const headers = { ...(init.headers as Record<string, string> | undefined), ...sessionHeaders() };
  return fetch(`${FORGE_UI_PATHS.jira}${path}`, { ...init, headers, credentials: 'same-origin' });
};
