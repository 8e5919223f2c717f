/**
 * A chunked, resumable evidence export as pure steps, for running inside platform limits (e.g. one
 * step per Forge invocation, state in KVS between steps). Forge-free: the caller reads pages of
 * issues, stores what a step returns, and calls the next step. Every value a step asks to store is
 * JSON that fits one KVS value (at most 240 KiB, checked), so a population of any size is split
 * into chunks.
 *
 * Steps: `startExportJob` → `applyPopulationPage` per search page (the last page has no next
 * token) → `finishPopulation` with every stored chunk (record, hash and sample, exactly as the CLI
 * builds them) → `nextPackKeys` / `applyPackBatch` until the job is `done`. A step that fails can
 * be repeated with the same state: the state only changes through what a step returns.
 */
import type { Policy } from '../domain';
import { InvalidPayloadError } from '../shared/app-error';
import { auditTicket } from './audit-report.builder';
import { AuditTicket, compareIssueKeys, isInPeriod } from './audit-ticket';
import type { Period } from './period';
import { HASH_INPUT, MEMBERSHIP_RULE, POPULATION_FORMAT, PopulationItem, PopulationRecord, PopulationSource, populationHash } from './population.builder';
import { buildSample, SampleRecord } from './sample.builder';

/** Forge KVS: values up to 240 KiB. */
export const KVS_VALUE_LIMIT_BYTES = 240 * 1024;
/** Population chunks stop well below the limit (room for the JSON around the items). */
export const CHUNK_BUDGET_BYTES = 200 * 1024;
export const JOB_FORMAT = 'cc81-export-job';

export interface ExportJobSpec {
  jql: string;
  period: { from: string; to: string };
  size: number;
  seed: number;
}

export interface ExportJobState {
  format: typeof JOB_FORMAT;
  formatVersion: 1;
  jobId: string;
  spec: ExportJobSpec;
  createdAt: string;
  updatedAt: string;
  phase: 'population' | 'sample' | 'packs' | 'done';
  /** The search page to read next (null before the first page and after the last). */
  nextPageToken: string | null;
  pagesRead: number;
  ticketsRead: number;
  outsidePeriod: number;
  /** Population chunks stored so far (see `chunkKey`). */
  chunks: number;
  /** In-period items not yet in a chunk. */
  pending: PopulationItem[];
  audit: { tickets: number; ticketsWithExceptions: number; exceptions: number; notices: number; unreadable: number; byCode: Record<string, number> };
  population: Omit<PopulationRecord, 'items'> | null;
  sample: SampleRecord | null;
  packsDone: number;
}

export interface StoredValue {
  key: string;
  value: unknown;
}

/** The bytes a value takes as JSON (what KVS stores). */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Refuses a value KVS would refuse, naming it. */
export const assertFitsKvs = (key: string, value: unknown): StoredValue => {
  const bytes = jsonBytes(value);
  if (bytes > KVS_VALUE_LIMIT_BYTES) throw new InvalidPayloadError('export job value', [{ path: key, problem: `${bytes} bytes, over the ${KVS_VALUE_LIMIT_BYTES}-byte KVS limit` }]);
  return { key, value };
};

export const stateKey = (jobId: string) => `cc81:export:${jobId}`;
export const chunkKey = (jobId: string, index: number) => `cc81:export:${jobId}:population:${index}`;
export const packKey = (jobId: string, issueKey: string) => `cc81:export:${jobId}:pack:${issueKey}`;

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const startExportJob = (jobId: string, spec: ExportJobSpec, now: Date): ExportJobState => {
  if (!JOB_ID.test(jobId)) throw new InvalidPayloadError('export job', [{ path: 'jobId', problem: 'letters, digits, _ and - (at most 64)' }]);
  return {
    format: JOB_FORMAT,
    formatVersion: 1,
    jobId,
    spec,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    phase: 'population',
    nextPageToken: null,
    pagesRead: 0,
    ticketsRead: 0,
    outsidePeriod: 0,
    chunks: 0,
    pending: [],
    audit: { tickets: 0, ticketsWithExceptions: 0, exceptions: 0, notices: 0, unreadable: 0, byCode: {} },
    population: null,
    sample: null,
    packsDone: 0,
  };
};

const periodOf = (spec: ExportJobSpec): Period => ({ from: new Date(spec.period.from), to: new Date(spec.period.to) });

const expectPhase = (state: ExportJobState, phase: ExportJobState['phase']) => {
  if (state.phase !== phase) throw new InvalidPayloadError('export job', [{ path: 'phase', problem: `is ${state.phase}, this step needs ${phase}` }]);
};

export interface PageStep {
  state: ExportJobState;
  /** Store these (chunks first), then the state under `stateKey`. */
  writes: StoredValue[];
}

/**
 * One search page: audits its in-period tickets into the running summary, and flushes full chunks
 * of population items. `nextPageToken` null marks the last page (the rest is flushed).
 */
