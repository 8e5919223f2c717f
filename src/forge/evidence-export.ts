/**
 * The in-app evidence export: the `cc81 evidence` run (population with its completeness record,
 * the seeded sample, one evidence pack per sampled ticket, the index) built inside Forge limits.
 * The admin page starts a job; a queue consumer (`cc81-evidence-export`) runs it in slices of at
 * most `budgetMs`, one search page or one batch of packs at a time, with every piece kept in KVS
 * (values under 240 KiB, `src/evidence/export-job.ts`), and pushes itself again until it is done.
 * A 429 waits out `Retry-After` through the queue's delay; other failures are retried twice, then
 * the job is marked failed with the reason. Files are assembled from KVS when downloaded.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Policy } from '../domain';
import { compareIssueKeys, type AuditTicket } from '../evidence/audit-ticket';
import { buildEvidenceIndex, buildTicketPack, fileStem, renderIndexHtml, type TicketPack } from '../evidence/evidence-pack.builder';
import {
  applyPackBatch,
  applyPopulationPage,
  chunkKey,
  finishPopulation,
  nextPackKeys,
  packKey,
  startExportJob,
  stateKey,
  type ExportJobSpec,
  type ExportJobState,
  type StoredValue,
} from '../evidence/export-job';
import { parsePeriod, periodJql } from '../evidence/period';
import type { PopulationItem, PopulationRecord } from '../evidence/population.builder';
import { createTicketPageReader } from '../evidence/ticket-pages';
import type { EvidenceReading } from '../evidence-log/evidence-log';
import type { MappedChange } from '../jira/map-change';
import type { JiraTransport } from '../jira/transport';
import { ADMIN_ERROR_CODES } from '../shared/admin-contract';
import { AppError, isAppError, RateLimitedError } from '../shared/app-error';
import type { LedgerStore } from '../ports/ledger-store';
import type { ExportFile, ExportStatus, StartExportPayload } from '../shared/export-contract';
import { readAllGateRecords, type GateRecordReading } from '../deployments/gate-record';
import { consoleLogger, type Logger } from '../ports/logger';
import { type KeyValueStore } from '../ports/key-value-store';

export const EXPORT_QUEUE = 'cc81-evidence-export';
export const LATEST_EXPORT_KEY = 'cc81:export:latest';

/** Time per invocation for the work itself (the consumer's limit is 55 s by default). */
export const DEFAULT_SLICE_BUDGET_MS = 20_000;
/** Sampled tickets read and packed per step. */
export const PACK_BATCH = 10;
/** Failed slices retried before the job is marked failed. */
export const MAX_ATTEMPTS = 3;
/** A running job not updated for this long no longer blocks a new one. */
export const STALE_AFTER_MS = 15 * 60_000;

export interface ExportQueue {
  push(event: { jobId: string }, delayInSeconds?: number): Promise<void>;
}

export interface EvidenceExportDeps {
  /** REST as the app (the export reads every ticket in the population). */
  transport: JiraTransport;
  store: KeyValueStore;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  queue: ExportQueue;
  budgetMs?: number;
  /** Milliseconds since the invocation started (injected so tests control the budget). */
  elapsed?: () => number;
  log?: Logger;
  /** The app's evidence log of an issue (`readEvidenceWithNote`): the export's evidence, the mirror only compared. */
  evidenceLog?: (issueId: string) => Promise<EvidenceReading>;
  /** The deployment gate's calls of an issue (`readGateRecords`): shown on its page; absent, none are shown. */
  gateRecords?: (issueId: string) => Promise<GateRecordReading>;
}

const MetaSchema = z.object({ jobId: z.string(), createdBy: z.string().nullable(), error: z.string().nullable(), attempts: z.number().int().nonnegative() });
type ExportMeta = z.infer<typeof MetaSchema>;

/** The state schema is the job's own; here only its envelope is checked, the job module owns the rest. */
const StateEnvelopeSchema = z.looseObject({ format: z.literal('cc81-export-job'), jobId: z.string(), phase: z.enum(['population', 'sample', 'packs', 'done']) });

class ExportRefusal extends AppError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const UNREADABLE = 'unreadable';
type StoredPack = TicketPack | { key: string; [UNREADABLE]: string };
const isReadablePack = (p: StoredPack): p is TicketPack => !(UNREADABLE in p);

const readMeta = async (store: KeyValueStore): Promise<ExportMeta | null> => {
  const parsed = MetaSchema.safeParse(await store.get(LATEST_EXPORT_KEY));
  return parsed.success ? parsed.data : null;
};

