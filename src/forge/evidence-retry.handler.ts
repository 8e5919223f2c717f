import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createEvidenceRetry, toForgeConsumerResult } from './evidence-retry';

/** Production wiring: REST as the app, KVS, the real clock; a requested retry becomes Forge's `InvocationError`. */
export const evidenceRetry = async (event: unknown) =>
  toForgeConsumerResult(await createEvidenceRetry({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date() })(event));
