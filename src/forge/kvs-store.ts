import { kvs, WhereConditions } from '@forge/kvs';
import type { LedgerStore } from '../ports/ledger-store';

/** Keys per KVS query page: the documented maximum (developer.atlassian.com, "Querying key-value pairs": "up to a maximum of 20"). */
export const KVS_QUERY_PAGE = 20;

/**
 * Thin adapter over `@forge/kvs` (needs the `storage:app` scope). `setIfAbsent` uses
 * `keyPolicy: 'FAIL_IF_EXISTS'`. The error KVS raises for an existing key is not documented
 * (third-party reports say 409 KEY_CONFLICT), so any failed write is followed by a read: if the
 * key now holds a value, the answer is `'exists'` (ours too, when the reply was lost: the caller
 * re-reads and finds its own record); otherwise the error stands.
 */
export const kvsStore = (): LedgerStore => ({
  get: (key) => kvs.get<unknown>(key),
  set: (key, value) => kvs.set(key, value),
  setIfAbsent: async (key, value) => {
    try {
      await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
      return 'written';
    } catch (error) {
      if ((await kvs.get<unknown>(key)) !== undefined) return 'exists';
      throw error;
    }
  },
  delete: (key) => kvs.delete(key),
  // Several KVS pages until `limit` keys are read (KVS answers at most 20 per query).
  listPage: async (prefix, cursor, limit) => {
    const entries: Array<{ key: string; value: unknown }> = [];
    let next: string | null = cursor;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(Math.min(limit - entries.length, KVS_QUERY_PAGE));
      if (next) query = query.cursor(next);
      const page = await query.getMany<unknown>();
      entries.push(...page.results.map((r) => ({ key: r.key, value: r.value })));
      next = page.nextCursor ?? null;
    } while (next && entries.length < limit);
    return { entries, nextCursor: next };
  },
  listByPrefix: async (prefix) => {
    const entries: Array<{ key: string; value: unknown }> = [];
    let cursor: string | undefined;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(KVS_QUERY_PAGE);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      entries.push(...page.results.map((r) => ({ key: r.key, value: r.value })));
      cursor = page.nextCursor;
    } while (cursor);
    return entries;
  },
});
