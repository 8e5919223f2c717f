/*
 * Prints the sandbox's policy as the app stores it (`{version, policy, updatedBy, updatedAt}`), for
 * `cc81 --policy` against `npm start`:
 *   npx ts-node --transpile-only src/cli/sandbox-policy.ts > sandbox-policy.json
 */
import { demoUsers } from './demo/demo-users';
import { storedPolicyOf } from './forge-runtime/stored-policy';
import { createSandboxState } from './state/sandbox-state';

process.stdout.write(`${JSON.stringify(storedPolicyOf(createSandboxState(demoUsers()).policy, new Date()), null, 2)}\n`);
