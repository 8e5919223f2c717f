import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { rewriteAccounts } from '../../src/privacy/account-references';
import { appendGateRecord, deploymentsOfRecords, isIntactGateRecord, sealGateRecord, emergencyDeploymentTimes, gateRecordKey, readAllGateRecords, readGateRecords } from '../../src/deployments/gate-record';
import { aGateRecordInput } from '../builders/gate-record.builder';

const input = aGateRecordInput;

describe('the gate log', () => {
  it('reads an issue\'s records in time order and reports one whose content or key was altered', async () => {
    const store = createMemoryKvs();
    const late = await appendGateRecord(store, input({ at: '2026-12-01T11:00:00.000Z', callId: 'b'.repeat(32) }));
    const early = await appendGateRecord(store, input());
    expect((await readGateRecords(store, '10001')).records.map((r) => r.at)).toEqual([early.at, late.at]);

    await store.set(gateRecordKey(late), { ...late, decision: 'deny' });
    await store.set(gateRecordKey({ ...early, issueId: '10001', callId: 'c'.repeat(32) }), early); // a copy under another key
    const reading = await readGateRecords(store, '10001');
    expect(reading.records).toEqual([early]);
    expect(reading.altered).toEqual([gateRecordKey({ ...early, callId: 'c'.repeat(32) }), gateRecordKey(late)].sort());
  });

  it('writes a call once (a retried call with the same id adds nothing) and lists detached calls under none', async () => {
    const store = createMemoryKvs();
    await appendGateRecord(store, input());
    await appendGateRecord(store, input({ decision: 'deny' }));
    await appendGateRecord(store, input({ issueId: null, changeKey: null, namedKeys: [], decision: 'deny', path: 'refused', callId: 'd'.repeat(32) }));
    const all = await readAllGateRecords(store);
    expect(all.records.map((r) => [r.issueId, r.decision])).toEqual([
      ['10001', 'allow'],
      [null, 'deny'],
    ]);
  });

  it('makes one deployment per allowed call, naming every change it judged; denied calls are no deployment', () => {
    const records = [
      input(),
      input({ issueId: '10002', changeKey: 'CHG-2' }),
      input({ callId: 'e'.repeat(32), decision: 'deny', path: 'refused' }),
      input({ callId: 'f'.repeat(32), path: 'emergency', at: '2026-12-02T00:00:00.000Z' }),
    ].map((r) => sealGateRecord(r));
    expect(deploymentsOfRecords(records).map((d) => [d.callId, d.changeKeys])).toEqual([
      ['a'.repeat(32), ['CHG-1', 'CHG-2']],
      ['f'.repeat(32), ['CHG-1']],
    ]);
    expect(emergencyDeploymentTimes(records)).toEqual([new Date('2026-12-02T00:00:00.000Z')]);
  });
});

describe("the deployer's account id", () => {
  const SALT = '5'.repeat(32);
  it('is covered through a salted digest: a swapped id is detected, an erased one still verifies', () => {
    const record = sealGateRecord(input({ deployerAccountId: 'acc-dev' }), SALT);
    expect(JSON.stringify(record)).toContain('acc-dev');
    expect(isIntactGateRecord(record)).toBe(true);
    expect(isIntactGateRecord({ ...record, deployerAccountId: 'acc-other' })).toBe(false);
    const erased = rewriteAccounts(record, { closed: new Map([['acc-dev', 'erased-account:1']]), updated: new Set() }).value as typeof record;
    expect(erased).toMatchObject({ deployerAccountId: 'erased-account:1', deployerSalt: null });
    expect(isIntactGateRecord(erased)).toBe(true);
    // Erased but its salt not yet dropped: the id can no longer be checked, and is not held against the record.
    expect(isIntactGateRecord({ ...record, deployerAccountId: 'erased-account:1' })).toBe(true);
  });
});