export const applyPopulationPage = (state: ExportJobState, tickets: readonly AuditTicket[], nextPageToken: string | null, policy: Policy, now: Date): PageStep => {
  expectPhase(state, 'population');
  const period = periodOf(state.spec);
  const audit = { ...state.audit, byCode: { ...state.audit.byCode } };
  let pending = [...state.pending];
  let chunks = state.chunks;
  let outside = 0;
  const writes: StoredValue[] = [];
  const flush = () => {
    writes.push(assertFitsKvs(chunkKey(state.jobId, chunks), pending));
    chunks += 1;
    pending = [];
  };
  let pendingBytes = jsonBytes(pending);
  for (const ticket of tickets) {
    if (!isInPeriod(ticket, period)) {
      outside += 1;
      continue;
    }
    const findings = auditTicket(ticket, policy, now);
    const exceptions = findings.filter((f) => f.severity === 'exception').length;
    audit.tickets += 1;
    audit.exceptions += exceptions;
    audit.notices += findings.length - exceptions;
    if (ticket.problem !== null) audit.unreadable += 1;
    if (exceptions > 0 || ticket.problem !== null) audit.ticketsWithExceptions += 1;
    for (const f of findings) audit.byCode[f.code] = (audit.byCode[f.code] ?? 0) + 1;
    const item = { key: ticket.key, updated: ticket.updated.toISOString() };
    const itemBytes = jsonBytes(item) + 1;
    if (pendingBytes + itemBytes > CHUNK_BUDGET_BYTES) {
      flush();
      pendingBytes = jsonBytes(pending);
    }
    pending.push(item);
    pendingBytes += itemBytes;
  }
  if (nextPageToken === null && pending.length) flush();
  const next: ExportJobState = {
    ...state,
    updatedAt: now.toISOString(),
    phase: nextPageToken === null ? 'sample' : 'population',
    nextPageToken,
    pagesRead: state.pagesRead + 1,
    ticketsRead: state.ticketsRead + tickets.length,
    outsidePeriod: state.outsidePeriod + outside,
    chunks,
    pending,
    audit,
  };
  return { state: next, writes: [...writes, assertFitsKvs(stateKey(state.jobId), next)] };
};

/**
 * Builds the completeness record and the sample from every stored chunk (in index order), exactly
 * as `buildPopulation` and `buildSample` do. Duplicates across pages (a ticket updated while the
 * job ran) keep the latest update.
 */
export const finishPopulation = (state: ExportJobState, chunks: readonly (readonly PopulationItem[])[], source: PopulationSource, now: Date): PageStep & { record: PopulationRecord } => {
  expectPhase(state, 'sample');
  if (chunks.length !== state.chunks) throw new InvalidPayloadError('export job', [{ path: 'chunks', problem: `${chunks.length} given, ${state.chunks} stored` }]);
  const latest = new Map<string, PopulationItem>();
  for (const item of chunks.flat()) {
    const known = latest.get(item.key);
    if (!known || item.updated > known.updated) latest.set(item.key, item);
  }
  const items = [...latest.values()].sort((a, b) => compareIssueKeys(a.key, b.key));
  const record: PopulationRecord = {
    format: POPULATION_FORMAT,
    formatVersion: 1,
    jql: state.spec.jql,
    effectiveJql: null,
    period: { ...state.spec.period, membership: MEMBERSHIP_RULE },
    runAt: state.createdAt,
    source,
    count: items.length,
    hash: { algorithm: 'sha256', input: HASH_INPUT, value: populationHash(items) },
    outsidePeriod: state.outsidePeriod,
    items,
  };
  const sample = buildSample(record, state.spec.size, state.spec.seed);
  const population: Partial<PopulationRecord> = { ...record };
  delete population.items;
  const next: ExportJobState = { ...state, updatedAt: now.toISOString(), phase: sample.keys.length ? 'packs' : 'done', population: population as Omit<PopulationRecord, 'items'>, sample };
  return { state: next, record, writes: [assertFitsKvs(stateKey(state.jobId), next)] };
};

/** The next sampled keys to build packs for (read those issues, then `applyPackBatch`). */
export const nextPackKeys = (state: ExportJobState, batchSize: number): string[] => {
  if (state.phase !== 'packs' || !state.sample) return [];
  return state.sample.keys.slice(state.packsDone, state.packsDone + Math.max(1, batchSize));
};

/** Stores the packs built for `nextPackKeys` (each value checked against the KVS limit) and moves on. */
export const applyPackBatch = (state: ExportJobState, packs: readonly { key: string; pack: unknown }[], now: Date): PageStep => {
  expectPhase(state, 'packs');
  const expected = nextPackKeys(state, packs.length);
  if (packs.length === 0 || packs.some((p, i) => p.key !== expected[i])) {
    throw new InvalidPayloadError('export job', [{ path: 'packs', problem: `expected packs for ${expected.join(', ')}` }]);
  }
  const packsDone = state.packsDone + packs.length;
  const next: ExportJobState = { ...state, updatedAt: now.toISOString(), packsDone, phase: packsDone >= (state.sample?.keys.length ?? 0) ? 'done' : 'packs' };
  return { state: next, writes: [...packs.map((p) => assertFitsKvs(packKey(state.jobId, p.key), p.pack)), assertFitsKvs(stateKey(state.jobId), next)] };
};
