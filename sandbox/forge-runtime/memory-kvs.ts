/**
 * An in-memory stand-in for `@forge/kvs` (the `KeyValueStore` the app's handlers take), optionally
 * persisted to a JSON file so the sandbox keeps its app storage across restarts. Values are stored
 * as JSON (what KVS does): a value read back is a copy, never the object that was set.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LedgerStore } from '../../src/ports/ledger-store';

/** Forge KVS limits (FORGE-NOTES.md): keys up to 500 characters, values up to about 240 KiB of JSON. */
export const KVS_LIMITS = { maxKeyLength: 500, maxValueBytes: 240 * 1024 } as const;

export interface MemoryKvs extends LedgerStore {
  delete(key: string): Promise<void>;
  /** Synchronous set, for seeding before any handler runs. Same checks as `set`. */
  put(key: string, value: unknown): void;
  /** A copy of everything stored, by key. */
  snapshot(): Record<string, unknown>;
}

export interface MemoryKvsOptions {
  /** Persist to (and load from) this JSON file. Written on every change, atomically (temp file + rename). */
  filePath?: string;
  /** Values to start with (after loading the file); they overwrite loaded ones. */
  initial?: Record<string, unknown>;
}

const toJson = (key: string, value: unknown): string => {
  if (key.length === 0 || key.length > KVS_LIMITS.maxKeyLength) throw new Error(`KVS key must be 1 to ${KVS_LIMITS.maxKeyLength} characters`);
  if (value === undefined) throw new Error(`KVS value for ${key} is undefined`);
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > KVS_LIMITS.maxValueBytes) throw new Error(`KVS value for ${key} is ${bytes} bytes, over the ${KVS_LIMITS.maxValueBytes}-byte limit`);
  return json;
};

const load = (filePath: string): Map<string, string> => {
  if (!existsSync(filePath)) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (cause) {
    throw new Error(`The sandbox KVS file ${filePath} is not valid JSON; fix or delete it`, { cause });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`The sandbox KVS file ${filePath} must hold a JSON object of key → value`);
  return new Map(Object.entries(parsed).map(([key, value]) => [key, toJson(key, value)]));
};

/** Byte order of keys (KVS answers key queries in it). */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The first index in sorted `keys` whose key is not below `key`. */
const lowerBound = (keys: readonly string[], key: string): number => {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export const createMemoryKvs = (options: MemoryKvsOptions = {}): MemoryKvs => {
  const { filePath } = options;
  const values = filePath ? load(filePath) : new Map<string, string>();
  // Kept sorted, so a prefix query costs its answer, not a scan of every key (a site of 100,000 issues).
  const sorted = [...values.keys()].sort(byKey);
  /** Keys under `prefix` after `after` (exclusive; null: from the first), in key order. */
  const keysFrom = function* (prefix: string, after: string | null) {
    let i = lowerBound(sorted, after !== null && after >= prefix ? after : prefix);
    if (after !== null && sorted[i] === after) i += 1;
    for (; i < sorted.length && sorted[i]!.startsWith(prefix); i += 1) yield sorted[i]!;
  };

  const persist = () => {
    if (!filePath) return;
    const body = `{${[...values].map(([key, json]) => `\n  ${JSON.stringify(key)}: ${json}`).join(',')}\n}\n`;
    mkdirSync(dirname(filePath), { recursive: true });
    const temp = `${filePath}.${process.pid}.tmp`;
    writeFileSync(temp, body, 'utf8');
    renameSync(temp, filePath);
  };
  const put = (key: string, value: unknown) => {
    const json = toJson(key, value);
    if (!values.has(key)) sorted.splice(lowerBound(sorted, key), 0, key);
    values.set(key, json);
    persist();
  };
  for (const [key, value] of Object.entries(options.initial ?? {})) put(key, value);

  return {
    get: async (key) => {
      const json = values.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as unknown);
    },
    set: async (key, value) => put(key, value),
    setIfAbsent: async (key, value) => {
      if (values.has(key)) return 'exists';
      put(key, value);
      return 'written';
    },
    // KVS answers a key query in key order (byte order of the keys).
    listByPrefix: async (prefix) => [...keysFrom(prefix, null)].map((key) => ({ key, value: JSON.parse(values.get(key) as string) as unknown })),
    delete: async (key) => {
      if (!values.delete(key)) return;
      sorted.splice(lowerBound(sorted, key), 1);
      persist();
    },
    // The cursor is the last key of the page before (KVS's own cursor is opaque).
    listPage: async (prefix, cursor, limit) => {
      const page: string[] = [];
      let more = false;
      for (const key of keysFrom(prefix, cursor)) {
        if (page.length === limit) {
          more = true;
          break;
        }
        page.push(key);
      }
      return { entries: page.map((key) => ({ key, value: JSON.parse(values.get(key) as string) as unknown })), nextCursor: more ? page.at(-1)! : null };
    },
    put,
    snapshot: () => Object.fromEntries([...values].map(([key, json]) => [key, JSON.parse(json) as unknown])),
  };
};
