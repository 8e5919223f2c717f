import { chainRecord } from '../../src/evidence-log/hash-chain';
import { GENESIS_HASH, LogRecord } from '../../src/evidence-log/log-record';
import { mirrorOf, projectLog } from '../../src/evidence-log/mirror';
import { evidenceBytes, ISSUE_PROPERTY_MAX_BYTES } from '../../src/jira/evidence-property';
import { aLogEntry } from '../builders/log-entry.builder';

const chain = (n: number, executionId = (i: number) => `exec-${i}`): LogRecord[] => {
  const records: LogRecord[] = [];
  for (let i = 1; i <= n; i += 1) {
    records.push(chainRecord(aLogEntry({ executionId: executionId(i) }), { seq: i, prevHash: records.at(-1)?.hash ?? GENESIS_HASH }, 'c'.repeat(32)));
  }
  return records;
};

describe('the mirror of the log', () => {
  it('shows each record without its chain fields', () => {
    const [record] = chain(1) as [LogRecord];
    expect(projectLog([record])).toEqual({
      version: 1,
      records: [{ edge: record.edge, from: record.from, to: record.to, accountId: record.accountId, at: record.at, executionId: record.executionId }],
    });
  });

  it('is the whole log while it fits', () => {
    const records = chain(20);
    expect(mirrorOf(records)).toEqual({ property: projectLog(records), omitted: 0 });
  });

  it('keeps the newest records that fit in 32 KB, measured in bytes (the log keeps all)', () => {
    const records = chain(400, (i) => `exec-é-${i}`);
    const { property, omitted } = mirrorOf(records);
    expect(omitted).toBeGreaterThan(0);
    expect(evidenceBytes(property)).toBeLessThanOrEqual(ISSUE_PROPERTY_MAX_BYTES);
    expect(property.records.at(-1)?.executionId).toBe('exec-é-400');
    expect(property.records[0]?.executionId).toBe(`exec-é-${omitted + 1}`);
    // Not one record more would have fitted.
    expect(evidenceBytes(projectLog(records.slice(omitted - 1)))).toBeGreaterThan(ISSUE_PROPERTY_MAX_BYTES);
  });

  it('leaves the mirror empty rather than over the limit', () => {
    expect(mirrorOf(chain(2), 10)).toEqual({ property: { version: 1, records: [] }, omitted: 2 });
  });
});
