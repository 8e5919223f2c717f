/**
 * Reconciliation (issue 19): every deployment in a period against the change tickets, from the
 * production end. A deployment is matched to tickets
 *   1. by key: any of its change keys that is a ticket read;
 *   2. else by SHA: the tickets of the deployments of the same commit that were matched by key
 *      (the commit that went to staging naming CHG-12 and to production naming nothing);
 *   3. else not at all: never by guess (a key that is no ticket read, a similar branch name, a
 *      nearby time: none of them match).
 * Each finding sits on exactly one deployment (by its id) or one ticket:
 *   DEPLOYMENT_WITHOUT_CHANGE per unmatched deployment; `deploymentFindings` per matched deployment
 *   and ticket; CHANGE_NEVER_DEPLOYED (a notice) per ticket implemented in the period that no
 *   deployment in the log names.
 * Tickets are indexed by key and key-matched commits by SHA (Maps), so the work is linear in the
 * deployments plus the tickets. Pure: the inputs are all it reads.
 */
import {
  Change,
  DEPLOYMENT_FINDING_SEVERITY,
  deploymentFindings,
  DeploymentFindingCode,
  History,
  isImplementationStep,
  Policy,
  sameCommit,
  sortHistory,
  stepsFromHistory,
} from '../domain';
import { withRecurringWindows } from '../schedule/recurring-window';
import { compareIssueKeys } from '../evidence/audit-ticket';
import type { LoggedDeployment } from './deployment-file';

export interface ReconcileTicket {
  key: string;
  /** The change and its history; null when the ticket could not be read (its deployments are then matched but not judged). */
  mapped: { change: Change; history: History } | null;
}

export interface ReconcilePeriod {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface ReconcileInput {
  deployments: readonly LoggedDeployment[];
  tickets: readonly ReconcileTicket[];
  policy: Policy;
  /** Only deployments inside it are judged, and only tickets implemented inside it owe a deployment; every deployment still counts for matching. */
  period?: ReconcilePeriod | null;
}

export type MatchKind = 'key' | 'sha' | 'none';

export interface ReconcileFinding {
  code: DeploymentFindingCode;
  severity: 'exception' | 'notice';
  /** The change the finding is about; null for a deployment no change covers. */
  change: string | null;
  message: string;
}

export interface ReconciledDeployment {
  deployment: LoggedDeployment;
  match: MatchKind;
  /** The tickets it is matched to, in the order its keys name them (by SHA: in issue-key order). */
  changes: string[];
  /** Matched tickets that could not be read, so the deployment could not be judged against them. */
  unreadable: string[];
  findings: ReconcileFinding[];
  /** Matched, judged against every matched ticket, and no exception: covered by an approved change. */
  covered: boolean;
}

export interface ReconciledChange {
  key: string;
  findings: ReconcileFinding[];
}

export interface ReconcileSummary {
  /** Deployments in the period (all of them without a period). */
  deployments: number;
  outsidePeriod: number;
  matchedByKey: number;
  matchedBySha: number;
  unmatched: number;
  /** Matched to a ticket that could not be read. */
  unjudged: number;
  covered: number;
  /** covered / deployments, rounded to 4 decimals; null when there are none. */
  coverage: number | null;
  exceptions: number;
  notices: number;
  byCode: Partial<Record<DeploymentFindingCode, number>>;
}

export interface ReconcileResult {
  /** The deployments in the period, by time, then id. */
  deployments: ReconciledDeployment[];
  /** Tickets with a finding of their own (CHANGE_NEVER_DEPLOYED), by key order as given. */
  changes: ReconciledChange[];
  summary: ReconcileSummary;
}

const SHA_BUCKET = 7;

/** Key-matched commits: the first 7 hex digits → each full SHA seen → the tickets its deployments named. */
class CommitIndex {
  private readonly buckets = new Map<string, Map<string, Set<string>>>();

  add(sha: string, keys: readonly string[]) {
    const prefix = sha.slice(0, SHA_BUCKET);
    let bucket = this.buckets.get(prefix);
    if (!bucket) this.buckets.set(prefix, (bucket = new Map()));
    let known = bucket.get(sha);
    if (!known) bucket.set(sha, (known = new Set()));
    for (const key of keys) known.add(key);
  }

