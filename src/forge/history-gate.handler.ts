import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createHistoryGate, type ValidatorResult } from './history-gate';

/** Production wiring: REST as the app, the policy from KVS, the real clock (read here, in the adapter). */
export const historyGate = (payload: unknown, context?: unknown): Promise<ValidatorResult> =>
  createHistoryGate({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date() })(payload, context);
