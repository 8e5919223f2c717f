/**
 * The quarterly review: counts by type, risk and state; the exceptions; emergency changes with the
 * median time to post-hoc approval and the late or missing ones; segregation relaxations used. Pure.
 */
import { CHANGE_TYPES, enforcedFrom, FindingCode, Policy, postHocStatus, RISKS, STATES } from '../domain';
import { auditTicket } from './audit-report.builder';
import type { AuditTicket } from './audit-ticket';
import type { Period } from './period';
import type { PopulationRecord } from './population.builder';
import type { ReconcileSummary } from '../deployments/reconcile';

export const REVIEW_FORMAT = 'cc81-quarterly-review';
const HOUR_MS = 3_600_000;

export interface QuarterlyReview {
  format: typeof REVIEW_FORMAT;
  formatVersion: 1;
  quarter: string;
  period: { from: string; to: string };
  generatedAt: string;
  population: { count: number; hash: string };
  counts: {
    byType: Record<string, number>;
    byRisk: Record<string, number>;
    byState: Record<string, number>;
  };
  exceptions: {
    total: number;
    byCode: Partial<Record<FindingCode, number>>;
    items: { key: string; code: FindingCode; message: string; at: string | null }[];
    /** What would be exceptions but happened before the policy's cut-over (issue 16); null without a cut-over. */
    beforeEnforcement: { cutover: string; total: number; byCode: Partial<Record<FindingCode, number>> } | null;
  };
  emergency: {
    count: number;
    approvedPostHoc: number;
    /** Implementation to post-hoc approval, in hours, over the approved ones; null when none. */
    medianHoursToPostHocApproval: number | null;
    late: { key: string; implementedAt: string; dueAt: string; approvedAt: string; lateByHours: number }[];
    missing: { key: string; implementedAt: string; dueAt: string }[];
    /** Still inside the window (pending or warning). */
    open: number;
  };
  relaxations: {
    enabledInPolicy: boolean;
    compensatingControl: string | null;
    used: { key: string; at: string | null; approverAccountId: string | null }[];
  };
  unreadable: { key: string; problem: string }[];
  /** Only when deployments were given: the share of the quarter's deployments covered by an approved change. */
  deployments?: {
    count: number;
    covered: number;
    /** covered / count (4 decimals); null when there were none. */
    coverage: number | null;
    matchedByKey: number;
    matchedBySha: number;
    withoutChange: number;
    exceptions: number;
    byCode: ReconcileSummary['byCode'];
  };
}

const NONE = '(not set)';

export const median = (values: readonly number[]): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const zeroCounts = (keys: readonly string[]): Record<string, number> => Object.fromEntries(keys.map((k) => [k, 0]));
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface ReviewInput {
  quarter: string;
  period: Period;
  population: PopulationRecord;
  tickets: readonly AuditTicket[];
  policy: Policy;
  now: Date;
  /** The reconciliation of the quarter's deployments (`--deployments`); absent: no deployments block. */
  deployments?: ReconcileSummary;
}

const deploymentsBlock = (s: ReconcileSummary): NonNullable<QuarterlyReview['deployments']> => ({
  count: s.deployments,
  covered: s.covered,
  coverage: s.coverage,
  matchedByKey: s.matchedByKey,
  matchedBySha: s.matchedBySha,
  withoutChange: s.unmatched,
  exceptions: s.exceptions,
  byCode: s.byCode,
});

export const buildQuarterlyReview = ({ quarter, period, population, tickets, policy, now, deployments }: ReviewInput): QuarterlyReview => {
  const counts = { byType: zeroCounts(CHANGE_TYPES), byRisk: zeroCounts(RISKS), byState: zeroCounts(STATES) };
  const cutover = enforcedFrom(policy);
  const exceptions: QuarterlyReview['exceptions'] = { total: 0, byCode: {}, items: [], beforeEnforcement: cutover ? { cutover: cutover.toISOString(), total: 0, byCode: {} } : null };
  const emergency: QuarterlyReview['emergency'] = { count: 0, approvedPostHoc: 0, medianHoursToPostHocApproval: null, late: [], missing: [], open: 0 };
  const relaxation = policy.lowRiskRelaxation;
  const relaxations: QuarterlyReview['relaxations'] = { enabledInPolicy: relaxation.enabled, compensatingControl: relaxation.enabled ? relaxation.compensatingControl : null, used: [] };
  const unreadable: QuarterlyReview['unreadable'] = [];
  const hoursToApproval: number[] = [];

  for (const ticket of tickets) {
    if (!ticket.mapped) {
      unreadable.push({ key: ticket.key, problem: ticket.problem ?? 'unreadable' });
      continue;
    }
    const { change, history } = ticket.mapped;
    bump(counts.byType, change.fields.changeType ?? NONE);
    bump(counts.byRisk, change.fields.risk ?? NONE);
    bump(counts.byState, change.state);
    for (const f of auditTicket(ticket, policy, now)) {
      if (f.code === 'SOD_RELAXATION_USED') {
        relaxations.used.push({ key: change.key, at: f.at?.toISOString() ?? null, approverAccountId: f.people.find((p) => p.role === 'approver')?.accountId ?? null });
      }
      if (f.beforeEnforcement && exceptions.beforeEnforcement) {
        exceptions.beforeEnforcement.total += 1;
        exceptions.beforeEnforcement.byCode[f.code] = (exceptions.beforeEnforcement.byCode[f.code] ?? 0) + 1;
      }
      if (f.severity !== 'exception') continue;
      exceptions.total += 1;
      exceptions.byCode[f.code] = (exceptions.byCode[f.code] ?? 0) + 1;
      exceptions.items.push({ key: change.key, code: f.code, message: f.message, at: f.at?.toISOString() ?? null });
    }
    // An emergency is one typed so now, or one implemented as an emergency and retyped since (issue 15).
    const clock = postHocStatus(change, history, policy, now);
    if (change.fields.changeType !== 'emergency' && clock.status === 'not-needed') continue;
    emergency.count += 1;
    if (clock.status === 'satisfied-on-time' || clock.status === 'satisfied-late') {
      emergency.approvedPostHoc += 1;
      hoursToApproval.push((clock.approvedAt.getTime() - clock.implementedAt.getTime()) / HOUR_MS);
      if (clock.status === 'satisfied-late') {
        emergency.late.push({
          key: change.key,
          implementedAt: clock.implementedAt.toISOString(),
          dueAt: clock.dueAt.toISOString(),
          approvedAt: clock.approvedAt.toISOString(),
          lateByHours: round1(clock.lateByMs / HOUR_MS),
        });
      }
    } else if (clock.status === 'overdue') {
      emergency.missing.push({ key: change.key, implementedAt: clock.implementedAt.toISOString(), dueAt: clock.dueAt.toISOString() });
    } else if (clock.status === 'pending' || clock.status === 'warning') {
      emergency.open += 1;
    }
  }
  const m = median(hoursToApproval);
  emergency.medianHoursToPostHocApproval = m === null ? null : round1(m);
  return {
    format: REVIEW_FORMAT,
    formatVersion: 1,
    quarter,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    generatedAt: now.toISOString(),
    population: { count: population.count, hash: population.hash.value },
    counts,
    exceptions,
    emergency,
    relaxations,
    unreadable,
    ...(deployments ? { deployments: deploymentsBlock(deployments) } : {}),
  };
};
