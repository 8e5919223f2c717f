/**
 * Compares the evidence an issue shows (the `cc81.evidence` mirror, which anyone who can edit the
 * issue can write) with the app's log, and says in words what differs. Pure.
 */
import { differenceInMinutes } from 'date-fns';
import type { EvidenceIntegrity } from '../domain';
import { EvidencePropertyRecord, EvidencePropertySchema, EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { ChainReading, describeChainProblem } from './hash-chain';
import type { LogRecord } from './log-record';
import { mirrorOf } from './mirror';
import { EMPTY_NOTE, TamperNote } from './tamper-note';

/** A mirror write may still be on its way (or retried) this long after its record was logged. */
export const MIRROR_GRACE_MINUTES = 5;

const describe = (r: Pick<LogRecord, 'from' | 'to' | 'accountId' | 'at'>): string => `the step ${r.from} → ${r.to} by ${r.accountId ?? 'no one'} at ${r.at}`;

const SAME: readonly (keyof EvidencePropertyRecord)[] = ['edge', 'from', 'to', 'accountId', 'at'];

/**
 * Every way the mirror (`mirrorValue`, the property's value; undefined or null when absent)
 * departs from what the recorder would have written from the log, plus what is wrong with the
 * log's own chain, plus what was noted earlier (`note`) and is no longer visible. Log records
 * newer than the grace period, or written while the app's mirror write was failing, may be
 * missing from the mirror.
 */
export const compareEvidence = (reading: Pick<ChainReading, 'records' | 'problems'>, mirrorValue: unknown, now: Date, note: TamperNote = EMPTY_NOTE): EvidenceIntegrity => {
  const current = currentDifferences(reading, mirrorValue, now, note.mirrorStaleSince !== null);
  const seen = new Set(current);
  const earlier = note.noted.filter((n) => !seen.has(n.difference)).map((n) => `earlier, seen ${n.seenAt.slice(0, 16).replace('T', ' ')} UTC: ${n.difference}`);
  return { differences: [...current, ...earlier] };
};

/** The actors of mirror records the log does not hold (named in the differences, kept in the tamper note). */
export const accountIdsOnlyOnIssue = (reading: Pick<ChainReading, 'records'>, mirrorValue: unknown): string[] => {
  const parsed = EvidencePropertySchema.safeParse(mirrorValue ?? { version: 1, records: [] });
  if (!parsed.success) return [];
  const logged = new Set(reading.records.map((r) => r.executionId));
  return [...new Set(parsed.data.records.filter((r) => !logged.has(r.executionId) && r.accountId).map((r) => r.accountId!))];
};

/** The differences visible now (what the recorder and the sweep note). */
export const currentDifferences = (reading: Pick<ChainReading, 'records' | 'problems'>, mirrorValue: unknown, now: Date, mirrorStale = false): string[] => {
  const differences = reading.problems.map(describeChainProblem);
  const parsed = EvidencePropertySchema.safeParse(mirrorValue ?? { version: 1, records: [] });
  if (!parsed.success) {
    differences.push(`the issue property ${EVIDENCE_PROPERTY_KEY} is not the app's record format`);
    return differences;
  }
  const expected = mirrorOf(reading.records).property.records;
  const shown = new Map(parsed.data.records.map((r) => [r.executionId, r]));
  const logged = new Map(reading.records.map((r) => [r.executionId, r]));
  for (const record of parsed.data.records) {
    const original = logged.get(record.executionId);
    if (!original) {
      differences.push(`${describe(record)} is on the issue but not in the app's log`);
      continue;
    }
    const changed = SAME.filter((key) => record[key] !== original[key]);
    if (changed.length > 0) differences.push(`${describe(original)} was altered on the issue (${changed.join(', ')})`);
  }
  for (const record of expected) {
    if (shown.has(record.executionId) || mirrorStale) continue;
    if (differenceInMinutes(now, new Date(record.at)) < MIRROR_GRACE_MINUTES) continue;
    differences.push(`${describe(record)} is in the app's log but was removed from the issue`);
  }
  return differences;
};
