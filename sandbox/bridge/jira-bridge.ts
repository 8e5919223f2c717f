/**
 * The sandbox's `@forge/jira-bridge`: `workflowRules.onConfigure(callback)`. Jira calls the callback
 * when the admin clicks Add / Update in the rule's dialog; here the hosting page (/sandbox/rules)
 * asks over postMessage, and gets back what the callback returned (a string saves; anything else,
 * or a throw, keeps the dialog open, as in Jira).
 */
import { bridgeWindow, BridgeMessageEvent } from './browser-host';
import { HOST_SOURCE, MESSAGES } from './protocol';
import { postToHost } from './session';

type OnConfigureFn = () => Promise<string> | string;

let callback: OnConfigureFn | null = null;
let listening = false;

const isConfigureRequest = (data: unknown): data is { requestId: string } =>
  !!data &&
  typeof data === 'object' &&
  (data as { source?: unknown }).source === HOST_SOURCE &&
  (data as { type?: unknown }).type === MESSAGES.configure &&
  typeof (data as { requestId?: unknown }).requestId === 'string';

const answer = async (requestId: string): Promise<void> => {
  if (!callback) {
    postToHost(MESSAGES.configureResult, { requestId, registered: false });
    return;
  }
  try {
    const result: unknown = await callback();
    postToHost(MESSAGES.configureResult, { requestId, registered: true, ...(typeof result === 'string' ? { result } : {}) });
  } catch (error) {
    postToHost(MESSAGES.configureResult, { requestId, registered: true, error: error instanceof Error ? error.message : String(error) });
  }
};

const listen = (): void => {
  if (listening) return;
  listening = true;
  const win = bridgeWindow();
  win.addEventListener('message', (event: BridgeMessageEvent) => {
    // Only the page that hosts this iframe, on this origin, may ask.
    if (event.origin !== win.location.origin || event.source !== win.parent || !isConfigureRequest(event.data)) return;
    void answer(event.data.requestId);
  });
};

export const onConfigure = async (onConfigureFn: OnConfigureFn): Promise<void> => {
  if (typeof onConfigureFn !== 'function') throw new Error('Unable to add workflow rule configuration callback.');
  callback = onConfigureFn;
  listen();
  postToHost(MESSAGES.configureReady);
};

export const workflowRules = { onConfigure };
