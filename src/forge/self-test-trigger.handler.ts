import { forgeAppEnvironment } from './app-environment';
import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createSelfTestTrigger } from './self-test-trigger';

/** Production wiring: REST as the app, KVS, the real clock. */
export const selfTestTrigger = (request?: unknown, context?: unknown) =>
  createSelfTestTrigger({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date(), environment: forgeAppEnvironment })(request, context);
