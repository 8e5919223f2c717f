/**
 * One ticket as the auditor tooling holds it: the REST issue and its changelog mapped to the
 * domain, plus what population membership and the completeness hash need (created, updated, the
 * times of status changes). A ticket that cannot be mapped keeps its `problem` instead: it stays
 * in the population (nothing is silently dropped) and is reported. Pure.
 */
import { isAppError, MalformedResponseError } from '../shared/app-error';
import { mapChange, MappedChange, STATUS_FIELD_ID } from '../jira/map-change';
import { Changelog, FALLBACK, fastIssueTimes, IssueJson, IssueTimesSchema } from '../jira/schemas';
import { inPeriod, Period } from './period';
import type { EvidenceIntegrity } from '../domain';
import type { EvidenceProperty } from '../jira/evidence-property';

export interface RawTicket {
  issue: IssueJson;
  histories: readonly Changelog[];
  /** The app's log as evidence (the in-app export); absent: the issue's `cc81.evidence` mirror (the CLI). */
  evidence?: EvidenceProperty;
  /** How the mirror compares with the app's log (the in-app export), reported as `EVIDENCE_TAMPERED`. */
  integrity?: EvidenceIntegrity;
}

export interface AuditTicket {
  id: string;
  key: string;
  created: Date;
  updated: Date;
  /** Creation and every status change in the changelog. */
  activity: Date[];
  mapped: MappedChange | null;
  /** Why the ticket could not be mapped (unmapped status, off-schema field value); null when it was. */
  problem: string | null;
}

/** The fields every source must deliver besides the policy's mapped ones. */
export const CORE_FIELD_IDS = [STATUS_FIELD_ID, 'created', 'creator', 'updated'] as const;

const isStatusHistory = (history: Changelog) => history.items.some((item) => (item.fieldId ?? item.field) === STATUS_FIELD_ID);

export const toAuditTicket = (raw: RawTicket, policy: Parameters<typeof mapChange>[1]): AuditTicket => {
  const { issue } = raw;
  const fast = fastIssueTimes(issue.fields);
  const times = fast === FALLBACK ? IssueTimesSchema.safeParse(issue.fields) : { success: true as const, data: fast };
  if (!times.success) {
    throw new MalformedResponseError(`issue ${issue.key}`, times.error.issues.map((i) => ({ path: `fields.${i.path.map(String).join('.')}`, problem: i.code })));
  }
  const activity = [times.data.created, ...raw.histories.filter(isStatusHistory).map((h) => h.created)];
  let mapped: MappedChange | null = null;
  let problem: string | null = null;
  try {
    mapped = mapChange({ issue, histories: raw.histories, ...(raw.evidence ? { evidence: raw.evidence } : {}) }, policy);
    if (raw.integrity) mapped = { ...mapped, change: { ...mapped.change, integrity: raw.integrity } };
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return { id: issue.id, key: issue.key, created: times.data.created, updated: times.data.updated, activity, mapped, problem };
};

/** In the period: created, or changed status, inside it. */
export const isInPeriod = (ticket: Pick<AuditTicket, 'activity'>, period: Period): boolean => ticket.activity.some((at) => inPeriod(period, at));

/** Issue keys in project order, then by number (`CHG-2` before `CHG-10`). */
export const compareIssueKeys = (a: string, b: string): number => {
  const [pa, na] = splitKey(a);
  const [pb, nb] = splitKey(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
};

const splitKey = (key: string): [string, number] => {
  const dash = key.lastIndexOf('-');
  const n = Number(key.slice(dash + 1));
  return dash > 0 && Number.isInteger(n) ? [key.slice(0, dash), n] : [key, -1];
};

