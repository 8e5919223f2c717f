/** Text renderings of the audit report and the quarterly review. */
import type { AuditReport } from '../src/evidence/audit-report.builder';
import type { QuarterlyReview } from '../src/evidence/review.builder';
import { textTable } from './text-table';

const when = (at: string | null) => (at ? at.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, 'Z') : '-');
const counts = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

export const renderAuditTable = (report: AuditReport): string => {
  const rows = report.tickets.flatMap((t) => [
    ...(t.problem ? [[t.key, t.state ?? '-', t.changeType ?? '-', 'UNREADABLE', 'exception', '-', t.problem]] : []),
    ...t.findings.map((f) => [t.key, t.state ?? '-', t.changeType ?? '-', f.code, f.beforeEnforcement ? 'notice (before enforcement)' : f.severity, when(f.at), f.message]),
  ]);
  const s = report.summary;
  return [
    `Population: ${report.population.count} tickets, SHA-256 ${report.population.hash}`,
    `Period: ${report.population.period.from} to ${report.population.period.to}`,
    '',
    rows.length ? textTable(['KEY', 'STATE', 'TYPE', 'CODE', 'SEVERITY', 'WHEN (UTC)', 'MESSAGE'], rows) : 'No findings.\n',
    `${s.tickets} tickets, ${s.ticketsWithExceptions} with exceptions: ${s.exceptions} exceptions, ${s.notices} notices${s.beforeEnforcement ? ` (${s.beforeEnforcement} before enforcement)` : ''}, ${s.unreadable} unreadable`,
    `By code: ${counts(s.byCode as Record<string, number>)}`,
    '',
  ].join('\n');
};

export const renderReviewTable = (review: QuarterlyReview): string => {
  const e = review.emergency;
  const r = review.relaxations;
  const lines = [
    `CC8.1 quarterly review ${review.quarter} (${review.period.from} to ${review.period.to})`,
    `Population: ${review.population.count} changes, SHA-256 ${review.population.hash}`,
    '',
    `By type:  ${counts(review.counts.byType)}`,
    `By risk:  ${counts(review.counts.byRisk)}`,
    `By state: ${counts(review.counts.byState)}`,
    '',
    `Exceptions: ${review.exceptions.total} (${counts(review.exceptions.byCode as Record<string, number>)})`,
    ...(review.exceptions.beforeEnforcement
      ? [`Before enforcement (before the cut-over ${when(review.exceptions.beforeEnforcement.cutover)}, notices): ${review.exceptions.beforeEnforcement.total} (${counts(review.exceptions.beforeEnforcement.byCode as Record<string, number>)})`]
      : []),
    review.exceptions.items.length ? textTable(['KEY', 'CODE', 'WHEN (UTC)', 'MESSAGE'], review.exceptions.items.map((x) => [x.key, x.code, when(x.at), x.message])) : '',
    `Emergency changes: ${e.count}; approved post hoc ${e.approvedPostHoc}; median time to post-hoc approval ${e.medianHoursToPostHocApproval === null ? '-' : `${e.medianHoursToPostHocApproval} h`}; still open ${e.open}`,
    e.late.length ? `Late post-hoc approvals:\n${textTable(['KEY', 'IMPLEMENTED', 'DUE', 'APPROVED', 'LATE BY'], e.late.map((l) => [l.key, when(l.implementedAt), when(l.dueAt), when(l.approvedAt), `${l.lateByHours} h`]))}` : 'Late post-hoc approvals: none',
    e.missing.length ? `Missing post-hoc approvals:\n${textTable(['KEY', 'IMPLEMENTED', 'DUE'], e.missing.map((m) => [m.key, when(m.implementedAt), when(m.dueAt)]))}` : 'Missing post-hoc approvals: none',
    '',
    `Segregation relaxation: ${r.enabledInPolicy ? `enabled (compensating control: ${r.compensatingControl})` : 'not enabled'}; used ${r.used.length} time(s)${r.used.length ? `: ${r.used.map((u) => u.key).join(', ')}` : ''}`,
    ...(review.deployments
      ? [
          `Deployments: ${review.deployments.count}; covered by an approved change ${review.deployments.covered}${review.deployments.coverage === null ? '' : ` (${(review.deployments.coverage * 100).toFixed(1)}%)`}; matched by key ${review.deployments.matchedByKey}, by commit SHA ${review.deployments.matchedBySha}; without a change ${review.deployments.withoutChange}`,
          `Deployment findings: ${counts(review.deployments.byCode as Record<string, number>)}`,
        ]
      : []),
    review.unreadable.length ? `Unreadable tickets: ${review.unreadable.map((u) => `${u.key} (${u.problem})`).join('; ')}` : '',
    '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
};
