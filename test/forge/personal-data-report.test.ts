// Adapter test: @forge/api's privacy helper and @forge/kvs are mocked in this file only.
import { privacy } from '@forge/api';
import { kvs } from '@forge/kvs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createPersonalDataTrigger, forgeReportAccounts, kvsRecordStore, PERSONAL_DATA_BUDGET_MS, productionPersonalDataDeps } from '../../src/forge/personal-data-report';
import type { LogFields } from '../../src/ports/logger';
import { PersonalDataReportError } from '../../src/privacy/personal-data-report';
import { MemoryRecordStore } from '../privacy/memory-record-store';

jest.mock('@forge/api', () => ({ privacy: { reportPersonalData: jest.fn() } }));
const mockQuery = { where: jest.fn(), limit: jest.fn(), cursor: jest.fn(), getMany: jest.fn() };
jest.mock('@forge/kvs', () => ({
  kvs: { query: jest.fn(() => mockQuery), get: jest.fn(), set: jest.fn(), delete: jest.fn() },
  WhereConditions: { beginsWith: (value: string) => ({ condition: 'BEGINS_WITH', values: [value] }) },
}));

const report = privacy.reportPersonalData as jest.Mock;
const ACCOUNTS = [{ accountId: 'acc-1', updatedAt: '2026-03-01T10:00:00.000Z' }];

beforeEach(() => {
  jest.clearAllMocks();
  for (const fn of [mockQuery.where, mockQuery.limit, mockQuery.cursor]) fn.mockReturnValue(mockQuery);
});

describe('forgeReportAccounts (privacy.reportPersonalData)', () => {
  it('passes the accounts and returns the parsed updates', async () => {
    report.mockResolvedValue([{ accountId: 'acc-1', status: 'closed' }]);
    await expect(forgeReportAccounts(ACCOUNTS)).resolves.toEqual([{ accountId: 'acc-1', status: 'closed' }]);
    expect(report).toHaveBeenCalledWith(ACCOUNTS);
  });

  it('turns the HTTP response the helper rejects with into PersonalDataReportError with its status', async () => {
    report.mockRejectedValue({ status: 429, headers: {} });
    const error = await forgeReportAccounts(ACCOUNTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonalDataReportError);
    expect(error).toMatchObject({ status: 429, code: 'PERSONAL_DATA_REPORT_FAILED' });
  });

  it('reports a network failure with no status, and refuses an answer of the wrong shape', async () => {
    report.mockRejectedValue(new Error('socket hang up'));
    await expect(forgeReportAccounts(ACCOUNTS)).rejects.toMatchObject({ status: null });
    report.mockResolvedValue([{ accountId: 'acc-1', status: 'gone' }]);
    await expect(forgeReportAccounts(ACCOUNTS)).rejects.toBeInstanceOf(PersonalDataReportError);
  });
});

describe('kvsRecordStore', () => {
  it('lists by key prefix, page by page, following the cursor', async () => {
    mockQuery.getMany.mockResolvedValueOnce({ results: [{ key: 'cc81:a', value: 1 }], nextCursor: 'c2' }).mockResolvedValueOnce({ results: [{ key: 'cc81:b', value: 2 }] });
    const store = kvsRecordStore();
    await expect(store.list('cc81:', null)).resolves.toEqual({ records: [{ key: 'cc81:a', value: 1 }], nextCursor: 'c2' });
    await expect(store.list('cc81:', 'c2')).resolves.toEqual({ records: [{ key: 'cc81:b', value: 2 }], nextCursor: null });
    expect(mockQuery.where).toHaveBeenCalledWith('key', { condition: 'BEGINS_WITH', values: ['cc81:'] });
    expect(mockQuery.limit).toHaveBeenCalledWith(20); // KVS queries return at most 20 per page
    expect(mockQuery.cursor.mock.calls).toEqual([['c2']]);
    await store.delete('cc81:a');
    expect(kvs.delete).toHaveBeenCalledWith('cc81:a');
  });
});

describe('the personal data trigger', () => {
  it('never throws, and logs counts only, never an account id', async () => {
    const store = new MemoryRecordStore();
    await store.set('cc81:policy', { version: 1, updatedBy: 'acc-secret-1', policy: {} });
    const logs: { event: string; fields: LogFields }[] = [];
    const log = (event: string, fields: LogFields) => logs.push({ event, fields });
    const ok = createPersonalDataTrigger({ store, report: async () => [{ accountId: 'acc-secret-1', status: 'closed' }], clock: () => new Date(0), newToken: () => 't', log });
    await expect(ok()).resolves.toEqual({ statusCode: 204 });
    // A week on, the next cycle starts.
    const broken = createPersonalDataTrigger({ store, report: () => Promise.reject(new TypeError('bug')), clock: () => new Date(7 * 86_400_000), newToken: () => 't', log });
    await store.set('cc81:policy', { version: 1, updatedBy: 'acc-secret-2', policy: {} });
    await expect(broken()).resolves.toEqual({ statusCode: 204 });
    expect(logs.map((l) => [l.event, l.fields.outcome])).toEqual([
      ['cc81-personal-data', 'ok'],
      ['cc81-personal-data', 'error'],
    ]);
    expect(logs[0]!.fields).toMatchObject({ closed: 1, rewritten: 1 });
    expect(JSON.stringify(logs)).not.toContain('acc-secret');
  });
});

describe('the production job', () => {
  it('stops inside the function timeout the manifest gives it, and runs daily to carry a long cycle on', () => {
    const manifest = parse(readFileSync(path.resolve(__dirname, '../../manifest.yml'), 'utf8')) as {
      modules: { function: { key: string; timeoutSeconds?: number }[]; scheduledTrigger: { key: string; function: string; interval: string }[] };
    };
    const trigger = manifest.modules.scheduledTrigger.find((t) => t.key === 'cc81-personal-data')!;
    expect(trigger.interval).toBe('day');
    const timeoutSeconds = manifest.modules.function.find((f) => f.key === trigger.function)!.timeoutSeconds ?? 55;
    expect(PERSONAL_DATA_BUDGET_MS).toBeLessThanOrEqual((timeoutSeconds - 30) * 1000);
    const deps = productionPersonalDataDeps();
    expect(deps.budgetMs).toBe(PERSONAL_DATA_BUDGET_MS);
    expect(deps.elapsed!()).toBeLessThan(1_000);
  });
});
