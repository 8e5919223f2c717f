import fc from 'fast-check';
import { chainRecord, describeChainProblem, hashRecord, StoredEntry, verifyChain } from '../../src/evidence-log/hash-chain';
import { logHeadKey, logRecordKey } from '../../src/evidence-log/log-keys';
import { GENESIS_HASH, LogRecord } from '../../src/evidence-log/log-record';
import { ERASED_PREFIX } from '../../src/privacy/account-references';
import { aLogEntry, counterSalt } from '../builders/log-entry.builder';
import { at } from '../builders/clock';
import { PEOPLE } from '../builders/people.builder';

const ISSUE = '10001';
const STEPS = [
  { edge: 'submit', from: 'Draft', to: 'Assessment', accountId: PEOPLE.requester },
  { edge: 'approve', from: 'Assessment', to: 'Approved', accountId: PEOPLE.approver },
  { edge: 'schedule', from: 'Approved', to: 'Scheduled', accountId: PEOPLE.implementer },
  { edge: 'implement', from: 'Scheduled', to: 'Implemented', accountId: PEOPLE.implementer },
  { edge: 'close', from: 'Implemented', to: 'Closed', accountId: PEOPLE.verifier },
] as const;

/** A chain of `n` records (n ≤ 10), as stored: key → value, plus the head. */
const buildChain = (n: number): LogRecord[] => {
  const salt = counterSalt();
  const records: LogRecord[] = [];
  for (let i = 0; i < n; i += 1) {
    const step = STEPS[i % STEPS.length]!;
    const previous = records.at(-1);
    records.push(
      chainRecord(
        aLogEntry({ issueId: ISSUE, ...step, at: at(i + 1).toISOString(), executionId: `exec-${i + 1}` }),
        { seq: i + 1, prevHash: previous ? previous.hash : GENESIS_HASH },
        salt(),
      ),
    );
  }
  return records;
};
const stored = (records: readonly unknown[]): StoredEntry[] => records.map((value, i) => ({ key: logRecordKey(ISSUE, i + 1), value }));
const headOf = (records: readonly LogRecord[]) => ({ seq: records.length, hash: records[records.length - 1]!.hash });
const kinds = (entries: StoredEntry[], head: unknown) => verifyChain(ISSUE, entries, head).problems.map((p) => `${p.kind}@${p.seq}`);

describe('chainRecord', () => {
  it('starts at 1 on the genesis hash and links each record to the one before', () => {
    const [first, second] = buildChain(2) as [LogRecord, LogRecord];
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, issueId: ISSUE, executionId: 'exec-1' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(first.hash).toBe(hashRecord(first));
    expect(second.hash).not.toBe(first.hash);
  });

  // Stored chains must verify forever: a change to the hashed form breaks every chain already written.
  // The values were computed outside this code (Python's hashlib and json over the documented form).
  it('hashes a known record to a known value', () => {
    const record = chainRecord(
      { issueId: '10001', edge: 'approve', from: 'Assessment', to: 'Approved', accountId: 'acc-approver', at: '2026-03-02T09:00:00.000Z', executionId: 'exec-1' },
      { seq: 1, prevHash: GENESIS_HASH },
      '0'.repeat(31) + '1',
    );
    expect(record.actorDigest).toBe('ab28771e0a525079067a3319469db5837cbf502319801e98a951f39a9fb2f016');
    expect(record.hash).toBe('c18d3e9b3189e2389fea54dda528f727f1ffabd91455e7e8dd439e0bcbcee43a');
  });

  it('keeps no salt or digest when no actor was named', () => {
    const record = chainRecord(aLogEntry({ accountId: null }), { seq: 1, prevHash: GENESIS_HASH }, 'f'.repeat(32));
    expect(record).toMatchObject({ accountId: null, actorSalt: null, actorDigest: null });
    expect(verifyChain(record.issueId, [{ key: logRecordKey(record.issueId, 1), value: record }], undefined).problems).toEqual([]);
  });
});

