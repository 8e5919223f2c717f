// The privacy job on the evidence log (issue 14): a closed account's records no longer identify
// anyone, and the chain still verifies, so the erasure is not mistaken for tampering.
import { appendEvidenceLog, readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { ERASED_PREFIX, rewriteAccounts } from '../../src/privacy/account-references';
import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { aLogEntry } from '../builders/log-entry.builder';
import { at } from '../builders/clock';
import { PEOPLE } from '../builders/people.builder';

const rewriteAll = async (store: ReturnType<typeof createMemoryKvs>, rewrite: Parameters<typeof rewriteAccounts>[1]) => {
  for (const { key, value } of await store.listByPrefix('cc81:')) {
    const next = rewriteAccounts(value, rewrite);
    if (next.changes > 0) await store.set(key, next.value);
  }
};

describe('erasing a closed account from the evidence log', () => {
  const seed = async () => {
    const store = createMemoryKvs();
    await appendEvidenceLog(store, aLogEntry({ edge: 'approve', accountId: PEOPLE.approver, executionId: 'e1', at: at(1).toISOString() }));
    await appendEvidenceLog(store, aLogEntry({ edge: 'implement', from: 'Scheduled', to: 'Implemented', accountId: PEOPLE.implementer, executionId: 'e2', at: at(2).toISOString() }));
    return store;
  };

  it('replaces the id, drops the salt, and the chain still verifies', async () => {
    const store = await seed();
    await rewriteAll(store, { closed: new Map([[PEOPLE.approver, `${ERASED_PREFIX}t1`]]), updated: new Set() });
    const reading = await readEvidenceLog(store, '10001');
    expect(reading.problems).toEqual([]);
    expect(reading.records[0]).toMatchObject({ accountId: `${ERASED_PREFIX}t1`, actorSalt: null });
    expect(JSON.stringify(store.snapshot())).not.toContain(PEOPLE.approver);
    expect(reading.records[1]).toMatchObject({ accountId: PEOPLE.implementer, actorSalt: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('keeps the salt of an account whose profile only changed', async () => {
    const store = await seed();
    await rewriteAll(store, { closed: new Map(), updated: new Set([PEOPLE.approver]) });
    const reading = await readEvidenceLog(store, '10001');
    expect(reading.problems).toEqual([]);
    expect(reading.records[0]?.actorSalt).toMatch(/^[0-9a-f]{32}$/);
  });

  it('still detects another account swapped in with the salt dropped (not an erasure token)', async () => {
    const store = await seed();
    await rewriteAll(store, { closed: new Map([[PEOPLE.approver, PEOPLE.outsider]]), updated: new Set() });
    const reading = await readEvidenceLog(store, '10001');
    expect(reading.records[0]).toMatchObject({ accountId: PEOPLE.outsider, actorSalt: null });
    expect(reading.problems).toEqual([{ kind: 'altered', seq: 1 }]);
  });
});
