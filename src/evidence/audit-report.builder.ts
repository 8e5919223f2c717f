/** Every finding of `auditChange` for every ticket of a population, with totals by code. Pure. */
import { auditChange, Finding, FINDING_CODES, FindingCode, Policy } from '../domain';
import type { AuditTicket } from './audit-ticket';
import type { PopulationRecord } from './population.builder';

export const AUDIT_FORMAT = 'cc81-audit';

export interface AuditFindingJson {
  code: FindingCode;
  severity: Finding['severity'];
  edge: Finding['edge'];
  field: Finding['field'];
  message: string;
  people: Finding['people'];
  at: string | null;
  timestamps: Record<string, string>;
  /** Before the policy's cut-over: a notice (issue 16). */
  beforeEnforcement?: true;
}

export interface AuditTicketJson {
  key: string;
  state: string | null;
  changeType: string | null;
  risk: string | null;
  findings: AuditFindingJson[];
  /** Set when the ticket could not be read; it is then not audited (and counts as an exception). */
  problem: string | null;
}

export interface AuditReport {
  format: typeof AUDIT_FORMAT;
  formatVersion: 1;
  generatedAt: string;
  policyVersion: number;
  population: Pick<PopulationRecord, 'count' | 'jql' | 'period'> & { hash: string };
  summary: {
    tickets: number;
    ticketsWithExceptions: number;
    exceptions: number;
    notices: number;
    /** Of the notices, those that would be exceptions but happened before the policy's cut-over. */
    beforeEnforcement: number;
    unreadable: number;
    byCode: Partial<Record<FindingCode, number>>;
  };
  tickets: AuditTicketJson[];
}

const isoTimestamps = (timestamps: Finding['timestamps']): AuditFindingJson['timestamps'] => {
  const out: Record<string, string> = {};
  for (const key of Object.keys(timestamps)) out[key] = timestamps[key]!.toISOString();
  return out;
};

export const findingJson = (f: Finding): AuditFindingJson => ({
  code: f.code,
  severity: f.severity,
  edge: f.edge,
  field: f.field,
  message: f.message,
  people: f.people,
  at: f.at ? f.at.toISOString() : null,
  timestamps: isoTimestamps(f.timestamps),
  ...(f.beforeEnforcement ? { beforeEnforcement: true as const } : {}),
});

/** The findings of one ticket at `now` (empty for an unreadable ticket). */
export const auditTicket = (ticket: AuditTicket, policy: Policy, now: Date): Finding[] =>
  ticket.mapped ? auditChange(ticket.mapped.change, ticket.mapped.history, policy, now) : [];

export const ticketJson = (ticket: AuditTicket, findings: readonly Finding[]): AuditTicketJson => ({
  key: ticket.key,
  state: ticket.mapped?.change.state ?? null,
  changeType: ticket.mapped?.change.fields.changeType ?? null,
  risk: ticket.mapped?.change.fields.risk ?? null,
  findings: findings.map(findingJson),
  problem: ticket.problem,
});

export const buildAuditReport = (tickets: readonly AuditTicket[], population: PopulationRecord, policy: Policy, now: Date): AuditReport => {
  const rows = tickets.map((t) => ticketJson(t, auditTicket(t, policy, now)));
  const all = rows.flatMap((r) => r.findings);
  const byCode: Partial<Record<FindingCode, number>> = {};
  for (const code of FINDING_CODES) {
    const n = all.filter((f) => f.code === code).length;
    if (n) byCode[code] = n;
  }
  return {
    format: AUDIT_FORMAT,
    formatVersion: 1,
    generatedAt: now.toISOString(),
    policyVersion: policy.version,
    population: { count: population.count, jql: population.jql, period: population.period, hash: population.hash.value },
    summary: {
      tickets: rows.length,
      ticketsWithExceptions: rows.filter((r) => r.problem !== null || r.findings.some((f) => f.severity === 'exception')).length,
      exceptions: all.filter((f) => f.severity === 'exception').length,
      notices: all.filter((f) => f.severity === 'notice').length,
      beforeEnforcement: all.filter((f) => f.beforeEnforcement).length,
      unreadable: rows.filter((r) => r.problem !== null).length,
      byCode,
    },
    tickets: rows,
  };
};

/** True when an auditor would write something up: an exception, or a ticket that could not be read. */
export const hasExceptions = (report: AuditReport): boolean => report.summary.exceptions > 0 || report.summary.unreadable > 0;
