/**
 * The population of changes in an observation period and its completeness record: the JQL, the
 * run time, the count, and a SHA-256 over the sorted keys with their last-updated times, so an
 * auditor can re-run the command and compare. Pure (node:crypto for the hash).
 */
import { createHash } from 'node:crypto';
import { AuditTicket, compareIssueKeys, isInPeriod } from './audit-ticket';
import type { Period } from './period';

export const POPULATION_FORMAT = 'cc81-population';
export const MEMBERSHIP_RULE = 'created, or changed status, at or after `from` and before `to` (UTC)';
export const HASH_INPUT = 'one line per ticket, sorted by issue key (project, then number): KEY, a tab, the last-updated time as ISO 8601 UTC (toISOString), a newline';

export type PopulationSource =
  | { kind: 'site'; site: string }
  | { kind: 'export'; files: { name: string; sha256: string }[] };

export interface PopulationItem {
  key: string;
  updated: string;
}

export interface PopulationRecord {
  format: typeof POPULATION_FORMAT;
  formatVersion: 1;
  /** The JQL as given; for an export file, the JQL the export was made with (when given). */
  jql: string | null;
  /** The JQL sent to the site (the given JQL and a date prefilter); null for export files. */
  effectiveJql: string | null;
  period: { from: string; to: string; membership: string };
  runAt: string;
  source: PopulationSource;
  count: number;
  hash: { algorithm: 'sha256'; input: string; value: string };
  /** Tickets the source returned that fall outside the period (read, not counted). */
  outsidePeriod: number;
  items: PopulationItem[];
}

export interface Population {
  record: PopulationRecord;
  /** The tickets in the period, in key order. */
  tickets: AuditTicket[];
}

/** SHA-256 (hex) over the documented hash input. */
export const populationHash = (items: readonly PopulationItem[]): string => {
  const hash = createHash('sha256');
  for (const item of items) hash.update(`${item.key}\t${item.updated}\n`);
  return hash.digest('hex');
};

export interface PopulationInput {
  tickets: readonly AuditTicket[];
  period: Period;
  jql: string | null;
  effectiveJql: string | null;
  source: PopulationSource;
  now: Date;
}

export const buildPopulation = (input: PopulationInput): Population => {
  const inside = input.tickets.filter((t) => isInPeriod(t, input.period)).sort((a, b) => compareIssueKeys(a.key, b.key));
  const items = inside.map((t) => ({ key: t.key, updated: t.updated.toISOString() }));
  return {
    tickets: inside,
    record: {
      format: POPULATION_FORMAT,
      formatVersion: 1,
      jql: input.jql,
      effectiveJql: input.effectiveJql,
      period: { from: input.period.from.toISOString(), to: input.period.to.toISOString(), membership: MEMBERSHIP_RULE },
      runAt: input.now.toISOString(),
      source: input.source,
      count: items.length,
      hash: { algorithm: 'sha256', input: HASH_INPUT, value: populationHash(items) },
      outsidePeriod: input.tickets.length - inside.length,
      items,
    },
  };
};
