import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy, POLICY_KEY } from '../../../src/policy/policy-store';
import { createMemoryKvs, KVS_LIMITS } from '../../../sandbox/forge-runtime/memory-kvs';
import { seedPolicy, storedPolicyOf } from '../../../sandbox/forge-runtime/stored-policy';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { SANDBOX_USERS } from '../../builders/sandbox-change.builder';
import { T0 } from '../../builders/clock';

describe('memory KVS', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cc81-kvs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores JSON: reads are copies, a missing key is undefined, delete removes', async () => {
    const kvs = createMemoryKvs();
    const value = { a: [1, 2] };
    await kvs.set('k', value);
    value.a.push(3);
    const read = (await kvs.get('k')) as { a: number[] };
    expect(read).toEqual({ a: [1, 2] });
    read.a.push(4);
    expect(await kvs.get('k')).toEqual({ a: [1, 2] });
    expect(await kvs.get('missing')).toBeUndefined();
    await kvs.delete('k');
    expect(await kvs.get('k')).toBeUndefined();
  });

  it('enforces the Forge key and value limits', async () => {
    const kvs = createMemoryKvs();
    await expect(kvs.set('x'.repeat(KVS_LIMITS.maxKeyLength + 1), 1)).rejects.toThrow(/key/);
    await expect(kvs.set('big', 'x'.repeat(KVS_LIMITS.maxValueBytes))).rejects.toThrow(/limit/);
    await expect(kvs.set('undef', undefined)).rejects.toThrow(/undefined/);
  });

  it('persists to a JSON file and loads it again', async () => {
    const filePath = join(dir, 'nested', 'kvs.json');
    const first = createMemoryKvs({ filePath });
    await first.set('cc81:sweep', { cursor: 'abc' });
    expect(JSON.parse(readFileSync(filePath, 'utf8'))).toEqual({ 'cc81:sweep': { cursor: 'abc' } });
    const second = createMemoryKvs({ filePath });
    expect(await second.get('cc81:sweep')).toEqual({ cursor: 'abc' });
    expect(second.snapshot()).toEqual({ 'cc81:sweep': { cursor: 'abc' } });
  });

  it('refuses a corrupted file with its path', () => {
    const filePath = join(dir, 'kvs.json');
    writeFileSync(filePath, '{ not json');
    expect(() => createMemoryKvs({ filePath })).toThrow(filePath);
  });

  it("seeds the sandbox's policy where policy-store loads it", async () => {
    const state = createSandboxState(SANDBOX_USERS);
    const kvs = createMemoryKvs();
    await seedPolicy(kvs, state.policy, T0, 'acc-admin');
    expect(await kvs.get(POLICY_KEY)).toEqual({ version: state.policy.version, policy: expect.any(Object), updatedBy: 'acc-admin', updatedAt: T0.toISOString() });
    const loaded = await loadPolicy(kvs);
    expect(loaded.policy).toEqual(state.policy);
    expect(loaded.version).toBe(state.policy.version);
    expect(storedPolicyOf(state.policy, T0).updatedBy).toBeNull();
  });

  it('answers prefix queries in key order as KVS does, by page, whatever order keys were written and deleted in', async () => {
    const kvs = createMemoryKvs({ initial: { 'cc81:log:12:000001': 'x', 'cc81:log:1:000002': 'b' } });
    for (const key of ['cc81:log:1:000003', 'cc81:log:1:000001', 'cc81:log-head:1', 'cc81:log:2:000001']) await kvs.set(key, key.slice(-1));
    await kvs.setIfAbsent('cc81:log:1:000004', 'd');
    await kvs.delete('cc81:log:1:000003');
    await kvs.delete('cc81:log:1:000003');
    expect((await kvs.listByPrefix('cc81:log:1:')).map((e) => e.key)).toEqual(['cc81:log:1:000001', 'cc81:log:1:000002', 'cc81:log:1:000004']);
    // Byte order: '2' sorts before ':', so issue 12's keys come before issue 1's.
    const first = await kvs.listPage('cc81:log:', null, 2);
    expect(first).toEqual({ entries: [{ key: 'cc81:log:12:000001', value: 'x' }, { key: 'cc81:log:1:000001', value: '1' }], nextCursor: 'cc81:log:1:000001' });
    const second = await kvs.listPage('cc81:log:', first.nextCursor, 2);
    expect(second.entries.map((e) => e.key)).toEqual(['cc81:log:1:000002', 'cc81:log:1:000004']);
    expect(await kvs.listPage('cc81:log:', second.nextCursor, 2)).toEqual({ entries: [{ key: 'cc81:log:2:000001', value: '1' }], nextCursor: null });
    expect(await kvs.listPage('cc81:none:', null, 2)).toEqual({ entries: [], nextCursor: null });
  });
});
