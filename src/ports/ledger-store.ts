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
}
