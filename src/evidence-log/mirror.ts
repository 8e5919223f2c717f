/**
 * The `cc81.evidence` issue property as a mirror of the log: for JQL and for the Jira expressions
 * that hide buttons early. Any user who can edit the issue can write it, so nothing decides on it.
 */
import { EvidenceProperty, evidenceBytes, ISSUE_PROPERTY_MAX_BYTES } from '../jira/evidence-property';
import type { LogRecord } from './log-record';

/** The log's records in the property's shape (what `mapChange` takes as the evidence). */
export const projectLog = (records: readonly LogRecord[]): EvidenceProperty => ({
  version: 1,
  records: records.map((r) => ({ edge: r.edge, from: r.from, to: r.to, accountId: r.accountId, at: r.at, executionId: r.executionId })),
});

/**
 * The mirror to write: the whole log, or, past Jira's 32 KB limit on a property, the newest
 * records that fit (the log keeps them all; `omitted` says how many the mirror leaves out).
 */
export const mirrorOf = (records: readonly LogRecord[], limit = ISSUE_PROPERTY_MAX_BYTES): { property: EvidenceProperty; omitted: number } => {
  const all = projectLog(records);
  // Drop the oldest until it fits: each record costs its JSON plus a comma.
  let bytes = evidenceBytes(all);
  let drop = 0;
  while (drop < all.records.length && bytes > limit) {
    bytes -= Buffer.byteLength(JSON.stringify(all.records[drop]), 'utf8') + (drop < all.records.length - 1 ? 1 : 0);
    drop += 1;
  }
  return { property: { version: 1, records: all.records.slice(drop) }, omitted: drop };
};
