import { hasExceptions, buildAuditReport } from '../../src/evidence/audit-report.builder';
import { toAuditTicket } from '../../src/evidence/audit-ticket';
import { buildPopulation } from '../../src/evidence/population.builder';
import { ChangelogSchema } from '../../src/jira/schemas';
import { MalformedResponseError } from '../../src/shared/app-error';
import { aMappedPolicy } from '../builders/mapped-policy.builder';

const policy = aMappedPolicy();
const status = (name: string) => ({ id: policy.statuses[name as keyof typeof policy.statuses] ?? '999', name });
const issue = (fields: Record<string, unknown>) => ({ id: '10001', key: 'CHG-1', fields: { created: '2026-03-01T10:00:00.000+0000', updated: '2026-03-05T10:00:00.000+0000', ...fields } });
const moved = (created: string, from: string, to: string) => ChangelogSchema.parse({ id: '1', created, author: null, items: [{ fieldId: 'status', field: 'status', from, to }] });

describe('toAuditTicket', () => {
  it('keeps created, updated and the status-change times', () => {
    const t = toAuditTicket({ issue: issue({ status: status('Assessment') }), histories: [moved('2026-03-02T09:00:00.000+0000', status('Draft').id, status('Assessment').id)] }, policy);
    expect(t.updated.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    expect(t.activity.map((d) => d.toISOString())).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-02T09:00:00.000Z']);
    expect(t.problem).toBeNull();
    expect(t.mapped?.change.state).toBe('Assessment');
  });

  it('keeps a ticket with an unmapped status as unreadable, with the reason, so the audit reports it', () => {
    const t = toAuditTicket({ issue: issue({ status: { id: '999', name: 'Waiting' } }), histories: [] }, policy);
    expect(t.mapped).toBeNull();
    expect(t.problem).toContain('Jira status 999 is not mapped');
    const population = buildPopulation({ tickets: [t], period: { from: new Date('2026-01-01'), to: new Date('2027-01-01') }, jql: null, effectiveJql: null, source: { kind: 'export', files: [] }, now: new Date('2026-06-01') });
    const report = buildAuditReport(population.tickets, population.record, policy, new Date('2026-06-01'));
    expect(report.summary).toMatchObject({ tickets: 1, unreadable: 1, ticketsWithExceptions: 1 });
    expect(hasExceptions(report)).toBe(true);
  });

  it('refuses an issue without its updated time (the completeness hash needs it)', () => {
    const { updated: _u, ...fields } = issue({ status: status('Draft') }).fields;
    void _u;
    expect(() => toAuditTicket({ issue: { id: '1', key: 'CHG-1', fields }, histories: [] }, policy)).toThrow(MalformedResponseError);
  });
});
