import fc from 'fast-check';
import { KEY_CHARACTERS, prefixesAfter, scanKeys } from '../../src/privacy/key-scan';
import { seeded } from '../support/fc-seed';
import { MemoryRecordStore } from './memory-record-store';

const storeWith = async (keys: readonly string[], pageSize: number) => {
  const store = new MemoryRecordStore(pageSize);
  for (const key of keys) await store.set(key, { key });
  return store;
};

describe('prefixesAfter', () => {
  it('covers the keys after the last one read, smallest first', () => {
    const prefixes = prefixesAfter('cc81:', 'cc81:lz');
    expect(prefixes.slice(0, 3)).toEqual(['cc81:lz ', 'cc81:lz#', 'cc81:lz-']); // keys extending the last one
    expect(prefixes).toHaveLength(KEY_CHARACTERS.length + 0 + 14); // nothing after z; m…z after l
    expect(prefixes.slice(-14)).toEqual([...'mnopqrstuvwxyz'].map((c) => `cc81:${c}`));
    expect([...prefixes].sort()).toEqual(prefixes);
  });

  it('lists the 68 characters KVS allows in a key (white space: the space only), in key order', () => {
    expect(KEY_CHARACTERS).toHaveLength(68);
    expect([...KEY_CHARACTERS].sort()).toEqual(KEY_CHARACTERS);
  });
});

describe('scanKeys', () => {
  it('reads a prefix to its end when there is time', async () => {
    const store = await storeWith(['cc81:a', 'cc81:b', 'cc81:c', 'other'], 2);
    const seen: string[] = [];
    const todo = ['cc81:'];
    const result = await scanKeys(store, todo, async (r) => void seen.push(r.key), () => false);
    expect({ seen, todo, result }).toEqual({ seen: ['cc81:a', 'cc81:b', 'cc81:c'], todo: [], result: { pages: 2, outOfOrder: false } });
  });

  it('stopped part-way, leaves prefixes that hold exactly the keys not read yet', async () => {
    const store = await storeWith(['cc81:a1', 'cc81:a2', 'cc81:a2x', 'cc81:b', 'cc81:log:1', 'other'], 2);
    const todo = ['cc81:'];
    const first: string[] = [];
    await scanKeys(store, todo, async (r) => void first.push(r.key), () => first.length >= 2);
    expect(first).toEqual(['cc81:a1', 'cc81:a2']);
    const rest: string[] = [];
    await scanKeys(store, todo, async (r) => void rest.push(r.key), () => false);
    expect(rest).toEqual(['cc81:a2x', 'cc81:b', 'cc81:log:1']);
  });

  it('re-reads a prefix stopped part-way when KVS answered out of key order, so no key is missed', async () => {
    const store = await storeWith(['cc81:a', 'cc81:b', 'cc81:c', 'cc81:d'], 2);
    const list = store.list.bind(store);
    // A KVS with another order: b before a.
    store.list = async (prefix, cursor) => {
      const page = await list(prefix, cursor);
      return cursor === null ? { ...page, records: [...page.records].reverse() } : page;
    };
    const todo = ['cc81:'];
    const first: string[] = [];
    expect(await scanKeys(store, todo, async (r) => void first.push(r.key), () => first.length >= 2)).toEqual({ pages: 1, outOfOrder: true });
    expect(todo).toEqual(['cc81:']);
  });

  // Invocations that stop at any moment and keep only `todo` (never a KVS cursor) read every key once, in key order.
  it('reads every key exactly once across invocations stopped at random moments', async () => {
    const key = fc.array(fc.constantFrom('0', '1', '9', ':', 'a', 'z', '-', ' '), { minLength: 0, maxLength: 6 }).map((cs) => `cc81:${cs.join('')}`);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), async (keys, pageSize, pagesPerInvocation) => {
        const store = await storeWith([...keys, 'cc8', 'cc82:x'], pageSize);
        const seen: string[] = [];
        const todo = ['cc81:'];
        for (let invocation = 0; todo.length > 0; invocation += 1) {
          if (invocation > 100_000) throw new Error('the scan does not end');
          const before = store.pagesListed;
          await scanKeys(store, todo, async (r) => void seen.push(r.key), () => store.pagesListed - before >= pagesPerInvocation);
          expect(store.pagesListed - before).toBeLessThanOrEqual(pagesPerInvocation);
        }
        expect(seen).toEqual([...keys].sort());
      }),
      seeded({ numRuns: 200 }),
    );
  });
});
