/**
 * The few browser globals the bridge shim uses, typed here: the sandbox's TypeScript config has no
 * DOM library (the shim is type-checked with the server code and bundled by Vite for the browser).
 */

export interface BridgeMessageEvent {
  data: unknown;
  origin: string;
  source: unknown;
}

export interface BridgeWindow {
  location: { search: string; origin: string };
  parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: BridgeMessageEvent) => void): void;
}

export const bridgeWindow = (): BridgeWindow => (globalThis as unknown as { window: BridgeWindow }).window;
