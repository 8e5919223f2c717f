import {
  applyPackBatch,
  applyPopulationPage,
  assertFitsKvs,
  chunkKey,
  ExportJobState,
  finishPopulation,
  KVS_VALUE_LIMIT_BYTES,
  jsonBytes,
  nextPackKeys,
  packKey,
  startExportJob,
  stateKey,
  StoredValue,
} from '../../src/evidence/export-job';
import type { AuditTicket } from '../../src/evidence/audit-ticket';
import { buildPopulation, PopulationItem } from '../../src/evidence/population.builder';
import { buildSample } from '../../src/evidence/sample.builder';
import { DEMO_TICKETS, materialize } from '../../sandbox/demo/demo-tickets';
import { createSandboxState } from '../../sandbox/state/sandbox-state';
import { demoUsers } from '../../sandbox/demo/demo-users';
import { InvalidPayloadError } from '../../src/shared/app-error';
import { aBareTicket, anAuditTicket } from '../builders/audit-ticket.builder';
import { at } from '../builders/clock';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const SPEC = { jql: 'project = CHG', period: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }, size: 6, seed: 42 };
const SOURCE = { kind: 'site' as const, site: 'https://example.atlassian.net' };
const policy = createSandboxState(demoUsers()).policy;

/** A KVS in a Map, through JSON as the real one stores values. */
const memoryKvs = () => {
  const values = new Map<string, string>();
  return {
    values,
    store: (writes: readonly StoredValue[]) => writes.forEach((w) => values.set(w.key, JSON.stringify(w.value))),
    get: <T>(key: string) => JSON.parse(values.get(key)!) as T,
  };
};

const pages = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Runs the whole job over `tickets` in pages, keeping state only in the KVS between steps. */
const runJob = (tickets: readonly AuditTicket[], pageSize: number) => {
  const kvs = memoryKvs();
  const jobId = 'job-1';
  kvs.store([{ key: stateKey(jobId), value: startExportJob(jobId, SPEC, NOW) }]);
  const chunked = pages(tickets, pageSize);
  chunked.forEach((page, i) => {
    const step = applyPopulationPage(kvs.get<ExportJobState>(stateKey(jobId)), page, i === chunked.length - 1 ? null : `token-${i + 1}`, policy, NOW);
    kvs.store(step.writes);
  });
  const state = kvs.get<ExportJobState>(stateKey(jobId));
  const chunks = Array.from({ length: state.chunks }, (_, i) => kvs.get<PopulationItem[]>(chunkKey(jobId, i)));
  const finished = finishPopulation(state, chunks, SOURCE, NOW);
  kvs.store(finished.writes);
  return { kvs, jobId, finished };
};

describe('the export job', () => {
  const tickets = DEMO_TICKETS.map((t, i) => {
    const { change, history } = materialize(t, i, NOW);
    return anAuditTicket(change, history);
  });

  it.each([1, 7, 100])('gives the CLI’s record, hash and sample whatever the page size (%i)', (pageSize) => {
    const { finished } = runJob(tickets, pageSize);
    const direct = buildPopulation({ tickets, period: { from: new Date(SPEC.period.from), to: new Date(SPEC.period.to) }, jql: SPEC.jql, effectiveJql: null, source: SOURCE, now: NOW }).record;
    expect(finished.record.hash.value).toBe(direct.hash.value);
    expect(finished.record.items).toEqual(direct.items);
    expect(finished.state.sample?.keys).toEqual(buildSample(direct, SPEC.size, SPEC.seed).keys);
    expect(finished.state.audit.exceptions).toBeGreaterThan(0);
    expect(finished.state.audit.tickets).toBe(DEMO_TICKETS.length);
  });

  it('builds packs batch by batch until done', () => {
    const { kvs, jobId, finished } = runJob(tickets, 10);
    let state = finished.state;
    const built: string[] = [];
    while (state.phase === 'packs') {
      const keys = nextPackKeys(state, 4);
      const step = applyPackBatch(state, keys.map((key) => ({ key, pack: { issueKey: key } })), NOW);
      kvs.store(step.writes);
      built.push(...keys);
      state = kvs.get<ExportJobState>(stateKey(jobId));
    }
    expect(state.phase).toBe('done');
    expect(built).toEqual(finished.state.sample!.keys);
    expect(kvs.get<{ issueKey: string }>(packKey(jobId, built[0]!))).toEqual({ issueKey: built[0] });
    expect(nextPackKeys(state, 4)).toEqual([]);
  });

  it('splits a large population into chunks that each fit a KVS value', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => aBareTicket(`CHANGEMANAGEMENT-${i + 1}`, at(i % 500), at((i % 500) + 1)));
    const { kvs, finished } = runJob(many, 5000);
    expect(finished.state.chunks).toBeGreaterThan(1);
    for (const value of kvs.values.values()) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(KVS_VALUE_LIMIT_BYTES);
    expect(finished.record.count).toBe(20_000);
    expect(finished.state.audit.unreadable).toBe(20_000);
  });

  it('is a pure step: the same state and page give the same writes (a failed step can be repeated)', () => {
    const state = startExportJob('job-2', SPEC, NOW);
    const a = applyPopulationPage(state, tickets.slice(0, 5), 'next', policy, NOW);
    const b = applyPopulationPage(state, tickets.slice(0, 5), 'next', policy, NOW);
    expect(b).toEqual(a);
    expect(state.pagesRead).toBe(0);
  });

  it('refuses a step out of order, and missing chunks', () => {
    const state = startExportJob('job-3', SPEC, NOW);
    expect(() => finishPopulation(state, [], SOURCE, NOW)).toThrow(InvalidPayloadError);
    expect(() => applyPackBatch(state, [{ key: 'CHG-1', pack: {} }], NOW)).toThrow('this step needs packs');
    const last = applyPopulationPage(state, tickets.slice(0, 3), null, policy, NOW).state;
    expect(() => finishPopulation(last, [], SOURCE, NOW)).toThrow('0 given, 1 stored');
    expect(() => applyPopulationPage(last, [], null, policy, NOW)).toThrow('this step needs population');
  });

  it('refuses packs for other keys than the next ones', () => {
    const { finished } = runJob(tickets, 10);
    expect(() => applyPackBatch(finished.state, [{ key: 'CHG-999', pack: {} }], NOW)).toThrow('expected packs for');
  });

  it('refuses a value over the KVS limit and a bad job id', () => {
    expect(() => assertFitsKvs('k', 'x'.repeat(KVS_VALUE_LIMIT_BYTES))).toThrow('KVS limit');
    expect(jsonBytes('é')).toBe(4);
    expect(() => startExportJob('a/b', SPEC, NOW)).toThrow('jobId');
  });
});
