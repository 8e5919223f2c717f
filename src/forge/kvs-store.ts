import { kvs } from '@forge/kvs';
import type { KeyValueStore } from '../ports/key-value-store';

/** Thin adapter over `@forge/kvs` (needs the `storage:app` scope). */
export const kvsStore = (): KeyValueStore => ({
  get: (key) => kvs.get<unknown>(key),
  set: (key, value) => kvs.set(key, value),
});
