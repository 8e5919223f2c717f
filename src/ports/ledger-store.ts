import type { KeyValueStore } from './key-value-store';

/**
 * App storage with what an append-only log needs: `@forge/kvs` in production (a write with
 * `keyPolicy: 'FAIL_IF_EXISTS'`, a `beginsWith` key query), a Map in tests and the sandbox.
 */
export interface LedgerStore extends KeyValueStore {
  /** Writes `value` only if `key` is absent; `'exists'` means nothing was written. */
  setIfAbsent(key: string, value: unknown): Promise<'written' | 'exists'>;
  /** Every key that starts with `prefix`, in key order, with its value (all pages). */
  listByPrefix(prefix: string): Promise<Array<{ key: string; value: unknown }>>;
  /** One page of the keys under `prefix`, in key order, from `cursor` (null: the first page); `nextCursor` null after the last. */
  listPage(prefix: string, cursor: string | null, limit: number): Promise<{ entries: Array<{ key: string; value: unknown }>; nextCursor: string | null }>;
  /** Removes `key` (nothing happens when it is absent). Never used on log records. */
  delete(key: string): Promise<void>;
}
