import { appendEvidenceLog, EvidenceLogContentionError, readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { logHeadKey, logRecordKey } from '../../src/evidence-log/log-keys';
import { GENESIS_HASH } from '../../src/evidence-log/log-record';
import type { LedgerStore } from '../../src/ports/ledger-store';
import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { aLogEntry, counterSalt } from '../builders/log-entry.builder';
import { at } from '../builders/clock';

const ISSUE = '10001';
const entry = (n: number) => aLogEntry({ issueId: ISSUE, executionId: `exec-${n}`, at: at(n).toISOString() });

describe('appendEvidenceLog', () => {
  it('writes the first record at 1 on the genesis hash, and the head', async () => {
    const store = createMemoryKvs();
    const result = await appendEvidenceLog(store, entry(1), { newSalt: counterSalt() });
    expect(result).toMatchObject({ outcome: 'appended', attempts: 1, record: { seq: 1, prevHash: GENESIS_HASH, executionId: 'exec-1' } });
    expect(store.snapshot()).toEqual({
      [logRecordKey(ISSUE, 1)]: result.record,
      [logHeadKey(ISSUE)]: { seq: 1, hash: result.record.hash },
    });
  });

  it('chains each new record to the last, and the chain verifies', async () => {
    const store = createMemoryKvs();
    let last;
    for (const n of [1, 2, 3]) last = await appendEvidenceLog(store, entry(n));
    const reading = await readEvidenceLog(store, ISSUE);
    expect(last?.chain).toEqual({ records: reading.records, problems: [] }); // what the mirror is written from, without a second read
    expect(reading.problems).toEqual([]);
    expect(reading.records.map((r) => [r.seq, r.executionId])).toEqual([
      [1, 'exec-1'],
      [2, 'exec-2'],
      [3, 'exec-3'],
    ]);
    expect(reading.records[2]?.prevHash).toBe(reading.records[1]?.hash);
  });

  it('records a retried post function once (same executionId)', async () => {
    const store = createMemoryKvs();
    const first = await appendEvidenceLog(store, entry(1));
    const before = store.snapshot();
    const again = await appendEvidenceLog(store, { ...entry(1), at: at(9).toISOString() });
    expect(again).toEqual({ outcome: 'duplicate', record: first.record, attempts: 1, chain: { records: [first.record], problems: [] } });
    expect(store.snapshot()).toEqual(before);
  });

  it('keeps every record when appends race, and one per execution', async () => {
    const store = createMemoryKvs();
    const results = await Promise.all([1, 2, 3, 4, 1, 2].map((n) => appendEvidenceLog(store, entry(n), { maxAttempts: 6 })));
    const reading = await readEvidenceLog(store, ISSUE);
    expect(reading.problems).toEqual([]);
    expect(reading.records.map((r) => r.executionId).sort()).toEqual(['exec-1', 'exec-2', 'exec-3', 'exec-4']);
    expect(results.filter((r) => r.outcome === 'appended')).toHaveLength(4);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });

  it('gives up with a clear error when the log keeps changing', async () => {
    const inner = createMemoryKvs();
    const busy: LedgerStore = { ...inner, setIfAbsent: async () => 'exists' };
    const error = await appendEvidenceLog(busy, entry(1), { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidenceLogContentionError);
    expect(error).toMatchObject({ code: 'EVIDENCE_LOG_CONTENTION', issueId: ISSUE, attempts: 3 });
    expect(inner.snapshot()).toEqual({});
  });

  it('appends after a damaged record and keeps reporting it', async () => {
    const store = createMemoryKvs();
    await appendEvidenceLog(store, entry(1));
    store.put(logRecordKey(ISSUE, 2), { junk: true });
    const result = await appendEvidenceLog(store, entry(3));
    expect(result.record.seq).toBe(3);
    expect((await readEvidenceLog(store, ISSUE)).problems).toEqual([{ kind: 'malformed', seq: 2 }]);
  });

  it('keeps the record when the head cannot be written; the retry finds it and the chain verifies', async () => {
    const inner = createMemoryKvs();
    let failHead = false;
    const flaky: LedgerStore = {
      ...inner,
      set: async (key, value) => {
        if (failHead && key === logHeadKey(ISSUE)) throw new Error('KVS unavailable');
        await inner.set(key, value);
      },
    };
    await appendEvidenceLog(flaky, entry(1));
    failHead = true;
    await expect(appendEvidenceLog(flaky, entry(2))).rejects.toThrow('KVS unavailable');
    failHead = false;
    expect(await appendEvidenceLog(flaky, entry(2))).toMatchObject({ outcome: 'duplicate', record: { seq: 2 } });
    const reading = await readEvidenceLog(flaky, ISSUE);
    expect(reading.problems).toEqual([]);
    expect(await inner.get(logHeadKey(ISSUE))).toMatchObject({ seq: 1 });
  });

  it('keeps issues apart', async () => {
    const store = createMemoryKvs();
    await appendEvidenceLog(store, entry(1));
    await appendEvidenceLog(store, { ...entry(1), issueId: '100011' });
    expect((await readEvidenceLog(store, ISSUE)).records).toHaveLength(1);
    expect((await readEvidenceLog(store, '100011')).records.map((r) => r.seq)).toEqual([1]);
  });
});
