/**
 * The work of each `cc81` subcommand once its arguments are parsed: read the tickets (site or
 * export files), build the population, then the subcommand's output. Loaded by run-cli on demand,
 * so `--help` and usage errors never load zod, the domain or the evidence builders.
 */
import { resolve } from 'node:path';
import type { Policy } from '../src/domain';
import { buildAuditReport, hasExceptions } from '../src/evidence/audit-report.builder';
import type { AuditTicket } from '../src/evidence/audit-ticket';
import { buildEvidenceIndex, buildTicketPack, renderIndexHtml } from '../src/evidence/evidence-pack.builder';
import { parsePeriod, parseQuarter, Period } from '../src/evidence/period';
import { buildPopulation, Population, PopulationSource } from '../src/evidence/population.builder';
import { buildQuarterlyReview } from '../src/evidence/review.builder';
import { buildSample, MAX_SEED } from '../src/evidence/sample.builder';
import type { MappedChange } from '../src/jira/map-change';
import { countingTransport } from '../src/jira/transport';
import { writeDirectoryAtomic, writeFileAtomic } from './atomic-write';
import { EXIT, InputFileError, UsageError } from './cli-errors';
import { readExportFiles } from './export-source';
import type { Command } from './help';
import { httpTransport, siteBase } from './http-transport';
import { parsePolicyFile } from './policy-file';
import { runPolicyCommand } from './policy-command';
import type { KeyObject } from 'node:crypto';
import { importPublicKey } from '../src/evidence-log/mirror-seal';
import type { Progress } from './progress';
import { renderAuditTable, renderReviewTable } from './render';
import { deploymentsByChange, hasReconcileExceptions, reconcile, type ReconcileResult } from '../src/deployments/reconcile';
import { buildReconcileReport, type ReconcileReport } from '../src/deployments/reconcile-report';
import { buildDeploymentPopulation, buildDeploymentSample } from '../src/evidence/deployment-sample';
import { runGateCommand } from './gate-command';
import type { GateRecord } from '../src/deployments/gate-record';
import { hasDeploymentFiles, readDeployments, renderReconcileTable, type DeploymentInput } from './reconcile-command';
import type { CliIo } from './run-cli';
import { fetchSiteTickets, fetchSiteTicketsByKey, periodJql } from './site-source';
import { formatOf, required, str, strings, type Values } from './values';
import { readBytes } from './input-files';

export interface RunContext {
  site: string | null;
  restCalls: number | null;
  jqlSent: string | null;
}

export type { Values } from './values';

