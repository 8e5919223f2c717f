import type { LogEntry } from '../../src/evidence-log/log-record';
import { at } from './clock';
import { PEOPLE } from './people.builder';

/** One lifecycle step as the evidence recorder logs it (Assessment → Approved by the approver). */
export const aLogEntry = (overrides: Partial<LogEntry> = {}): LogEntry => ({
  issueId: '10001',
  edge: 'approve',
  from: 'Assessment',
  to: 'Approved',
  accountId: PEOPLE.approver,
  at: at(1).toISOString(),
  executionId: 'exec-approve-1',
  ...overrides,
});

/** A counter salt: the same test always stores the same records. */
export const counterSalt = () => {
  let n = 0;
  return () => (n += 1).toString(16).padStart(32, '0');
};
