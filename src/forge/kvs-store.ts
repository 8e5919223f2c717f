import { kvs, WhereConditions } from '@forge/kvs';
import type { LedgerStore } from '../ports/ledger-store';

/** KVS answers at most this many keys per query page. */
const QUERY_PAGE = 100;

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
  listPage: async (prefix, cursor, limit) => {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(Math.min(limit, QUERY_PAGE));
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany<unknown>();
    return { entries: page.results.map((r) => ({ key: r.key, value: r.value })), nextCursor: page.nextCursor ?? null };
  },
  listByPrefix: async (prefix) => {
    const entries: Array<{ key: string; value: unknown }> = [];
    let cursor: string | undefined;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(QUERY_PAGE);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany<unknown>();
      entries.push(...page.results.map((r) => ({ key: r.key, value: r.value })));
      cursor = page.nextCursor;
    } while (cursor);
    return entries;
  },
});