const wholeNumber = (values: Values, name: string, command: Command, max: number): number => {
  const text = required(values, name, command);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got '${text}'.`, command);
  return n;
};

interface Loaded {
  policy: Policy;
  period: Period;
  population: Population;
  /** Every ticket read, in the period or not (deployments are matched against all of them). */
  read: AuditTicket[];
}

const periodOf = (values: Values, command: Command): Period => {
  if (command === 'review') return parseQuarter(required(values, 'quarter', command));
  if (command === 'reconcile' && str(values, 'quarter') !== undefined) {
    if (str(values, 'from') !== undefined || str(values, 'to') !== undefined) throw new UsageError('Give --quarter or --from and --to, not both.', command);
    return parseQuarter(required(values, 'quarter', command));
  }
  return parsePeriod(required(values, 'from', command), required(values, 'to', command));
};

/** Keeps one ticket per key: the most recently updated (overlapping pages or files). */
const uniqueByKey = (tickets: readonly AuditTicket[]): AuditTicket[] => {
  const byKey = new Map<string, AuditTicket>();
  for (const t of tickets) {
    const known = byKey.get(t.key);
    if (!known || t.updated.getTime() >= known.updated.getTime()) byKey.set(t.key, t);
  }
  return [...byKey.values()];
};

const NO_KEY_WARNING =
  'cc81: warning: evidence records not checked. Without --evidence-key, the cc81.evidence records (post-hoc approvals among them) are taken as the issues show them, and anyone who can edit an issue can write them. Pass the app\'s evidence key from the CC8.1 admin page.\n';

/** A key file holds the key itself, or JSON with a `publicKey` (as the sandbox's /sandbox/admin/evidence-key answers). */
const keyInFile = (content: string): string => {
  try {
    const parsed = JSON.parse(content) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'publicKey' in parsed && typeof parsed.publicKey === 'string') return parsed.publicKey;
  } catch {
    // not JSON: the key itself
  }
  return content;
};

/** The public key given as text or as a file holding it; a bad key is a usage error naming where to find the right one. */
const readEvidenceKey = async (given: string | undefined, command: Command): Promise<KeyObject | undefined> => {
  const text = given?.trim();
  if (!text) return undefined;
  const fromFile = !/^[A-Za-z0-9+/]+=*$/.test(text) && !text.startsWith('-----BEGIN');
  const keyText = fromFile ? keyInFile((await readBytes(text, (problem, cause) => new InputFileError('Evidence key file', text, problem, { cause }))).toString('utf8')) : text;
  try {
    return importPublicKey(keyText);
  } catch (error) {
    throw new UsageError(`--evidence-key: ${error instanceof Error ? error.message : String(error)}.`, command);
  }
};

/** `namedKeys`: change keys deployments name; from a site, those tickets are read too, whenever they were updated. */
const load = async (command: Command, values: Values, io: CliIo, progress: Progress, context: RunContext, namedKeys: readonly string[] = []): Promise<Loaded> => {
  const site = str(values, 'site');
  const exports = (values.export as string[] | undefined) ?? [];
  if ((site ? 1 : 0) + (exports.length ? 1 : 0) !== 1) throw new UsageError('Give one source: --site URL or --export FILE.', command);
  const policyPath = required(values, 'policy', command);
  const period = periodOf(values, command);
  const jql = str(values, 'jql')?.trim() || null;
  let siteUrl: string | null = null;
  if (site) {
    siteUrl = siteBase(site);
    if (!siteUrl) throw new UsageError(`--site must be the base URL of a Jira site, such as https://example.atlassian.net, got '${site}'.`, command);
    if (!jql) throw new UsageError('--jql is required with --site (e.g. --jql "project = CHG").', command);
    context.site = siteUrl;
  }
  const email = io.env.JIRA_EMAIL?.trim();
  const token = io.env.JIRA_API_TOKEN?.trim();
  if (siteUrl && (!email || !token)) throw new UsageError('Set JIRA_EMAIL and JIRA_API_TOKEN in the environment to read from --site.', command);

  const policy = parsePolicyFile(policyPath, (await readBytes(policyPath, (problem, cause) => new InputFileError('Policy file', policyPath, problem, { cause }))).toString('utf8'));
  const evidenceKey = await readEvidenceKey(str(values, 'evidence-key') ?? io.env.CC81_EVIDENCE_KEY, command);
  if (!evidenceKey) io.stderr(NO_KEY_WARNING);

  let tickets: AuditTicket[];
  let source: PopulationSource;
  let effectiveJql: string | null = null;
  if (siteUrl) {
    const counted = countingTransport(httpTransport({ site: siteUrl, email: email!, apiToken: token!, ...(io.fetch ? { fetch: io.fetch } : {}) }));
    try {
      effectiveJql = periodJql(jql!, period);
      context.jqlSent = effectiveJql;
      const siteInput = { transport: counted.transport, policy, jql: effectiveJql, sleep: io.sleep, now: io.now, progress, ...(evidenceKey ? { evidenceKey } : {}) };
      const inPeriod = await fetchSiteTickets(siteInput);
      const known = new Set(inPeriod.map((t) => t.key));
      const missing = [...new Set(namedKeys)].filter((key) => !known.has(key));
      tickets = uniqueByKey([...inPeriod, ...(await fetchSiteTicketsByKey({ ...siteInput, jql: jql! }, missing))]);
    } finally {
      context.restCalls = counted.count();
    }
    source = { kind: 'site', site: siteUrl };
  } else {
    const files = [];
    for (const name of exports) files.push({ name, content: await readBytes(name, (problem, cause) => new InputFileError('Export file', name, problem, { cause })) });
    const read = readExportFiles(
      files,
      policy,
      (n) => {
        if (n % 500 === 0) progress.update('Reading tickets', n, null);
      },
      evidenceKey,
    );
    progress.update('Reading tickets', read.tickets.length, read.tickets.length);
    tickets = uniqueByKey(read.tickets);
    source = { kind: 'export', files: read.files };
    if (!read.hasEvidenceProperty && tickets.length) {
      io.stderr('cc81: warning: no issue in the export carries the cc81.evidence property; post-hoc approvals are recorded there. Export with "properties": ["cc81.evidence"].\n');
    }
  }
  progress.finish();
  const population = buildPopulation({ tickets, period, jql, effectiveJql, source, now: io.now() });
  const unreadable = population.tickets.filter((t) => t.problem !== null).length;
  if (unreadable) io.stderr(`cc81: warning: ${unreadable} ticket(s) in the period could not be read; they are listed as unreadable.\n`);
  return { policy, period, population, read: tickets };
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const emit = async (values: Values, io: CliIo, text: string) => {
  const output = str(values, 'output');
  if (output) await writeFileAtomic(resolve(output), text);
  else io.stdout(text);
};

