import { z } from 'zod';
import { defaultPolicy, parsePolicy, Policy } from '../domain';
import { PolicyError } from '../shared/app-error';
import type { KeyValueStore } from '../ports/key-value-store';

/** The KVS key of the stored policy. */
export const POLICY_KEY = 'cc81:policy';

/** What is stored under `cc81:policy`. */
export const StoredPolicySchema = z.object({
  version: z.number().int().nonnegative(),
  policy: z.unknown(),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});

export interface LoadedPolicy {
  /** 0 when nothing is stored yet (the defaults apply). */
  version: number;
  policy: Policy;
  updatedBy: string | null;
  updatedAt: string | null;
}

/**
 * The stored policy; the defaults (version 0) when none is stored. A corrupted value throws a
 * PolicyError listing the field errors: it is never silently replaced by the defaults.
 */
export const loadPolicy = async (store: KeyValueStore): Promise<LoadedPolicy> => {
  const stored = await store.get(POLICY_KEY);
  if (stored === undefined || stored === null) return { version: 0, policy: defaultPolicy(), updatedBy: null, updatedAt: null };
  const envelope = StoredPolicySchema.safeParse(stored);
  if (!envelope.success) {
    throw new PolicyError(envelope.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(stored policy)', message: `stored policy record: ${issue.code}` })));
  }
  const parsed = parsePolicy(envelope.data.policy);
  if (!parsed.ok) throw new PolicyError(parsed.errors);
  return { version: envelope.data.version, policy: parsed.policy, updatedBy: envelope.data.updatedBy, updatedAt: envelope.data.updatedAt };
};
