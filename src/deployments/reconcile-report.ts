/** The reconciliation as JSON (`cc81 reconcile --format json`, reconcile.json in an evidence pack). Pure. */
import type { ReconcileResult, ReconciledDeployment, ReconcileFinding, ReconcileSummary, MatchKind } from './reconcile';

export const RECONCILE_FORMAT = 'cc81-reconcile';

export interface DeploymentSource {
  /** The file as given, or `gate` for recorded gate calls. */
  name: string;
  kind: 'log' | 'gate';
  sha256: string;
  count: number;
}

export interface ReconciledDeploymentJson {
  id: string;
  at: string;
  environment: string;
  sha: string | null;
  deployer: string;
  deployerAccountId: string | null;
  changeKeys: string[];
  match: MatchKind;
  changes: string[];
  unreadable: string[];
  covered: boolean;
  findings: ReconcileFinding[];
}

export interface ReconcileReport {
  format: typeof RECONCILE_FORMAT;
  formatVersion: 1;
  generatedAt: string;
  policyVersion: number;
  period: { from: string; to: string } | null;
  sources: { deployments: DeploymentSource[]; tickets: number };
  /** How a deployment is matched to a change, in the auditor's words. */
  matching: string;
  summary: ReconcileSummary;
  deployments: ReconciledDeploymentJson[];
  changes: ReconcileResult['changes'];
}

export const MATCHING_RULE =
  'By key: a change key the deployment names (key column, else KEY-123 as written in its ref, PR title or message) that is a ticket read. ' +
  'Else by SHA: the tickets of the key-matched deployments of the same commit (a SHA of 7 or more digits matches the full SHA it starts). Else none: never by guess.';

export const deploymentJson = (d: ReconciledDeployment): ReconciledDeploymentJson => ({
  id: d.deployment.id,
  at: d.deployment.at.toISOString(),
  environment: d.deployment.environment,
  sha: d.deployment.sha,
  deployer: d.deployment.deployer,
  deployerAccountId: d.deployment.deployerAccountId,
  changeKeys: d.deployment.changeKeys,
  match: d.match,
  changes: d.changes,
  unreadable: d.unreadable,
  covered: d.covered,
  findings: d.findings,
});

export interface ReconcileReportInput {
  result: ReconcileResult;
  sources: DeploymentSource[];
  tickets: number;
  policyVersion: number;
  period: { from: Date; to: Date } | null;
  now: Date;
}

export const buildReconcileReport = ({ result, sources, tickets, policyVersion, period, now }: ReconcileReportInput): ReconcileReport => ({
  format: RECONCILE_FORMAT,
  formatVersion: 1,
  generatedAt: now.toISOString(),
  policyVersion,
  period: period ? { from: period.from.toISOString(), to: period.to.toISOString() } : null,
  sources: { deployments: sources, tickets },
  matching: MATCHING_RULE,
  summary: result.summary,
  deployments: result.deployments.map(deploymentJson),
  changes: result.changes,
});
