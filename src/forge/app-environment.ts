import { getAppContext } from '@forge/api';
import type { AppEnvironment } from '../setup/app-rule-modules';

/**
 * This installation's app and environment ids, from the Forge runtime (`getAppContext()`: the
 * `appAri` and `environmentAri` of the invocation). They are the middle of the app's extension
 * ARIs, so dev, staging and production installs on one site each match only their own rules.
 * Null when the runtime has no app context (then setup refuses rather than guesses, if several
 * environments offer the app's rules).
 */
export const forgeAppEnvironment = (): AppEnvironment | null => {
  try {
    const context = getAppContext();
    const appId = context.appAri?.appId;
    const environmentId = context.environmentAri?.environmentId;
    return appId && environmentId ? { appId, environmentId } : null;
  } catch {
    return null; // outside the Forge runtime
  }
};