  /** The tickets of every key-matched deployment of the same commit (short and full SHAs match). */
  keysOf(sha: string): string[] {
    const bucket = this.buckets.get(sha.slice(0, SHA_BUCKET));
    if (!bucket) return [];
    const keys = new Set<string>();
    for (const [known, ofCommit] of bucket) if (sameCommit(known, sha)) for (const key of ofCommit) keys.add(key);
    return [...keys].sort(compareIssueKeys);
  }
}

const inPeriod = (period: ReconcilePeriod | null | undefined, at: Date): boolean => !period || (at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime());

const finding = (code: DeploymentFindingCode, change: string | null, message: string): ReconcileFinding => ({ code, severity: DEPLOYMENT_FINDING_SEVERITY[code], change, message });

const list = (keys: readonly string[]) => (keys.length > 1 ? `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}` : (keys[0] ?? ''));

const withoutChange = (d: LoggedDeployment): ReconcileFinding => {
  const commit = d.sha ? `no deployment of commit ${d.sha.slice(0, 12)} names a change either` : 'it has no commit SHA to match by';
  const named = d.changeKeys.length
    ? `It names ${list(d.changeKeys)}, ${d.changeKeys.length > 1 ? 'none of them a ticket' : 'not a ticket'} among those read, and ${commit}.`
    : `It names no change key (in its ref, PR title, message or key column), and ${commit}.`;
  return finding('DEPLOYMENT_WITHOUT_CHANGE', null, named);
};

const byTimeThenId = (a: LoggedDeployment, b: LoggedDeployment) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** When each implementation step of the history happened. */
const implementationTimes = (history: History): Date[] => stepsFromHistory(sortHistory(history)).filter(isImplementationStep).map((s) => s.at);

export const reconcile = ({ deployments, tickets, policy, period }: ReconcileInput): ReconcileResult => {
  const byKey = new Map<string, ReconcileTicket>();
  for (const t of tickets) byKey.set(t.key, t);

  // 1. By key, over every deployment (outside the period too: they still say a commit belongs to a change).
  const keyed: string[][] = new Array(deployments.length);
  const commits = new CommitIndex();
  deployments.forEach((d, i) => {
    const keys = d.changeKeys.filter((k) => byKey.has(k));
    keyed[i] = keys;
    if (keys.length && d.sha) commits.add(d.sha, keys);
  });

  // 2. Else by SHA; record which tickets were ever deployed and the in-period deployments of each.
  const deployed = new Set<string>();
  const judged: { deployment: LoggedDeployment; match: MatchKind; changes: string[] }[] = [];
  const timesOf = new Map<string, Date[]>();
  let outsidePeriod = 0;
  deployments.forEach((d, i) => {
    let changes = keyed[i]!;
    let match: MatchKind = changes.length ? 'key' : 'none';
    if (!changes.length && d.sha) {
      changes = commits.keysOf(d.sha);
      if (changes.length) match = 'sha';
    }
    for (const key of changes) deployed.add(key);
    if (!inPeriod(period, d.at)) {
      outsidePeriod += 1;
      return;
    }
    judged.push({ deployment: d, match, changes });
    for (const key of changes) {
      const times = timesOf.get(key);
      if (times) times.push(d.at);
      else timesOf.set(key, [d.at]);
    }
  });

  // 3. Judge each matched deployment under each of its changes, as on record at its own time.
  const judgedChange = new Map<string, Change>();
  for (const [key, times] of timesOf) {
    const mapped = byKey.get(key)?.mapped;
    if (mapped) judgedChange.set(key, withRecurringWindows(mapped.change, mapped.history, null, times));
  }
  const reconciled: ReconciledDeployment[] = judged.map(({ deployment, match, changes }) => {
    if (match === 'none') return { deployment, match, changes, unreadable: [], findings: [withoutChange(deployment)], covered: false };
    const findings: ReconcileFinding[] = [];
    const unreadable: string[] = [];
    for (const key of changes) {
      const change = judgedChange.get(key);
      const mapped = byKey.get(key)?.mapped;
      if (!change || !mapped) {
        unreadable.push(key);
        continue;
      }
      for (const f of deploymentFindings(change, mapped.history, policy, deployment)) findings.push(finding(f.code, key, f.message));
    }
    const covered = unreadable.length === 0 && !findings.some((f) => f.severity === 'exception');
    return { deployment, match, changes, unreadable, findings, covered };
  });
  reconciled.sort((a, b) => byTimeThenId(a.deployment, b.deployment));

  // 4. Tickets implemented in the period that no deployment names.
  const changes: ReconciledChange[] = [];
  for (const ticket of byKey.values()) {
    if (!ticket.mapped || deployed.has(ticket.key)) continue;
    const implemented = implementationTimes(ticket.mapped.history).filter((at) => inPeriod(period, at));
    if (!implemented.length) continue;
    const when = implemented[0]!.toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
    changes.push({
      key: ticket.key,
      findings: [finding('CHANGE_NEVER_DEPLOYED', ticket.key, `${ticket.key} was marked implemented at ${when}, but no deployment in the log names it or shares a commit with one that does.`)],
    });
  }

  return { deployments: reconciled, changes, summary: summarize(reconciled, changes, outsidePeriod) };
};

const summarize = (deployments: readonly ReconciledDeployment[], changes: readonly ReconciledChange[], outsidePeriod: number): ReconcileSummary => {
  const s: ReconcileSummary = { deployments: deployments.length, outsidePeriod, matchedByKey: 0, matchedBySha: 0, unmatched: 0, unjudged: 0, covered: 0, coverage: null, exceptions: 0, notices: 0, byCode: {} };
  const count = (f: ReconcileFinding) => {
    s.byCode[f.code] = (s.byCode[f.code] ?? 0) + 1;
    if (f.severity === 'exception') s.exceptions += 1;
    else s.notices += 1;
  };
  for (const d of deployments) {
    if (d.match === 'key') s.matchedByKey += 1;
    else if (d.match === 'sha') s.matchedBySha += 1;
    else s.unmatched += 1;
    if (d.unreadable.length) s.unjudged += 1;
    if (d.covered) s.covered += 1;
    d.findings.forEach(count);
  }
  for (const c of changes) c.findings.forEach(count);
  s.coverage = deployments.length ? Math.round((s.covered / deployments.length) * 10_000) / 10_000 : null;
  return s;
};

/** Whether the result holds anything an auditor writes up: an exception, or a deployment that could not be judged. */
export const hasReconcileExceptions = (result: ReconcileResult): boolean => result.summary.exceptions > 0 || result.summary.unjudged > 0;

/** The reconciled deployments of each change (a deployment matched to two changes is under both). */
export const deploymentsByChange = (result: ReconcileResult): Map<string, ReconciledDeployment[]> => {
  const out = new Map<string, ReconciledDeployment[]>();
  for (const d of result.deployments) {
    for (const key of d.changes) {
      const known = out.get(key);
      if (known) known.push(d);
      else out.set(key, [d]);
    }
  }
  return out;
};
