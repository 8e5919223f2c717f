import { appendEvidenceLog } from '../../src/evidence-log/evidence-log';
import { logRecordKey } from '../../src/evidence-log/log-keys';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { loadSigningKey } from '../../src/evidence-log/mirror-seal';
import { verifyEvidenceLogs, VERIFY_CURSOR_KEY } from '../../src/evidence-log/verify-logs';
import { at } from '../builders/clock';
import { MemoryStore } from '../fakes/fake-jira';

const entry = (issueId: string, n: number): LogEntry => ({ issueId, edge: 'approve', from: 'Assessment', to: 'Approved', accountId: 'acc-approver', at: at(n).toISOString(), executionId: `e-${issueId}-${n}` });

const storeWith = async (issueIds: string[]) => {
  const store = new MemoryStore();
  for (const id of issueIds) for (const n of [1, 2]) await appendEvidenceLog(store, entry(id, n));
  return store;
};

describe('verifyEvidenceLogs', () => {
  it('verifies a page of chains per run and carries on where the last run stopped, then starts over', async () => {
    const store = await storeWith(['10001', '10002', '10003']);
    expect(await verifyEvidenceLogs(store, 2)).toMatchObject({ verified: 2, damaged: [], reachedEnd: false });
    expect(await verifyEvidenceLogs(store, 2)).toMatchObject({ verified: 1, damaged: [], reachedEnd: true });
    expect(await store.get(VERIFY_CURSOR_KEY)).toEqual({ cursor: null });
    expect(await verifyEvidenceLogs(store, 2)).toMatchObject({ verified: 2, reachedEnd: false });
  });

  it('names each damaged chain and what is wrong with it', async () => {
    const store = await storeWith(['10001', '10002']);
    const key = logRecordKey('10002', 1);
    store.values.set(key, { ...(store.values.get(key) as object), accountId: 'acc-someone-else' });
    store.values.delete(logRecordKey('10001', 2));
    const check = await verifyEvidenceLogs(store, 10);
    expect(check.damaged).toEqual([
      { issueId: '10001', problems: [expect.stringMatching(/ends before record 2/)] },
      { issueId: '10002', problems: [expect.stringMatching(/^log record 1 /)] },
    ]);
  });

  it('reports the public evidence key once there is one', async () => {
    const store = await storeWith(['10001']);
    expect((await verifyEvidenceLogs(store)).key).toBeNull();
    const signing = await loadSigningKey(store, at(3));
    expect((await verifyEvidenceLogs(store)).key).toEqual({ publicKey: expect.any(String), keyId: signing.keyId });
  });

  it('starts from the first issue when the stored cursor is unreadable', async () => {
    const store = await storeWith(['10001']);
    store.values.set(VERIFY_CURSOR_KEY, 'garbage');
    expect(await verifyEvidenceLogs(store)).toMatchObject({ verified: 1, reachedEnd: true });
  });
});
