import { MalformedResponseError } from '../../src/shared/app-error';
import { emptyEvidence, EvidencePropertyRecord, parseEvidenceProperty, toDomainEvidence } from '../../src/jira/evidence-property';
import { at } from '../builders/clock';

const record = (executionId: string, overrides: Partial<EvidencePropertyRecord> = {}): EvidencePropertyRecord => ({
  edge: 'postHocApprove',
  from: 'Implemented',
  to: 'Implemented',
  accountId: 'acc-approver',
  at: at(20).toISOString(),
  executionId,
  ...overrides,
});

describe('parseEvidenceProperty', () => {
  it('treats an absent property as empty, and parses records into domain evidence', () => {
    expect(parseEvidenceProperty(null)).toEqual(emptyEvidence());
    const parsed = parseEvidenceProperty({ version: 1, records: [record('exec-1', { at: '2026-03-02T20:00:00.000+01:00' })] });
    expect(toDomainEvidence(parsed)).toEqual([{ from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: new Date('2026-03-02T19:00:00.000Z'), executionId: 'exec-1' }]);
  });

  it('refuses a corrupted property rather than treating it as empty', () => {
    expect(() => parseEvidenceProperty({ version: 2, records: [] })).toThrow(MalformedResponseError);
    expect(() => parseEvidenceProperty({ version: 1, records: [{ ...record('x'), edge: 'selfApprove' }] })).toThrow(MalformedResponseError);
  });
});
