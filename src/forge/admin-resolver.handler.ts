import { isForgePlatformError, webTrigger } from '@forge/api';
import { DEPLOYMENT_GATE_MODULE_KEY } from './deployment-gate';
import { forgeAppEnvironment } from './app-environment';
import { createAdminResolver } from './create-admin-resolver';
import { forgeExportQueue } from './evidence-export-worker';
import { kvsStore } from './kvs-store';
import { forgeTransport } from './forge-transport';

/** Production wiring: the admin check as the invoking user, configuration as the app, KVS, the real clock. */
export const adminResolver = createAdminResolver({
  userTransport: forgeTransport('user'),
  appTransport: forgeTransport('app'),
  store: kvsStore(),
  clock: () => new Date(),
  // Made on first use: `@forge/events` only inside the Forge runtime.
  exportQueue: { push: (event, delay) => forgeExportQueue().push(event, delay) },
  // NeedsAuthenticationError is among Forge's platform errors: it reaches Forge unwrapped.
  isPlatformError: (error) => error instanceof Error && isForgePlatformError(error),
  environment: forgeAppEnvironment,
  gateUrl: () => webTrigger.getUrl(DEPLOYMENT_GATE_MODULE_KEY),
});
