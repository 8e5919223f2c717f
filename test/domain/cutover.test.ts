// Issue 16: tickets from before the app. A policy's cut-over turns what happened before it into
// "before enforcement" notices; the audit keeps reporting them, and the review shows the split.
import { auditChange, enforcedFrom, parsePolicy, Policy } from '../../src/domain';
import { buildPopulation } from '../../src/evidence/population.builder';
import { buildQuarterlyReview } from '../../src/evidence/review.builder';
import { renderAuditTable, renderReviewTable } from '../../cli/render';
import { buildAuditReport } from '../../src/evidence/audit-report.builder';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { anAuditTicket } from '../builders/audit-ticket.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const { requester, implementer, verifier } = PEOPLE;
/** Approved by the implementer (an exception) at hour 2, then cleanly through; a second self-approval at hour 50 after a re-assessment. */
const change = aChange({ key: 'CHG-7', state: 'Closed', fields: { approver: { accountId: implementer } } });
const history = aHistory()
  .move('Draft', 'Assessment', requester, 1)
  .move('Assessment', 'Approved', implementer, 2)
  .move('Approved', 'Assessment', requester, 40)
  .move('Assessment', 'Approved', implementer, 50)
  .move('Approved', 'Scheduled', requester, 51)
  .move('Scheduled', 'Implemented', implementer, 52)
  .move('Implemented', 'Closed', verifier, 60)
  .build();
const withCutover = (cutover: string | null): Policy => aPolicy({ cutover });
const selfApprovals = (policy: Policy) =>
  auditChange(change, history, policy, at(100))
    .filter((f) => f.code === 'APPROVER_IS_IMPLEMENTER')
    .map((f) => ({ at: f.at, severity: f.severity, beforeEnforcement: f.beforeEnforcement ?? false }));

describe('the cut-over', () => {
  it('without one, everything is enforced', () => {
    expect(selfApprovals(withCutover(null))).toEqual([
      { at: at(2), severity: 'exception', beforeEnforcement: false },
      { at: at(50), severity: 'exception', beforeEnforcement: false },
    ]);
  });

  it('before it: a notice marked before enforcement; from it on: an exception (a date-time, exactly)', () => {
    expect(selfApprovals(withCutover(at(50).toISOString()))).toEqual([
      { at: at(2), severity: 'notice', beforeEnforcement: true },
      { at: at(50), severity: 'exception', beforeEnforcement: false },
    ]);
    expect(selfApprovals(withCutover(new Date(at(50).getTime() + 1).toISOString())).map((f) => f.beforeEnforcement)).toEqual([true, true]);
  });

  it('a date means UTC midnight', () => {
    expect(enforcedFrom({ cutover: '2026-03-01' })).toEqual(new Date('2026-03-01T00:00:00.000Z'));
    expect(enforcedFrom({ cutover: '2026-03-01T09:30:00+01:00' })).toEqual(new Date('2026-03-01T08:30:00.000Z'));
    expect(enforcedFrom({ cutover: null })).toBeNull();
  });

  it.each(['01.03.2026', '2026-02-30', 'yesterday'])('refuses %j as a cut-over, saying how to write one', (cutover) => {
    const parsed = parsePolicy({ cutover });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain('cutover');
  });

  it('the audit report counts them apart, the text says so, and the quarterly review shows the split', () => {
    const policy = withCutover(at(20).toISOString());
    const ticket = anAuditTicket({ ...change, createdAt: at(0) }, history);
    const population = buildPopulation({ tickets: [ticket], period: { from: at(0), to: at(200) }, jql: null, effectiveJql: null, source: { kind: 'export', files: [] }, now: at(100) });
    const report = buildAuditReport([ticket], population.record, policy, at(100));
    const enforced = buildAuditReport([ticket], population.record, withCutover(null), at(100));
    expect(report.summary).toMatchObject({ exceptions: enforced.summary.exceptions - 1, notices: enforced.summary.notices + 1, beforeEnforcement: 1 });
    expect(report.tickets[0]!.findings.filter((f) => f.beforeEnforcement)).toEqual([expect.objectContaining({ code: 'APPROVER_IS_IMPLEMENTER', severity: 'notice', at: at(2).toISOString() })]);
    const text = renderAuditTable(report);
    expect(text).toMatch(/APPROVER_IS_IMPLEMENTER\s+notice \(before enforcement\)\s+\S+ \S+\s+/);
    expect(text).toContain(`${report.summary.exceptions} exceptions, 1 notices (1 before enforcement), 0 unreadable`);
    const review = buildQuarterlyReview({ quarter: '2026', period: { from: at(0), to: at(200) }, population: population.record, tickets: population.tickets, policy, now: at(100) });
    expect(review.exceptions).toMatchObject({ total: report.summary.exceptions, byCode: { APPROVER_IS_IMPLEMENTER: 1 }, beforeEnforcement: { cutover: at(20).toISOString(), total: 1, byCode: { APPROVER_IS_IMPLEMENTER: 1 } } });
    expect(renderReviewTable(review)).toContain(`Before enforcement (before the cut-over ${at(20).toISOString().replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, 'Z')}, notices): 1 (APPROVER_IS_IMPLEMENTER 1)`);
    const without = buildQuarterlyReview({ quarter: '2026', period: { from: at(0), to: at(200) }, population: population.record, tickets: population.tickets, policy: withCutover(null), now: at(100) });
    expect(without.exceptions).toMatchObject({ total: enforced.summary.exceptions, byCode: { APPROVER_IS_IMPLEMENTER: 2 }, beforeEnforcement: null });
  });
});