const readState = async (store: KeyValueStore, jobId: string): Promise<ExportJobState | null> => {
  const raw = await store.get(stateKey(jobId));
  return StateEnvelopeSchema.safeParse(raw).success ? (raw as ExportJobState) : null;
};

const writeAll = async (store: KeyValueStore, writes: readonly StoredValue[]) => {
  for (const w of writes) await store.set(w.key, w.value); // in order: chunks and packs before the state that counts them
};

/** The default JQL: the change tickets of the admin page's project and issue type. */
export const defaultExportJql = (policy: Policy): string | null =>
  policy.scope ? `project = "${policy.scope.projectKey}" AND issuetype = "${policy.scope.issueTypeName}"` : null;

const filesOf = (state: ExportJobState): ExportFile[] => {
  if (state.phase !== 'done') return [];
  const base: ExportFile[] = [
    { name: 'index.html', contentType: 'text/html' },
    { name: 'index.json', contentType: 'application/json' },
    { name: 'population.json', contentType: 'application/json' },
    { name: 'sample.json', contentType: 'application/json' },
    { name: 'audit-summary.json', contentType: 'application/json' },
    // The deployment gate's calls in the period, for `cc81 reconcile --from-gate` (issue 19).
    { name: 'gate-calls.json', contentType: 'application/json' },
  ];
  const packs = (state.sample?.keys ?? []).flatMap((key): ExportFile[] => [
    { name: `tickets/${fileStem(key)}.html`, contentType: 'text/html' },
    { name: `tickets/${fileStem(key)}.json`, contentType: 'application/json' },
  ]);
  return [...base, ...packs];
};

export const exportStatusOf = (state: ExportJobState, meta: ExportMeta | null): ExportStatus => {
  const error = meta?.jobId === state.jobId ? meta.error : null;
  return {
    jobId: state.jobId,
    state: error ? 'failed' : state.phase === 'done' ? 'done' : 'running',
    phase: state.phase,
    spec: { jql: state.spec.jql, from: state.spec.period.from, to: state.spec.period.to, size: state.spec.size, seed: state.spec.seed },
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    createdBy: meta?.jobId === state.jobId ? meta.createdBy : null,
    progress: { pagesRead: state.pagesRead, ticketsRead: state.ticketsRead, inPeriod: state.audit.tickets, packsDone: state.packsDone, packsTotal: state.sample ? state.sample.keys.length : null },
    population: state.population ? { count: state.population.count, hash: state.population.hash.value } : null,
    summary: state.phase === 'done' ? { exceptions: state.audit.exceptions, ticketsWithExceptions: state.audit.ticketsWithExceptions, unreadable: state.audit.unreadable } : null,
    error,
    files: error ? [] : filesOf(state),
  };
};

/** Starts a job and queues its first slice. One job at a time per site (a stale one no longer blocks). */
export const startEvidenceExport = async (deps: EvidenceExportDeps, input: { policy: Policy; payload: StartExportPayload; accountId: string }): Promise<ExportStatus> => {
  const now = deps.clock();
  const jql = input.payload.jql?.trim() || defaultExportJql(input.policy);
  if (!jql) throw new ExportRefusal(ADMIN_ERROR_CODES.notReady, 'Pick the project and issue type of change tickets (above) and save, or give a JQL for the population.');
  const period = parsePeriod(input.payload.from, input.payload.to);
  const meta = await readMeta(deps.store);
  if (meta && !meta.error) {
    const running = await readState(deps.store, meta.jobId);
    if (running && running.phase !== 'done' && now.getTime() - Date.parse(running.updatedAt) < STALE_AFTER_MS) {
      throw new ExportRefusal(ADMIN_ERROR_CODES.exportRunning, 'An evidence export is still running. Wait for it to finish (its progress is shown below), then start another.');
    }
  }
  const spec: ExportJobSpec = { jql, period: { from: period.from.toISOString(), to: period.to.toISOString() }, size: input.payload.size, seed: input.payload.seed };
  const jobId = `x${now.getTime().toString(36)}${randomUUID().slice(0, 8)}`;
  const state = startExportJob(jobId, spec, now);
  const newMeta: ExportMeta = { jobId, createdBy: input.accountId, error: null, attempts: 0 };
  await deps.store.set(stateKey(jobId), state);
  await deps.store.set(LATEST_EXPORT_KEY, newMeta);
  await deps.queue.push({ jobId });
  return exportStatusOf(state, newMeta);
};

export const latestEvidenceExport = async (store: KeyValueStore): Promise<ExportStatus | null> => {
  const meta = await readMeta(store);
  if (!meta) return null;
  const state = await readState(store, meta.jobId);
  return state ? exportStatusOf(state, meta) : null;
};

