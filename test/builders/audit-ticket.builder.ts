import type { Change, History } from '../../src/domain';
import type { AuditTicket } from '../../src/evidence/audit-ticket';

/** An audit ticket straight from a domain change and history (no REST mapping). */
export const anAuditTicket = (change: Change, history: History, updated?: Date): AuditTicket => ({
  id: change.key.replace(/\D/g, '') || '1',
  key: change.key,
  created: change.createdAt,
  updated: updated ?? new Date(Math.max(change.createdAt.getTime(), ...history.map((h) => h.at.getTime()))),
  activity: [change.createdAt, ...history.filter((h) => h.kind === 'status').map((h) => h.at)],
  mapped: { change, history, stats: { unknownStatusItems: 0, evidenceAdded: 0, evidenceDuplicates: 0, evidenceUnmatched: 0 } },
  problem: null,
});

/** A ticket known only by key and times (as a population needs). */
export const aBareTicket = (key: string, created: Date, updated: Date, statusChanges: Date[] = []): AuditTicket => ({
  id: key,
  key,
  created,
  updated,
  activity: [created, ...statusChanges],
  mapped: null,
  problem: 'not mapped in this test',
});
