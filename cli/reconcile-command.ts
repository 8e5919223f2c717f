/**
 * Deployments for `cc81 reconcile` (and `--deployments` on sample, evidence and review): log files
 * (CSV or JSON, `--deployments`) and dumps of recorded gate calls (`--from-gate`), each file's
 * SHA-256 kept for the report; and the reconciliation as a table.
 */
import { createHash } from 'node:crypto';
import { DeploymentFileError, idStem, parseDeploymentFile, type LoggedDeployment } from '../src/deployments/deployment-file';
import { loggedDeploymentsOfRecords, parseGateDump } from '../src/deployments/gate-dump';
import type { GateRecord } from '../src/deployments/gate-record';
import type { DeploymentSource, ReconcileReport } from '../src/deployments/reconcile-report';
import { InputFileError, UsageError } from './cli-errors';
import type { Command } from './help';
import { readBytes } from './input-files';
import { textTable } from './text-table';
import { strings, type Values } from './values';

export interface DeploymentInput {
  deployments: LoggedDeployment[];
  sources: DeploymentSource[];
  /** The records of `--from-gate` files (for the evidence packs' gate section). */
  gateRecords: GateRecord[];
}

export const hasDeploymentFiles = (values: Values): boolean => strings(values, 'deployments').length + strings(values, 'from-gate').length > 0;

const asInputError = (kind: 'Deployment file' | 'Gate record file', name: string, error: unknown): unknown =>
  error instanceof DeploymentFileError ? new InputFileError(kind, name, error.problems.length > 1 ? `\n  ${error.problems.join('\n  ')}` : (error.problems[0] ?? 'unusable'), { cause: error }) : error;

/** Every deployment of `--deployments` and `--from-gate` files, in the order given. */
export const readDeployments = async (values: Values, command: Command): Promise<DeploymentInput> => {
  const logs = strings(values, 'deployments');
  const dumps = strings(values, 'from-gate');
  if (!logs.length && !dumps.length) throw new UsageError('Give the deployments: --deployments FILE (CSV or JSON) or --from-gate FILE (recorded gate calls).', command);
  const stems = new Map<string, string>();
  for (const name of logs) {
    const clash = stems.get(idStem(name));
    if (clash !== undefined) throw new UsageError(`--deployments ${clash} and ${name} have the same file name; their deployment ids (file:line) would clash. Rename one.`, command);
    stems.set(idStem(name), name);
  }
  const deployments: LoggedDeployment[] = [];
  const sources: DeploymentSource[] = [];
  const gateRecords: GateRecord[] = [];
  const read = async (kind: 'Deployment file' | 'Gate record file', name: string, parse: (text: string) => LoggedDeployment[]) => {
    const bytes = await readBytes(name, (problem, cause) => new InputFileError(kind, name, problem, { cause }));
    let found: LoggedDeployment[];
    try {
      found = parse(bytes.toString('utf8'));
    } catch (error) {
      throw asInputError(kind, name, error);
    }
    sources.push({ name, kind: kind === 'Deployment file' ? 'log' : 'gate', sha256: createHash('sha256').update(bytes).digest('hex'), count: found.length });
    for (const d of found) deployments.push(d);
  };
  for (const name of logs) await read('Deployment file', name, (text) => parseDeploymentFile(name, text));
  for (const name of dumps) {
    await read('Gate record file', name, (text) => {
      const records = parseGateDump(name, text);
      for (const r of records) gateRecords.push(r);
      return loggedDeploymentsOfRecords(records);
    });
  }
  return { deployments, sources, gateRecords };
};

const when = (at: string) => at.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, 'Z');
const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);

export const renderReconcileTable = (report: ReconcileReport): string => {
  const rows = [
    ...report.deployments.flatMap((d) =>
      d.findings.map((f) => [d.id, when(d.at), d.environment, d.sha?.slice(0, 7) ?? '-', d.deployer, f.change ?? '-', f.code, f.severity, f.message]),
    ),
    ...report.deployments.flatMap((d) => d.unreadable.map((key) => [d.id, when(d.at), d.environment, d.sha?.slice(0, 7) ?? '-', d.deployer, key, 'UNREADABLE', 'exception', `${key} could not be read, so this deployment could not be judged against it.`])),
    ...report.changes.flatMap((c) => c.findings.map((f) => ['-', '-', '-', '-', '-', c.key, f.code, f.severity, f.message])),
  ];
  const s = report.summary;
  const counts = Object.entries(s.byCode).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  return [
    `Deployments: ${report.sources.deployments.map((f) => `${f.name} (${f.count}, SHA-256 ${f.sha256})`).join(', ')}`,
    `Tickets read: ${report.sources.tickets}; period: ${report.period ? `${report.period.from} to ${report.period.to}` : 'all'}`,
    '',
    rows.length ? textTable(['DEPLOYMENT', 'WHEN (UTC)', 'ENV', 'SHA', 'DEPLOYER', 'CHANGE', 'CODE', 'SEVERITY', 'MESSAGE'], rows) : 'No findings.\n',
    `${s.deployments} deployments in the period${s.outsidePeriod ? ` (${s.outsidePeriod} outside it, used only for matching)` : ''}: ${s.matchedByKey} matched by key, ${s.matchedBySha} by commit SHA, ${s.unmatched} without a change${s.unjudged ? `, ${s.unjudged} matched to an unreadable ticket` : ''}`,
    `Covered by an approved change: ${s.covered} of ${s.deployments} (${percent(s.coverage)})`,
    `${s.exceptions} exceptions, ${s.notices} notices. By code: ${counts}`,
    '',
  ].join('\n');
};
