import type { Policy } from '../../src/domain';
import { POLICY_KEY, StoredPolicySchema } from '../../src/policy/policy-store';
import { KeyValueStore } from '../../src/ports/key-value-store';

/** The record policy-store keeps under `cc81:policy`: `{ version, policy, updatedBy, updatedAt }`. */
export const storedPolicyOf = (policy: Policy, updatedAt: Date, updatedBy: string | null = null) =>
  StoredPolicySchema.parse({ version: policy.version, policy: JSON.parse(JSON.stringify(policy)) as unknown, updatedBy, updatedAt: updatedAt.toISOString() });

/** Stores `policy` where the app's handlers load it from (`loadPolicy(store)`). */
export const seedPolicy = (store: KeyValueStore, policy: Policy, updatedAt: Date, updatedBy: string | null = null): Promise<void> =>
  store.set(POLICY_KEY, storedPolicyOf(policy, updatedAt, updatedBy));
