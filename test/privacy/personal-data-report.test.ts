import { ERASED_PREFIX } from '../../src/privacy/account-references';
import { readLargeValue } from '../../src/privacy/large-value';
import {
  AccountUpdate,
  PersonalDataReportError,
  PRIVACY_SCAN_KEY,
  PRIVACY_STATE_KEY,
  REPORT_CYCLE_DAYS,
  REPORT_BATCH_LIMIT,
  ReportedAccount,
  runPersonalDataReport,
} from '../../src/privacy/personal-data-report';
import { loadPolicyHistory, savePolicyVersion } from '../../src/policy/policy-history';
import { loadPolicy } from '../../src/policy/policy-store';
import { aPolicy } from '../builders/policy.builder';
import { MemoryRecordStore } from './memory-record-store';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const T1 = new Date('2026-03-08T10:00:00.000Z');
const PACK_KEY = 'cc81:export:job-1:pack:CHG-7';

/** The reporting API as a fake: answers from `statuses`, records every call. */
const fakeApi = (statuses: Record<string, AccountUpdate['status']> = {}, failOnCall?: number) => {
  const calls: ReportedAccount[][] = [];
  const report = async (accounts: readonly ReportedAccount[]): Promise<AccountUpdate[]> => {
    calls.push([...accounts]);
    if (calls.length === failOnCall) throw new PersonalDataReportError(429);
    return accounts.filter((a) => statuses[a.accountId]).map((a) => ({ accountId: a.accountId, status: statuses[a.accountId]! }));
  };
  return { calls, report };
};

const tokens = () => {
  let n = 0;
  return () => `t${(n += 1)}`;
};

/** A site where two admins saved the policy (CAB member acc-cab) and an export pack names acc-impl. */
const aSite = async () => {
  const store = new MemoryRecordStore();
  await savePolicyVersion(store, { policy: aPolicy({ cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: ['acc-cab', 'acc-bob'] } }), baseVersion: 0, actor: { accountId: 'acc-ann', displayName: 'Ann Admin' }, at: T0, reason: 'first' });
  await savePolicyVersion(store, { policy: aPolicy({ cab: { requiredForRisks: ['medium', 'high'], groupName: null, memberAccountIds: ['acc-cab', 'acc-bob'] } }), baseVersion: 1, actor: { accountId: 'acc-bob', displayName: 'Bob Boss' }, at: T0, reason: 'stricter' });
  await store.set(PACK_KEY, { key: 'CHG-7', roles: [{ named: { accountId: 'acc-impl', displayName: 'Ivan Impl' } }], html: '<td>Ivan Impl</td>' });
  await store.set('cc81:export:latest', { jobId: 'job-1', createdBy: 'acc-ann', error: null, attempts: 0 });
  return store;
};

