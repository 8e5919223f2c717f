import { materialFields, Policy } from '../domain';
import { STATUS_FIELD_ID } from './map-change';
import { BULK_CHANGELOG_LIMITS } from './schemas';

const mappedIds = (policy: Policy): string[] => Object.values(policy.fields).filter((id): id is string => Boolean(id));

/**
 * The changelog filter: status, the material fields, the implementer and the change type (a
 * post-hoc obligation follows the type at implementation, not today's), and the approver and
 * verifier (who named them decides self-nomination). Bulkfetch accepts at most 10 field ids;
 * `null` (no filter; filtered here instead) when the policy maps more than that, as the default
 * mapping does.
 */
export const gateChangelogFieldIds = (policy: Policy): string[] | null => {
  const ids = new Set<string>([STATUS_FIELD_ID]);
  for (const field of [...materialFields(policy), 'implementer' as const, 'changeType' as const, 'approver' as const, 'verifier' as const]) {
    const id = policy.fields[field];
    if (id) ids.add(id);
  }
  return ids.size <= BULK_CHANGELOG_LIMITS.maxFieldIds ? [...ids] : null;
};

/**
 * The changelog filter: status and every mapped CC8.1 field when they fit bulkfetch's 10 field ids,
 * else `null` (unfiltered; the mapper drops fields the app does not track). The audit replays each
 * transition against the fields as they were then, so the panel needs every mapped field's history,
 * not just the material ones the history gate reads.
 */
export const panelChangelogFieldIds = (policy: Policy): string[] | null => {
  const ids = new Set<string>([STATUS_FIELD_ID, ...mappedIds(policy)]);
  return ids.size <= BULK_CHANGELOG_LIMITS.maxFieldIds ? [...ids] : null;
};