describe('verifyChain', () => {
  it('finds nothing wrong with an intact chain, and puts the next record after the last', () => {
    const records = buildChain(5);
    const reading = verifyChain(ISSUE, stored(records), headOf(records));
    expect(reading.problems).toEqual([]);
    expect(reading.records).toEqual(records);
    expect(reading.next).toEqual({ seq: 6, prevHash: records[4]!.hash });
  });

  it('starts an empty log at 1 on the genesis hash', () => {
    expect(verifyChain(ISSUE, [], undefined)).toEqual({ records: [], problems: [], next: { seq: 1, prevHash: GENESIS_HASH } });
  });

  it.each([
    ['the actor', (r: LogRecord) => ({ ...r, accountId: PEOPLE.outsider }), ['altered@3']],
    ['the time', (r: LogRecord) => ({ ...r, at: at(0).toISOString() }), ['altered@3']],
    ['the step', (r: LogRecord) => ({ ...r, edge: 'approve', from: 'Assessment', to: 'Approved' }), ['altered@3']],
    ['the actor, with a new digest and hash', (r: LogRecord) => chainRecord({ ...r, accountId: PEOPLE.outsider }, { seq: r.seq, prevHash: r.prevHash }, 'a'.repeat(32)), ['broken-link@4']],
  ])('detects a record whose %s was changed', (_what, alter, expected) => {
    const records = buildChain(5);
    const entries = stored(records.map((r) => (r.seq === 3 ? alter(r) : r)));
    expect(kinds(entries, headOf(records))).toEqual(expected);
  });

  it('detects a deleted record in the middle', () => {
    const records = buildChain(5);
    const entries = stored(records).filter((e) => e.key !== logRecordKey(ISSUE, 3));
    expect(kinds(entries, headOf(records))).toEqual(['gap@4', 'broken-link@4']);
  });

  it('detects deleted records at the end through the head', () => {
    const records = buildChain(5);
    expect(kinds(stored(records).slice(0, 3), headOf(records))).toEqual(['truncated@5']);
    expect(kinds(stored(records).slice(0, 0), headOf(records))).toEqual(['truncated@5']);
  });

  it('accepts a head one record behind (the head write after a record failed), never one that disagrees', () => {
    const records = buildChain(5);
    expect(kinds(stored(records), { seq: 4, hash: records[3]!.hash })).toEqual([]);
    expect(kinds(stored(records), { seq: 4, hash: records[2]!.hash })).toEqual(['altered@4']);
    expect(kinds(stored(records), { seq: 'x' })).toEqual(['malformed@0']);
  });

  it('detects two records that swapped places', () => {
    const records = buildChain(5);
    const swapped = [records[0], records[2], records[1], records[3], records[4]];
    expect(kinds(stored(swapped), headOf(records))).toEqual(['misplaced@2', 'broken-link@2', 'misplaced@3', 'broken-link@3', 'broken-link@4']);
  });

  it('reports a value that is not a record, links past it, and appends after it', () => {
    const records = buildChain(3);
    const entries = stored([records[0], { note: 'not a record' }, records[2]]);
    const reading = verifyChain(ISSUE, entries, headOf(records));
    expect(reading.problems).toEqual([{ kind: 'malformed', seq: 2 }]);
    expect(reading.next).toEqual({ seq: 4, prevHash: records[2]!.hash });
  });

  it('detects a record copied in from another issue', () => {
    const other = chainRecord(aLogEntry({ issueId: '10002' }), { seq: 2, prevHash: GENESIS_HASH }, 'b'.repeat(32));
    const records = buildChain(1);
    expect(kinds(stored([records[0], other]), undefined)).toEqual(['misplaced@2', 'broken-link@2']);
  });

  it('ignores keys of other issues whose id starts the same', () => {
    const records = buildChain(2);
    const entries = [...stored(records), { key: `cc81:log:${ISSUE}:extra`, value: {} }];
    expect(kinds(entries, headOf(records))).toEqual([]);
  });

  it('still verifies once the privacy job has erased a closed account (id replaced, salt dropped)', () => {
    const records = buildChain(3);
    const erased = records.map((r) => (r.accountId === PEOPLE.approver ? { ...r, accountId: `${ERASED_PREFIX}1`, actorSalt: null } : r));
    expect(kinds(stored(erased), headOf(records))).toEqual([]);
  });

  it('detects a salt or digest removed where an actor is named', () => {
    const records = buildChain(2);
    expect(kinds(stored([records[0], { ...records[1], actorDigest: null }]), undefined)).toEqual(['altered@2']);
  });

  it('detects any alteration, deletion or reordering (property)', () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('alter' as const), index: fc.nat(), field: fc.constantFrom('accountId', 'at', 'executionId', 'edge', 'prevHash', 'seq') }),
      fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), index: fc.nat(), other: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), tamper, (n, t) => {
        const records = buildChain(n);
        const values: unknown[] = [...records];
        const i = t.index % n;
        if (t.kind === 'alter') {
          const r = records[i]!;
          const changed: Record<string, unknown> = {
            accountId: `${r.accountId}-x`,
            at: at(100).toISOString(),
            executionId: `${r.executionId}-x`,
            edge: r.edge === 'close' ? 'approve' : 'close',
            prevHash: 'e'.repeat(64),
            seq: r.seq + 1,
          };
          values[i] = { ...r, [t.field]: changed[t.field] };
        } else if (t.kind === 'delete') {
          values.splice(i, 1);
        } else {
          const j = t.other % n === i ? (i + 1) % n : t.other % n;
          [values[i], values[j]] = [values[j], values[i]];
        }
        const entries = t.kind === 'delete' ? stored(values).filter((_, k) => k < i).concat(values.slice(i).map((value, k) => ({ key: logRecordKey(ISSUE, i + k + 2), value }))) : stored(values);
        expect(verifyChain(ISSUE, entries, headOf(records)).problems.length).toBeGreaterThan(0);
      }),
    );
  });

  it('describes each problem by record number', () => {
    expect(describeChainProblem({ kind: 'altered', seq: 3 })).toBe('log record 3 no longer matches its hash');
    expect(describeChainProblem({ kind: 'truncated', seq: 5 })).toBe('the log ends before record 5, the last one written');
    expect(describeChainProblem({ kind: 'malformed', seq: 0 })).toBe('the log head is not valid');
  });

  it('uses the head key apart from the record keys', () => {
    expect(logHeadKey(ISSUE).startsWith(`cc81:log:${ISSUE}:`)).toBe(false);
  });
});