describe('runPersonalDataReport', () => {
  it('reports every account id the app stores, with when it was first stored', async () => {
    const store = await aSite();
    const api = fakeApi();
    const outcome = await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken: tokens() });
    expect(api.calls).toEqual([['acc-ann', 'acc-bob', 'acc-cab', 'acc-impl'].map((accountId) => ({ accountId, updatedAt: T1.toISOString() }))]);
    expect(outcome).toEqual({ phase: 'complete', pages: 3, outOfOrder: false, records: 6, accounts: 4, reported: 4, closed: 0, updated: 0, rewritten: 0, deleted: 0, failed: null });
    expect(store.pagesListed).toBe(3); // every page of the listing was read
    expect(await readLargeValue(store, PRIVACY_STATE_KEY)).toEqual({ accounts: { 'acc-ann': T1.toISOString(), 'acc-bob': T1.toISOString(), 'acc-cab': T1.toISOString(), 'acc-impl': T1.toISOString() }, completedAt: T1.toISOString() });
  });

  it('erases a closed account: one token everywhere, names cleared, the policy and its history still readable and complete', async () => {
    const store = await aSite();
    const before = await loadPolicyHistory(store);
    await runPersonalDataReport({ store, report: fakeApi({ 'acc-bob': 'closed' }).report, clock: () => T1, newToken: tokens() });
    const token = `${ERASED_PREFIX}t1`;
    expect(JSON.stringify([...store.values.values()])).not.toContain('acc-bob');
    expect(JSON.stringify([...store.values.values()])).not.toContain('Bob Boss');

    const loaded = await loadPolicy(store);
    expect(loaded.updatedBy).toBe(token);
    expect(loaded.policy.cab.memberAccountIds).toEqual(['acc-cab', token]);
    const after = await loadPolicyHistory(store);
    expect(after.readable).toBe(true);
    expect(after.revisions.map((r) => [r.version, r.updatedBy, r.updatedAt, r.reason, r.changes])).toEqual(
      before.revisions.map((r) => [r.version, r.updatedBy?.accountId === 'acc-bob' ? { accountId: token, displayName: null } : r.updatedBy, r.updatedAt, r.reason, r.changes]),
    );
    expect((await store.get('cc81:policy:rev:00000002')) as { updatedBy: unknown }).toMatchObject({ updatedBy: { accountId: token, displayName: null } });
    expect(((await readLargeValue(store, PRIVACY_STATE_KEY)) as { accounts: Record<string, string> }).accounts).not.toHaveProperty('acc-bob');
  });

  it('deletes an export pack (a rebuildable copy of Jira data) that names a closed account', async () => {
    const store = await aSite();
    const outcome = await runPersonalDataReport({ store, report: fakeApi({ 'acc-impl': 'closed' }).report, clock: () => T1, newToken: tokens() });
    expect(store.values.has(PACK_KEY)).toBe(false);
    expect(outcome).toMatchObject({ closed: 1, deleted: 1, rewritten: 0 });
  });

  it('drops the stored name of an updated account and reports it from now on', async () => {
    const store = await aSite();
    await runPersonalDataReport({ store, report: fakeApi().report, clock: () => T0, newToken: tokens() });
    await runPersonalDataReport({ store, report: fakeApi({ 'acc-ann': 'updated' }).report, clock: () => T1, newToken: tokens() });
    const history = await loadPolicyHistory(store);
    expect(history.revisions.find((r) => r.version === 1)?.updatedBy).toEqual({ accountId: 'acc-ann', displayName: null });
    const state = (await readLargeValue(store, PRIVACY_STATE_KEY)) as { accounts: Record<string, string> };
    expect(state.accounts['acc-ann']).toBe(T1.toISOString());
    expect(state.accounts['acc-bob']).toBe(T0.toISOString()); // unchanged accounts keep their date
  });

  it(`reports at most ${REPORT_BATCH_LIMIT} accounts per call`, async () => {
    const store = new MemoryRecordStore(50);
    const ids = Array.from({ length: 200 }, (_, i) => `acc-${String(i).padStart(3, '0')}`);
    await store.set('cc81:policy', { version: 1, updatedBy: 'acc-admin', policy: { cab: { memberAccountIds: ids } } });
    const api = fakeApi({ 'acc-150': 'closed' });
    const outcome = await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken: tokens() });
    expect(api.calls.map((c) => c.length)).toEqual([90, 90, 21]);
    expect(new Set(api.calls.flat().map((a) => a.accountId)).size).toBe(201);
    expect(outcome).toMatchObject({ accounts: 201, reported: 201, closed: 1, rewritten: 1 });
  });

  it('applies what was answered when a later call fails, and reports the rest next time', async () => {
    const store = new MemoryRecordStore(50);
    const ids = Array.from({ length: 100 }, (_, i) => `acc-${String(i).padStart(3, '0')}`);
    await store.set('cc81:policy', { version: 1, updatedBy: null, policy: { cab: { memberAccountIds: ids } } });
    const api = fakeApi({ 'acc-001': 'closed', 'acc-095': 'closed' }, 2);
    const outcome = await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken: tokens() });
    expect(outcome).toMatchObject({ reported: 90, closed: 1, failed: 'PERSONAL_DATA_REPORT_FAILED' });
    const state = (await readLargeValue(store, PRIVACY_STATE_KEY)) as { accounts: Record<string, string> };
    expect(Object.keys(state.accounts)).toHaveLength(99);
    expect(state.accounts).toHaveProperty('acc-095');

    const retry = fakeApi({ 'acc-095': 'closed' });
    await runPersonalDataReport({ store, report: retry.report, clock: () => T1, newToken: tokens() });
    expect(retry.calls.flat().map((a) => a.accountId)).not.toContain(`${ERASED_PREFIX}t1`); // tokens are never reported
    expect(JSON.stringify(await store.get('cc81:policy'))).not.toMatch(/acc-001|acc-095/);
  });

  it('lets an unexpected error (a bug, not an API failure) propagate', async () => {
    const store = await aSite();
    const boom = new TypeError('bug');
    await expect(runPersonalDataReport({ store, report: () => Promise.reject(boom), clock: () => T1, newToken: tokens() })).rejects.toBe(boom);
  });

  it('reports nothing and writes an empty state when the app stores no account id', async () => {
    const store = new MemoryRecordStore();
    await store.set('cc81:selftest:last', { ok: true });
    const api = fakeApi();
    expect(await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken: tokens() })).toMatchObject({ records: 1, accounts: 0, reported: 0 });
    expect(api.calls).toEqual([]);
    expect(await readLargeValue(store, PRIVACY_STATE_KEY)).toEqual({ accounts: {}, completedAt: T1.toISOString() });
  });
});

