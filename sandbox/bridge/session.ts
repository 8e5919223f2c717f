/** The shim's connection to the sandbox: the session the hosting page opened, sent with every call. */
import { bridgeWindow } from './browser-host';
import { BRIDGE_SOURCE, FORGE_UI_PATHS, SESSION_HEADER } from './protocol';

/** The session token from the iframe's URL (`?session=…`), set by the hosting page. */
export const sessionToken = (): string => {
  const token = new URLSearchParams(bridgeWindow().location.search).get('session');
  if (!token) throw new Error('This page runs outside the sandbox host: its URL has no ?session=… (open it from /sandbox/rules).');
  return token;
};

export const sessionHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({ [SESSION_HEADER]: sessionToken(), ...extra });

/** Thrown when the sandbox refuses a bridge call (what the real bridge's errors are to the app). */
export class BridgeCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

const messageOf = async (response: Response): Promise<string> => {
  try {
    const body = (await response.json()) as { errorMessages?: unknown };
    if (Array.isArray(body.errorMessages) && typeof body.errorMessages[0] === 'string') return body.errorMessages[0];
  } catch {
    // not JSON: the status says enough
  }
  return `The sandbox answered ${response.status}.`;
};

/** A JSON call to the sandbox's Forge routes; rejects with BridgeCallError on a non-2xx answer. */
export const callSandbox = async (path: string, init: { method: 'GET' | 'POST'; body?: unknown } = { method: 'GET' }): Promise<unknown> => {
  const response = await fetch(path, {
    method: init.method,
    credentials: 'same-origin',
    headers: sessionHeaders(init.body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' }),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new BridgeCallError(response.status, await messageOf(response));
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
};

/** The Forge context of this session, as `view.getContext()` returns it. */
export const fetchContext = (): Promise<unknown> => callSandbox(`${FORGE_UI_PATHS.context}?session=${encodeURIComponent(sessionToken())}`);

/** Posts a message to the hosting page (same origin only). */
export const postToHost = (type: string, fields: Record<string, unknown> = {}): void => {
  const win = bridgeWindow();
  win.parent.postMessage({ source: BRIDGE_SOURCE, type, ...fields }, win.location.origin);
};
