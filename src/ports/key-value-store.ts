/** The app's key-value storage (policy, sweep state, export jobs): `@forge/kvs` in production, a Map in tests. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}