describe('a cycle longer than one invocation', () => {
  const DAY = 86_400_000;
  /** Each KVS page read costs 1 ms of a 3 ms budget. */
  const budgeted = (store: MemoryRecordStore) => {
    const start = store.pagesListed;
    return { elapsed: () => store.pagesListed - start, budgetMs: 3 };
  };

  it('carries on where the last invocation stopped, and ends as one long invocation would', async () => {
    const oneGo = await aSite();
    await runPersonalDataReport({ store: oneGo, report: fakeApi({ 'acc-bob': 'closed' }).report, clock: () => T1, newToken: tokens() });

    const store = await aSite();
    const api = fakeApi({ 'acc-bob': 'closed' });
    const newToken = tokens();
    const phases: string[] = [];
    for (let invocation = 0; invocation < 1_000; invocation += 1) {
      const outcome = await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken, ...budgeted(store) });
      phases.push(outcome.phase);
      if (outcome.phase === 'partial') expect(await readLargeValue(store, PRIVACY_SCAN_KEY)).toMatchObject({ v: 1 });
      if (outcome.phase !== 'partial') break;
    }
    expect(phases.length).toBeGreaterThan(2);
    expect(phases.at(-1)).toBe('complete');
    expect(api.calls).toHaveLength(1); // every id, reported once per cycle
    expect([...store.values.keys()].filter((k) => k.startsWith(PRIVACY_SCAN_KEY))).toEqual([]);
    expect(Object.fromEntries(store.values)).toEqual(Object.fromEntries(oneGo.values));
  });

  it(`waits ${REPORT_CYCLE_DAYS} days after a complete cycle, and starts again at once after a failed one`, async () => {
    const store = await aSite();
    expect((await runPersonalDataReport({ store, report: fakeApi().report, clock: () => T1, newToken: tokens() })).phase).toBe('complete');
    const idle = fakeApi();
    expect(await runPersonalDataReport({ store, report: idle.report, clock: () => new Date(T1.getTime() + REPORT_CYCLE_DAYS * DAY - 1), newToken: tokens() })).toMatchObject({ phase: 'idle', pages: 0 });
    expect(idle.calls).toEqual([]);

    const week = new Date(T1.getTime() + REPORT_CYCLE_DAYS * DAY);
    expect(await runPersonalDataReport({ store, report: fakeApi({}, 1).report, clock: () => week, newToken: tokens() })).toMatchObject({ phase: 'complete', failed: 'PERSONAL_DATA_REPORT_FAILED' });
    const retry = fakeApi();
    expect((await runPersonalDataReport({ store, report: retry.report, clock: () => week, newToken: tokens() })).phase).toBe('complete');
    expect(retry.calls).toHaveLength(1);
  });

  it('starts the cycle over when its stored progress is unreadable', async () => {
    const store = await aSite();
    await store.set(PRIVACY_SCAN_KEY, { v: 1, phase: 'apply', todo: 'garbage' });
    const api = fakeApi();
    expect(await runPersonalDataReport({ store, report: api.report, clock: () => T1, newToken: tokens() })).toMatchObject({ phase: 'complete', records: 6, accounts: 4 });
    expect(api.calls).toHaveLength(1);
  });
});
