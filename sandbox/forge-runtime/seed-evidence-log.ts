/**
 * Seeds the app's evidence log for tickets imported with a history (the demo site, bulk imports,
 * tests recording a step): what the evidence recorder would have written had the app been
 * installed when those steps were taken. A new issue's chain is written in one pass; an issue
 * that already has a log gets the app's own idempotent append (a store that outlived a restart
 * gains nothing twice).
 */
import { randomBytes } from 'node:crypto';
import { appendEvidenceLog } from '../../src/evidence-log/evidence-log';
import { chainRecord } from '../../src/evidence-log/hash-chain';
import { logHeadKey, logRecordKey } from '../../src/evidence-log/log-keys';
import { GENESIS_HASH, LogEntry } from '../../src/evidence-log/log-record';
import type { LedgerStore } from '../../src/ports/ledger-store';

export const seedEvidenceLog = async (store: LedgerStore, entries: readonly LogEntry[]): Promise<number> => {
  const byIssue = new Map<string, LogEntry[]>();
  for (const entry of entries) byIssue.set(entry.issueId, [...(byIssue.get(entry.issueId) ?? []), entry]);
  let written = 0;
  for (const [issueId, issueEntries] of byIssue) {
    if ((await store.get(logHeadKey(issueId))) !== undefined) {
      for (const entry of issueEntries) if ((await appendEvidenceLog(store, entry)).outcome === 'appended') written += 1;
      continue;
    }
    let position = { seq: 1, prevHash: GENESIS_HASH };
    for (const entry of issueEntries) {
      const record = chainRecord(entry, position, randomBytes(16).toString('hex'));
      await store.setIfAbsent(logRecordKey(issueId, record.seq), record);
      position = { seq: record.seq + 1, prevHash: record.hash };
      written += 1;
    }
    await store.set(logHeadKey(issueId), { seq: position.seq - 1, hash: position.prevHash });
  }
  return written;
};