const populationOf = (values: Values, command: Command): 'tickets' | 'deployments' => {
  const given = str(values, 'population') ?? 'tickets';
  if (given !== 'tickets' && given !== 'deployments') throw new UsageError(`--population must be tickets or deployments, got '${given}'.`, command);
  if (given === 'tickets' && hasDeploymentFiles(values)) throw new UsageError('--deployments and --from-gate go with --population deployments.', command);
  return given;
};

const gateRecordsByIssue = (records: readonly GateRecord[]): Map<string, GateRecord[]> => {
  const out = new Map<string, GateRecord[]>();
  for (const r of records) {
    if (!r.issueId) continue;
    const known = out.get(r.issueId);
    if (known) known.push(r);
    else out.set(r.issueId, [r]);
  }
  return out;
};

const reconcileLoaded = (input: DeploymentInput, { policy, period, read }: Loaded, now: Date): { result: ReconcileResult; report: ReconcileReport } => {
  const result = reconcile({ deployments: input.deployments, tickets: read, policy, period });
  return { result, report: buildReconcileReport({ result, sources: input.sources, tickets: read.length, policyVersion: policy.version, period, now }) };
};

export const runCommand = async (command: Command, values: Values, io: CliIo, progress: Progress, context: RunContext): Promise<number> => {
  if (command === 'policy') return runPolicyCommand(values, io, context);
  if (command === 'gate') return runGateCommand(values, io);
  // Check the arguments that need no data before any is read.
  const sampling = command === 'sample' || command === 'evidence' ? { size: wholeNumber(values, 'size', command, 100_000), seed: wholeNumber(values, 'seed', command, MAX_SEED) } : null;
  if (sampling && sampling.size < 1) throw new UsageError('--size must be at least 1.', command);
  const format = command === 'audit' || command === 'review' || command === 'reconcile' ? formatOf(values, command) : null;
  const out = command === 'evidence' ? resolve(required(values, 'out', command)) : null;
  const sampled = command === 'sample' ? populationOf(values, command) : 'tickets';
  if (command === 'reconcile') periodOf(values, command);
  // Deployment files are read (and refused when bad) before any ticket is.
  const deployments = command === 'reconcile' || sampled === 'deployments' || hasDeploymentFiles(values) ? await readDeployments(values, command) : null;

  const loaded = await load(command, values, io, progress, context, deployments?.deployments.flatMap((d) => d.changeKeys) ?? []);
  const { policy, period, population } = loaded;
  const now = io.now();
  const record = population.record;
  const reconciled = deployments ? reconcileLoaded(deployments, loaded, now) : null;
  switch (command) {
    case 'population':
      await emit(values, io, json(record));
      return EXIT.ok;
    case 'sample': {
      if (!deployments || !reconciled) {
        await emit(values, io, json(buildSample(record, sampling!.size, sampling!.seed)));
        return EXIT.ok;
      }
      const deploymentPopulation = buildDeploymentPopulation(deployments.deployments, period, deployments.sources, now);
      const sample = buildDeploymentSample(deploymentPopulation, sampling!.size, sampling!.seed);
      const byId = new Map(reconciled.report.deployments.map((d) => [d.id, d]));
      const populationRecord: Partial<typeof deploymentPopulation> = { ...deploymentPopulation };
      delete populationRecord.items;
      await emit(values, io, json({ ...sample, population: populationRecord, deployments: sample.ids.map((id) => byId.get(id)!) }));
      return EXIT.ok;
    }
    case 'reconcile': {
      const report = reconciled!.report;
      await emit(values, io, format === 'json' ? json(report) : renderReconcileTable(report));
      return hasReconcileExceptions(reconciled!.result) ? EXIT.findings : EXIT.ok;
    }
    case 'audit': {
      const report = buildAuditReport(population.tickets, record, policy, now);
      await emit(values, io, format === 'json' ? json(report) : renderAuditTable(report));
      return values['fail-on-findings'] && hasExceptions(report) ? EXIT.findings : EXIT.ok;
    }
    case 'review': {
      const quarter = parseQuarter(required(values, 'quarter', command)).label;
      const review = buildQuarterlyReview({ quarter, period, population: record, tickets: population.tickets, policy, now, ...(reconciled ? { deployments: reconciled.result.summary } : {}) });
      await emit(values, io, format === 'json' ? json(review) : renderReviewTable(review));
      return EXIT.ok;
    }
    case 'evidence': {
      const sample = buildSample(record, sampling!.size, sampling!.seed);
      const byKey = new Map(population.tickets.map((t) => [t.key, t]));
      const deployed = reconciled ? deploymentsByChange(reconciled.result) : null;
      const gateOf = deployments && strings(values, 'from-gate').length ? gateRecordsByIssue(deployments.gateRecords) : null;
      const files = new Map<string, string>();
      const packs = [];
      const unreadable: { key: string; problem: string }[] = [];
      for (const key of sample.keys) {
        const ticket = byKey.get(key)!;
        if (ticket.mapped) {
          const pack = buildTicketPack({ ticket: ticket as AuditTicket & { mapped: MappedChange }, policy, population: record, sample, now, ...(deployed ? { deployments: deployed.get(key) ?? [] } : {}), ...(gateOf ? { gateRecords: { records: gateOf.get(ticket.id) ?? [], altered: [] } } : {}) });
          files.set(pack.jsonFile, pack.json).set(pack.htmlFile, pack.html);
          packs.push(pack);
        } else {
          unreadable.push({ key, problem: ticket.problem ?? 'unreadable' });
        }
        progress.update('Building evidence packs', packs.length + unreadable.length, sample.keys.length);
      }
      progress.finish();
      const audit = buildAuditReport(population.tickets, record, policy, now);
      const index = buildEvidenceIndex({ population: record, sample, packs, unreadable, audit: audit.summary, now, ...(reconciled ? { deployments: reconciled.result.summary } : {}) });
      files.set('index.html', renderIndexHtml(index)).set('index.json', json(index)).set('population.json', json(record)).set('sample.json', json(sample)).set('audit.json', json(audit));
      if (reconciled) files.set('reconcile.json', json(reconciled.report));
      await writeDirectoryAtomic(out!, files);
      io.stderr(`cc81: wrote ${packs.length} evidence pack(s) to ${out}${unreadable.length ? ` (${unreadable.length} unreadable, listed in the index)` : ''}\n`);
      return EXIT.ok;
    }
  }
};