const readChunks = async (store: KeyValueStore, state: ExportJobState): Promise<PopulationItem[][]> => {
  const chunks: PopulationItem[][] = [];
  for (let i = 0; i < state.chunks; i += 1) chunks.push(((await store.get(chunkKey(state.jobId, i))) as PopulationItem[] | undefined) ?? []);
  return chunks;
};

/** The population's items as `finishPopulation` hashed them: one per key (its latest update), in key order. */
const latestItems = (chunks: readonly (readonly PopulationItem[])[]): PopulationItem[] => {
  const latest = new Map<string, PopulationItem>();
  for (const item of chunks.flat()) if (!latest.has(item.key) || item.updated > latest.get(item.key)!.updated) latest.set(item.key, item);
  return [...latest.values()].sort((a, b) => compareIssueKeys(a.key, b.key));
};

const keyListJql = (keys: readonly string[]): string => `key in (${keys.map((k) => `"${k}"`).join(', ')})`;

/** One step of the job: a search page, the sample, or one batch of packs. Returns the new state. */
const step = async (deps: EvidenceExportDeps, policy: Policy, state: ExportJobState, readPage: ReturnType<typeof createTicketPageReader>): Promise<ExportJobState> => {
  const now = deps.clock();
  if (state.phase === 'population') {
    const page = await readPage(periodJql(state.spec.jql, { from: new Date(state.spec.period.from), to: new Date(state.spec.period.to) }), state.nextPageToken);
    const next = applyPopulationPage(state, page.tickets, page.nextPageToken, policy, now);
    await writeAll(deps.store, next.writes);
    return next.state;
  }
  if (state.phase === 'sample') {
    const next = finishPopulation(state, await readChunks(deps.store, state), { kind: 'site', site: 'this Jira site (in-app export)' }, now);
    await writeAll(deps.store, next.writes);
    return next.state;
  }
  const keys = nextPackKeys(state, PACK_BATCH);
  const { tickets } = await readPage(keyListJql(keys), null, keys.length);
  const byKey = new Map(tickets.map((t) => [t.key, t]));
  const population = { ...(state.population as Omit<PopulationRecord, 'items'>), items: [] } as PopulationRecord;
  // Each sampled ticket's deployment gate calls: its page shows them, and an emergency deployment starts the post-hoc clock.
  const readGate = deps.gateRecords;
  const gateRecords = new Map(readGate ? await Promise.all(tickets.map(async (t) => [t.key, await readGate(t.id)] as const)) : []);
  const packs = keys.map((key) => {
    const ticket = byKey.get(key);
    if (!ticket?.mapped) return { key, pack: { key, [UNREADABLE]: ticket?.problem ?? 'The ticket could not be read any more (deleted, or no longer visible to the app).' } satisfies StoredPack };
    return { key, pack: buildTicketPack({ ticket: ticket as AuditTicket & { mapped: MappedChange }, policy, population, sample: state.sample!, now, ...(gateRecords.has(key) ? { gateRecords: gateRecords.get(key)! } : {}) }) satisfies StoredPack };
  });
  const next = applyPackBatch(state, packs, now);
  await writeAll(deps.store, next.writes);
  return next.state;
};

/** Runs job `jobId` for one slice and queues the next; a stale, finished or failed job's event does nothing. */
export const runEvidenceExportSlice = async (deps: EvidenceExportDeps, jobId: string, policy: Policy): Promise<ExportJobState | null> => {
  const log = deps.log ?? consoleLogger;
  const meta = await readMeta(deps.store);
  let state = meta?.jobId === jobId && !meta.error ? await readState(deps.store, jobId) : null;
  if (!state || state.phase === 'done') {
    log('cc81-evidence-export', { event: 'slice-skipped', jobId });
    return state;
  }
  const started = Date.now();
  const elapsed = deps.elapsed ?? (() => Date.now() - started);
  const budget = deps.budgetMs ?? DEFAULT_SLICE_BUDGET_MS;
  const readPage = createTicketPageReader({ transport: deps.transport, policy, sleep: deps.sleep, now: deps.clock, retries: 0, ...(deps.evidenceLog ? { evidenceLog: deps.evidenceLog } : {}) });
  let steps = 0;
  while (state.phase !== 'done' && elapsed() < budget) {
    state = await step(deps, policy, state, readPage);
    steps += 1;
  }
  if (state.phase !== 'done') await deps.queue.push({ jobId });
  // A slice that got work done clears earlier failures.
  if (steps > 0 && meta!.attempts) await deps.store.set(LATEST_EXPORT_KEY, { ...meta!, attempts: 0 });
  log('cc81-evidence-export', { event: 'slice', jobId, phase: state.phase, pagesRead: state.pagesRead, packsDone: state.packsDone });
  return state;
};

