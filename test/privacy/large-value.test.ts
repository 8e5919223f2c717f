import { deleteLargeValue, PART_CHARS, readLargeValue, writeLargeValue } from '../../src/privacy/large-value';
import { MemoryRecordStore } from './memory-record-store';

// 20,000 account ids and their dates: about 1 MB of JSON, four times what one KVS value holds.
const manyAccounts = () => ({ accounts: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`712020:${String(i).padStart(8, '0')}-aaaa-bbbb-cccc-dddddddddddd`, '2026-12-06T00:00:00.000Z'])) });
const parts = (store: MemoryRecordStore) => [...store.values.keys()].filter((k) => k.startsWith('cc81:privacy:reported:part:')).sort();

describe('a value larger than one KVS value', () => {
  it('is stored in parts of at most PART_CHARS characters and read back whole', async () => {
    const store = new MemoryRecordStore();
    const value = manyAccounts();
    await writeLargeValue(store, 'cc81:privacy:reported', value);
    expect(parts(store).length).toBe(Math.ceil(JSON.stringify(value).length / PART_CHARS));
    expect(parts(store).length).toBeGreaterThan(4);
    for (const key of parts(store)) expect((store.values.get(key) as string).length).toBeLessThanOrEqual(PART_CHARS);
    expect(await readLargeValue(store, 'cc81:privacy:reported')).toEqual(value);
  });

  it('drops the parts a longer earlier value left, and deletes every part', async () => {
    const store = new MemoryRecordStore();
    await writeLargeValue(store, 'cc81:privacy:reported', manyAccounts());
    await writeLargeValue(store, 'cc81:privacy:reported', { accounts: {} });
    expect(parts(store)).toEqual(['cc81:privacy:reported:part:0']);
    expect(await readLargeValue(store, 'cc81:privacy:reported')).toEqual({ accounts: {} });
    await deleteLargeValue(store, 'cc81:privacy:reported');
    expect([...store.values.keys()]).toEqual([]);
  });

  it('reads a value stored whole (before parts) as it is, and a damaged one as absent', async () => {
    const store = new MemoryRecordStore();
    await store.set('cc81:privacy:reported', { accounts: { 'acc-1': '2026-01-01T00:00:00.000Z' } });
    expect(await readLargeValue(store, 'cc81:privacy:reported')).toEqual({ accounts: { 'acc-1': '2026-01-01T00:00:00.000Z' } });
    await writeLargeValue(store, 'cc81:privacy:reported', manyAccounts());
    store.values.delete('cc81:privacy:reported:part:1');
    expect(await readLargeValue(store, 'cc81:privacy:reported')).toBeUndefined();
    store.values.set('cc81:privacy:reported:part:1', 'not json');
    expect(await readLargeValue(store, 'cc81:privacy:reported')).toBeUndefined();
  });
});
