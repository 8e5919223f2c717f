import { isForgePlatformError } from '@forge/api';
import { compileEdge } from '../domain/expression';
import { createRuleConfigResolver } from './create-rule-config-resolver';
import { checkAdminAsUser } from './jira-admin-check';
import { loadPolicy } from '../policy/policy-store';
import { kvsStore } from './kvs-store';

/** Production wiring: the policy from KVS, the admin check as the invoking user, the real compiler. */
export const ruleConfigResolver = createRuleConfigResolver({
  compile: compileEdge,
  loadPolicy: () => loadPolicy(kvsStore()),
  checkAdmin: checkAdminAsUser,
  isPlatformError: (error) => error instanceof Error && isForgePlatformError(error),
});
