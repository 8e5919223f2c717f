import { MalformedResponseError } from '../../src/shared/app-error';
import {
  appendEvidence,
  emptyEvidence,
  EVIDENCE_PROPERTY_KEY,
  evidenceBytes,
  EvidencePropertyRecord,
  ISSUE_PROPERTY_MAX_BYTES,
  parseEvidenceProperty,
  recordEvidence,
  toDomainEvidence,
} from '../../src/jira/evidence-property';
import { createJiraClient } from '../../src/jira/jira-client';
import { at } from '../builders/clock';
import { completeFields } from '../builders/change.builder';
import { FakeJira } from '../fakes/fake-jira';
import { issueJson } from '../fakes/jira-json.builder';

const record = (executionId: string, overrides: Partial<EvidencePropertyRecord> = {}): EvidencePropertyRecord => ({
  edge: 'postHocApprove',
  from: 'Implemented',
  to: 'Implemented',
  accountId: 'acc-approver',
  at: at(20).toISOString(),
  executionId,
  ...overrides,
});

describe('appendEvidence', () => {
  it('appends a new record and is idempotent by executionId', () => {
    const first = appendEvidence(emptyEvidence(), record('exec-1'));
    expect(first.outcome).toBe('appended');
    if (first.outcome !== 'appended') return;
    expect(first.property.records.map((r) => r.executionId)).toEqual(['exec-1']);
    expect(appendEvidence(first.property, record('exec-1', { accountId: 'acc-other' }))).toEqual({ outcome: 'duplicate' });
    const second = appendEvidence(first.property, record('exec-2'));
    expect(second.outcome === 'appended' && second.property.records).toHaveLength(2);
  });

  it('refuses to grow past the 32 KB limit, keeping every record, and reports an error code', () => {
    let property = emptyEvidence();
    let i = 0;
    for (;;) {
      const next = appendEvidence(property, record(`exec-${i++}`));
      if (next.outcome !== 'appended') {
        expect(next).toEqual({ outcome: 'full', code: 'EVIDENCE_PROPERTY_FULL', bytes: expect.any(Number), limit: ISSUE_PROPERTY_MAX_BYTES });
        break;
      }
      property = next.property;
    }
    expect(property.records).toHaveLength(i - 1);
    expect(evidenceBytes(property)).toBeLessThanOrEqual(ISSUE_PROPERTY_MAX_BYTES);
    expect(property.records.length).toBeGreaterThan(100); // room for a realistic lifetime of steps
  });

  it('measures bytes, not characters', () => {
    const ascii = appendEvidence(emptyEvidence(), record('a'.repeat(100)), 10_000);
    const multibyte = appendEvidence(emptyEvidence(), record('é'.repeat(100)), 10_000);
    expect(ascii.outcome === 'appended' && multibyte.outcome === 'appended' && multibyte.bytes - ascii.bytes).toBe(100);
  });
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

describe('recordEvidence', () => {
  const setup = () => {
    const jira = new FakeJira().addIssue(issueJson({ key: 'CHG-7', id: '10007', state: 'Implemented', fields: completeFields('emergency') }));
    return { jira, client: createJiraClient(jira.transport) };
  };

  it('reads, appends and writes the property: 2 calls, then 1 call for a replay', async () => {
    const { jira, client } = setup();
    expect((await recordEvidence(client, '10007', record('exec-1'))).outcome).toBe('appended');
    expect(jira.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect((await recordEvidence(client, '10007', record('exec-1'))).outcome).toBe('duplicate');
    expect(jira.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect(jira.issues.get('10007')?.properties.get(EVIDENCE_PROPERTY_KEY)).toEqual({ version: 1, records: [record('exec-1')] });
  });

  it('does not overwrite a corrupted property', async () => {
    const { jira, client } = setup();
    jira.issues.get('10007')?.properties.set(EVIDENCE_PROPERTY_KEY, { notes: 'typed by hand' });
    await expect(recordEvidence(client, '10007', record('exec-1'))).rejects.toThrow(MalformedResponseError);
    expect(jira.requests.map((r) => r.method)).toEqual(['GET']);
  });
});
