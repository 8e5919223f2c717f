// Adapter test: @forge/kvs is mocked in this file only.
import { KVS_QUERY_PAGE, kvsStore } from '../../src/forge/kvs-store';

const mockValues = new Map<string, unknown>();
const mockSets: Array<{ key: string; options: unknown }> = [];
const mockFailSet: { error: Error | null; thenStore: boolean } = { error: null, thenStore: false };
const mockQueries: Array<{ prefix: string; limit: number; cursor: string | null }> = [];

jest.mock('@forge/kvs', () => ({
  WhereConditions: { beginsWith: (prefix: string) => ({ condition: 'BEGINS_WITH', values: [prefix] }) },
  kvs: {
    get: async (key: string) => mockValues.get(key),
    delete: async (key: string) => void mockValues.delete(key),
    set: async (key: string, value: unknown, options?: { keyPolicy?: string }) => {
      mockSets.push({ key, options });
      if (mockFailSet.error) {
        if (mockFailSet.thenStore) mockValues.set(key, value); // the write landed, the reply was lost
        throw mockFailSet.error;
      }
      if (options?.keyPolicy === 'FAIL_IF_EXISTS' && mockValues.has(key)) throw Object.assign(new Error('Key already exists'), { code: 'KEY_CONFLICT' });
      mockValues.set(key, value);
    },
    query: () => {
      const q = { prefix: '', limit: 0, cursor: null as string | null };
      const builder = {
        where: (_field: string, clause: { values: string[] }) => ((q.prefix = clause.values[0] ?? ''), builder),
        limit: (n: number) => ((q.limit = n), builder),
        cursor: (c: string) => ((q.cursor = c), builder),
        getMany: async () => {
          mockQueries.push({ ...q });
          const keys = [...mockValues.keys()].filter((k) => k.startsWith(q.prefix)).sort();
          const start = q.cursor ? Number(q.cursor) : 0;
          const page = keys.slice(start, start + q.limit);
          return { results: page.map((key) => ({ key, value: mockValues.get(key) })), ...(start + q.limit < keys.length ? { nextCursor: String(start + q.limit) } : {}) };
        },
      };
      return builder;
    },
  },
}));

beforeEach(() => {
  mockValues.clear();
  mockSets.length = 0;
  mockQueries.length = 0;
  mockFailSet.error = null;
  mockFailSet.thenStore = false;
});

describe('kvsStore', () => {
  it('writes only an absent key, with FAIL_IF_EXISTS', async () => {
    const store = kvsStore();
    expect(await store.setIfAbsent('k', { n: 1 })).toBe('written');
    expect(await store.setIfAbsent('k', { n: 2 })).toBe('exists');
    expect(mockValues.get('k')).toEqual({ n: 1 });
    expect(mockSets.map((s) => s.options)).toEqual([{ keyPolicy: 'FAIL_IF_EXISTS' }, { keyPolicy: 'FAIL_IF_EXISTS' }]);
  });

  it('answers exists when the write landed but its reply was lost (the caller re-reads and finds its own record)', async () => {
    mockFailSet.error = new Error('socket hang up');
    mockFailSet.thenStore = true;
    expect(await kvsStore().setIfAbsent('k', { n: 1 })).toBe('exists');
  });

  it('reads one page under a prefix, resuming from the cursor KVS gave', async () => {
    for (const k of ['p:1', 'p:2', 'p:3', 'q:1']) mockValues.set(k, k);
    const first = await kvsStore().listPage('p:', null, 2);
    expect(first).toEqual({ entries: [{ key: 'p:1', value: 'p:1' }, { key: 'p:2', value: 'p:2' }], nextCursor: '2' });
    expect(await kvsStore().listPage('p:', first.nextCursor, 2)).toEqual({ entries: [{ key: 'p:3', value: 'p:3' }], nextCursor: null });
    expect(mockQueries.at(-1)).toEqual({ prefix: 'p:', limit: 2, cursor: '2' });
  });

  it(`fills a page larger than KVS's ${KVS_QUERY_PAGE} per query with several queries`, async () => {
    for (let i = 1; i <= 50; i += 1) mockValues.set(`p:${String(i).padStart(3, '0')}`, i);
    const page = await kvsStore().listPage('p:', null, 45);
    expect(page.entries.map((e) => e.value)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(page.nextCursor).toBe('45');
    expect(mockQueries.map((q) => [q.limit, q.cursor])).toEqual([[20, null], [20, '20'], [5, '40']]);
    expect((await kvsStore().listPage('p:', page.nextCursor, 45)).entries).toHaveLength(5);
  });

  it('deletes a key, and deleting an absent key is no error', async () => {
    mockValues.set('k', 1);
    await kvsStore().delete('k');
    await kvsStore().delete('k');
    expect(mockValues.has('k')).toBe(false);
  });

  it('passes on a failure that wrote nothing', async () => {
    mockFailSet.error = new Error('KVS unavailable');
    await expect(kvsStore().setIfAbsent('k', { n: 1 })).rejects.toThrow('KVS unavailable');
    expect(mockValues.has('k')).toBe(false);
  });

  it(`lists every key under a prefix in key order, over all pages of ${KVS_QUERY_PAGE}`, async () => {
    for (let i = 250; i >= 1; i -= 1) mockValues.set(`cc81:log:7:${String(i).padStart(6, '0')}`, { i });
    mockValues.set('cc81:log:70:000001', { other: true });
    mockValues.set('cc81:log-head:7', { seq: 250 });
    const entries = await kvsStore().listByPrefix('cc81:log:7:');
    expect(entries).toHaveLength(250);
    expect(entries[0]).toEqual({ key: 'cc81:log:7:000001', value: { i: 1 } });
    expect(entries.at(-1)).toEqual({ key: 'cc81:log:7:000250', value: { i: 250 } });
    expect(mockQueries).toEqual(Array.from({ length: 13 }, (_, i) => ({ prefix: 'cc81:log:7:', limit: 20, cursor: i === 0 ? null : String(i * 20) })));
  });

  it('reads and overwrites like KVS', async () => {
    const store = kvsStore();
    await store.set('p', { v: 1 });
    await store.set('p', { v: 2 });
    expect(await store.get('p')).toEqual({ v: 2 });
    expect(await store.get('missing')).toBeUndefined();
  });
});
