import { isForgePlatformError } from '@forge/api';
import { forgeTransport } from '../jira/transport';
import { createAdminResolver } from './create-admin-resolver';
import { kvsStore } from './policy-store';

/** Production wiring: the admin check as the invoking user, configuration as the app, KVS, the real clock. */
export const adminResolver = createAdminResolver({
  userTransport: forgeTransport('user'),
  appTransport: forgeTransport('app'),
  store: kvsStore(),
  clock: () => new Date(),
  isPlatformError: (error) => error instanceof Error && isForgePlatformError(error),
});