/** After a failed slice: wait and retry (a 429's `Retry-After`), or, after MAX_ATTEMPTS, mark the job failed. */
export const recordSliceFailure = async (deps: EvidenceExportDeps, jobId: string, error: unknown): Promise<void> => {
  const meta = await readMeta(deps.store);
  if (!meta || meta.jobId !== jobId) return;
  const attempts = meta.attempts + 1;
  const reason = isAppError(error) ? error.message : 'an unexpected error';
  if (attempts >= MAX_ATTEMPTS) {
    await deps.store.set(LATEST_EXPORT_KEY, { ...meta, attempts, error: `The export stopped after ${attempts} failed attempts: ${reason}. Start it again; what was built so far is kept until then.` });
    return;
  }
  await deps.store.set(LATEST_EXPORT_KEY, { ...meta, attempts });
  const delay = error instanceof RateLimitedError ? Math.min(900, Math.max(1, error.retryAfterSeconds ?? 30)) : 30;
  await deps.queue.push({ jobId }, delay);
};

/** The gate's recorded calls in the period (read when downloaded: the log is append-only), and the keys of altered ones. */
const gateCallsIn = async (store: LedgerStore, period: { from: string; to: string }) => {
  const { records, altered } = await readAllGateRecords(store);
  const [from, to] = [Date.parse(period.from), Date.parse(period.to)];
  const inPeriod = records.filter((r) => Date.parse(r.at) >= from && Date.parse(r.at) <= to).sort((a, b) => a.at.localeCompare(b.at) || a.callId.localeCompare(b.callId));
  return { format: 'cc81-gate-calls', formatVersion: 1, period, records: inPeriod, altered };
};

/** A finished job's file, assembled from KVS. Only names `files` lists are served. */
export const downloadEvidenceExport = async (store: LedgerStore, jobId: string, file: string, now: Date): Promise<{ name: string; contentType: ExportFile['contentType']; content: string }> => {
  const meta = await readMeta(store);
  const state = await readState(store, jobId);
  if (!state) throw new ExportRefusal(ADMIN_ERROR_CODES.exportNotFound, 'That evidence export no longer exists. Start a new one.');
  const status = exportStatusOf(state, meta);
  const listed = status.files.find((f) => f.name === file);
  if (!listed) throw new ExportRefusal(ADMIN_ERROR_CODES.exportNotFound, status.state === 'done' ? `The export has no file ${file}.` : 'The export is not finished yet.');
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  const population = (): PopulationRecord => ({ ...(state.population as Omit<PopulationRecord, 'items'>), items: [] });
  const packs = async (): Promise<StoredPack[]> => {
    const out: StoredPack[] = [];
    for (const key of state.sample?.keys ?? []) {
      const pack = (await store.get(packKey(jobId, key))) as StoredPack | undefined;
      out.push(pack ?? { key, [UNREADABLE]: 'Its evidence pack is missing from storage.' });
    }
    return out;
  };
  const index = async () => {
    const all = await packs();
    return buildEvidenceIndex({
      population: population(),
      sample: state.sample!,
      packs: all.filter(isReadablePack),
      unreadable: all.filter((p): p is Extract<StoredPack, { unreadable: string }> => !isReadablePack(p)).map((p) => ({ key: p.key, problem: p[UNREADABLE] })),
      audit: state.audit as Parameters<typeof buildEvidenceIndex>[0]['audit'],
      now,
    });
  };
  let content: string;
  if (file === 'index.html') content = renderIndexHtml(await index(), { name: 'audit-summary.json', what: 'The audit of the whole population, summed up' });
  else if (file === 'index.json') content = json(await index());
  else if (file === 'population.json') content = json({ ...population(), items: latestItems(await readChunks(store, state)) });
  else if (file === 'sample.json') content = json(state.sample);
  else if (file === 'audit-summary.json') content = json({ format: 'cc81-audit-summary', formatVersion: 1, population: status.population, summary: state.audit });
  else if (file === 'gate-calls.json') content = json(await gateCallsIn(store, state.spec.period));
  else {
    const stem = file.replace(/^tickets\//, '').replace(/\.(json|html)$/, '');
    const pack = (await packs()).find((p) => fileStem(p.key) === stem);
    if (!pack || !isReadablePack(pack)) throw new ExportRefusal(ADMIN_ERROR_CODES.exportNotFound, `${file} could not be built: the ticket was unreadable (see the index).`);
    content = file.endsWith('.html') ? pack.html : pack.json;
  }
  return { name: file, contentType: listed.contentType, content };
};
