import { appendEvidenceLog } from '../../src/evidence-log/evidence-log';
import { logRecordKey } from '../../src/evidence-log/log-keys';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { loadSigningKey } from '../../src/evidence-log/mirror-seal';
import { verifyEvidenceLogs, VERIFY_CURSOR_KEY } from '../../src/evidence-log/verify-logs';
import { at } from '../builders/clock';
import { JiraHttpError } from '../../src/shared/app-error';
import { projectLog } from '../../src/evidence-log/mirror';
import { MemoryStore } from '../fakes/fake-jira';

const NOW = at(30);
const entry = (issueId: string, n: number): LogEntry => ({ issueId, edge: 'approve', from: 'Assessment', to: 'Approved', accountId: 'acc-approver', at: at(n).toISOString(), executionId: `e-${issueId}-${n}` });

const storeWith = async (issueIds: string[]) => {
  const store = new MemoryStore();
  for (const id of issueIds) for (const n of [1, 2]) await appendEvidenceLog(store, entry(id, n));
  return store;
};

describe('verifyEvidenceLogs', () => {
  it('verifies a page of chains per run and carries on where the last run stopped, then starts over', async () => {
    const store = await storeWith(['10001', '10002', '10003']);
    expect(await verifyEvidenceLogs(store, { limit: 2, now: NOW })).toMatchObject({ verified: 2, damaged: [], reachedEnd: false });
    expect(await verifyEvidenceLogs(store, { limit: 2, now: NOW })).toMatchObject({ verified: 1, damaged: [], reachedEnd: true });
    expect(await store.get(VERIFY_CURSOR_KEY)).toEqual({ cursor: null });
    expect(await verifyEvidenceLogs(store, { limit: 2, now: NOW })).toMatchObject({ verified: 2, reachedEnd: false });
  });

  it('names each damaged chain and what is wrong with it', async () => {
    const store = await storeWith(['10001', '10002']);
    const key = logRecordKey('10002', 1);
    store.values.set(key, { ...(store.values.get(key) as object), accountId: 'acc-someone-else' });
    store.values.delete(logRecordKey('10001', 2));
    const check = await verifyEvidenceLogs(store, { limit: 10, now: NOW });
    expect(check.damaged).toEqual([
      { issueId: '10001', problems: [expect.stringMatching(/ends before record 2/)] },
      { issueId: '10002', problems: [expect.stringMatching(/^log record 1 /)] },
    ]);
  });

  it('reports the public evidence key once there is one', async () => {
    const store = await storeWith(['10001']);
    expect((await verifyEvidenceLogs(store, { now: NOW })).key).toBeNull();
    const signing = await loadSigningKey(store, at(3));
    expect((await verifyEvidenceLogs(store, { now: NOW })).key).toEqual({ publicKey: expect.any(String), keyId: signing.keyId });
  });

  it('starts from the first issue when the stored cursor is unreadable', async () => {
    const store = await storeWith(['10001']);
    store.values.set(VERIFY_CURSOR_KEY, 'garbage');
    expect(await verifyEvidenceLogs(store, { now: NOW })).toMatchObject({ verified: 1, reachedEnd: true });
  });

  it('starts over from the first issue when KVS refuses the stored cursor (its cursors may not stay valid)', async () => {
    const store = await storeWith(['10001', '10002']);
    store.values.set(VERIFY_CURSOR_KEY, { cursor: 'a-cursor-kvs-no-longer-knows' });
    const refusing = Object.assign(Object.create(store) as MemoryStore, {
      listPage: (prefix: string, cursor: string | null, limit: number) => (cursor === 'a-cursor-kvs-no-longer-knows' ? Promise.reject(new Error('invalid cursor')) : store.listPage(prefix, cursor, limit)),
    });
    expect(await verifyEvidenceLogs(refusing, { limit: 1, now: NOW })).toMatchObject({ verified: 1, reachedEnd: false });
    expect(await store.get(VERIFY_CURSOR_KEY)).not.toEqual({ cursor: 'a-cursor-kvs-no-longer-knows' });
  });

  it('compares each mirror with its log, as one search; a difference seen earlier stays reported', async () => {
    const store = await storeWith(['10001', '10002', '10003']);
    const asLogged = { version: 1, records: [1, 2].map((n) => projectLog([entry('10001', n) as never]).records[0]) };
    const reads: string[][] = [];
    const readMirrors = async (ids: readonly string[]) => {
      reads.push([...ids]);
      // 10001 as logged; 10002 emptied by a user; 10003 deleted (Jira does not return it).
      return new Map<string, unknown>([['10001', asLogged], ['10002', { version: 1, records: [] }]]);
    };
    const check = await verifyEvidenceLogs(store, { readMirrors, now: NOW });
    expect(reads).toEqual([['10001', '10002', '10003']]);
    expect(check.mirrors).toEqual({ compared: 2 });
    expect(check.tampered).toEqual([{ issueId: '10002', differences: [expect.stringMatching(/in the app's log but was removed from the issue/), expect.stringMatching(/removed from the issue/)] }]);
  });

  it('says why the mirrors were not compared when Jira refuses the search, and still verifies the chains', async () => {
    const store = await storeWith(['10001']);
    const check = await verifyEvidenceLogs(store, { readMirrors: async () => Promise.reject(new JiraHttpError(400, 'POST /rest/api/3/search/jql')), now: NOW });
    expect(check).toMatchObject({ verified: 1, damaged: [], tampered: [], mirrors: { notCompared: 'Jira answered 400 to POST /rest/api/3/search/jql' } });
  });
});
