// The privacy job on the evidence log (issue 14): a closed account's records no longer identify
// anyone, and the chain still verifies, so the erasure is not mistaken for tampering.
import { appendEvidenceLog, readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { accountIdsOnlyOnIssue, currentDifferences } from '../../src/evidence-log/evidence-integrity';
import { noteTamper, readTamperNote, tamperNoteKey } from '../../src/evidence-log/tamper-note';
import { collectAccountIds, ERASED_PREFIX, rewriteAccounts } from '../../src/privacy/account-references';
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

describe('an account named only by a forged mirror record', () => {
  it('is found in the tamper note by the personal data report, and erased from its texts when closed', async () => {
    const store = createMemoryKvs();
    await appendEvidenceLog(store, aLogEntry({ edge: 'approve', accountId: PEOPLE.approver, executionId: 'e1', at: at(1).toISOString() }));
    const reading = await readEvidenceLog(store, '10001');
    const forged = { version: 1, records: [{ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: PEOPLE.outsider, at: at(2).toISOString(), executionId: 'forged' }] };
    const differences = currentDifferences(reading, forged, at(3));
    expect(differences.join(' ')).toContain(PEOPLE.outsider);
    await noteTamper(store, '10001', await readTamperNote(store, '10001'), { differences, accountIds: accountIdsOnlyOnIssue(reading, forged), seenBy: 'sweep' }, at(3));

    const collected = new Set<string>();
    for (const { value } of await store.listByPrefix('cc81:')) collectAccountIds(value, collected);
    expect([...collected].sort()).toEqual([PEOPLE.approver, PEOPLE.outsider].sort());

    await rewriteAll(store, { closed: new Map([[PEOPLE.outsider, `${ERASED_PREFIX}t9`]]), updated: new Set() });
    expect(JSON.stringify(await store.get(tamperNoteKey('10001')))).not.toContain(PEOPLE.outsider);
  });
});
