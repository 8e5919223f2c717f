/**
 * The consumer of the `cc81-evidence-export` queue (function `evidence-export-worker`): runs one
 * slice of the evidence export job named by the event, and queues the next. Never throws: a failed
 * slice is retried through the queue (after a 429's `Retry-After`), then the job is marked failed.
 */
import { readGateRecords } from '../deployments/gate-record';
import { Queue } from '@forge/events';
import { EXPORT_QUEUE, recordSliceFailure, runEvidenceExportSlice, type EvidenceExportDeps, type ExportQueue } from './evidence-export';
import { consoleLogger } from '../ports/logger';
import { loadPolicy } from '../policy/policy-store';
import { kvsStore } from './kvs-store';
import { readEvidenceWithNote } from '../evidence-log/evidence-log';
import { forgeTransport } from './forge-transport';

const LOG_EVENT = 'cc81-evidence-export';

const jobIdOf = (event: unknown): string | null => {
  const body = event && typeof event === 'object' ? (event as { body?: unknown }).body : undefined;
  const jobId = body && typeof body === 'object' ? (body as { jobId?: unknown }).jobId : undefined;
  return typeof jobId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(jobId) ? jobId : null;
};

export const createEvidenceExportWorker =
  (deps: EvidenceExportDeps) =>
  async (event: unknown): Promise<{ statusCode: 204 }> => {
    const log = deps.log ?? consoleLogger;
    const jobId = jobIdOf(event);
    if (!jobId) {
      log(LOG_EVENT, { event: 'malformed' });
      return { statusCode: 204 };
    }
    try {
      const { policy } = await loadPolicy(deps.store);
      await runEvidenceExportSlice(deps, jobId, policy);
    } catch (error) {
      // A queue consumer runs as the app: no user-consent prompt (NeedsAuthenticationError) here.
      log(LOG_EVENT, { event: 'slice-failed', jobId, errorName: error instanceof Error ? error.name : typeof error });
      try {
        await recordSliceFailure(deps, jobId, error);
      } catch (inner) {
        log(LOG_EVENT, { event: 'failure-not-recorded', jobId, errorName: inner instanceof Error ? inner.name : typeof inner });
      }
    }
    return { statusCode: 204 };
  };

/** The queue port over `@forge/events` (one small event per push). */
export const forgeExportQueue = (): ExportQueue => {
  const queue = new Queue({ key: EXPORT_QUEUE });
  return {
    push: async (event, delayInSeconds) => {
      await queue.push({ body: { ...event }, ...(delayInSeconds ? { delayInSeconds } : {}) });
    },
  };
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const productionExportDeps = (): EvidenceExportDeps => ({
  transport: forgeTransport('app'),
  store: kvsStore(),
  evidenceLog: (issueId) => readEvidenceWithNote(kvsStore(), issueId),
  gateRecords: (issueId) => readGateRecords(kvsStore(), issueId),
  clock: () => new Date(),
  sleep: realSleep,
  queue: forgeExportQueue(),
  log: consoleLogger,
});
