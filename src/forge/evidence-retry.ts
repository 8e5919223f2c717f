/**
 * The consumer of the `cc81-evidence-retry` queue (`consumer` module `cc81-evidence-retry-consumer`,
 * function `evidence-retry`): records a step the recorder could not write, with the time it was
 * taken. The log is idempotent on the step's execution id, so a step recorded twice is recorded
 * once. On success the step's unrecorded note goes; on failure the note counts the attempt and the
 * consumer asks Forge for another retry, up to MAX_RECORD_RETRIES; then the note says `lost`
 * (the panel and the self-test show it; the changelog still has the status change). Never throws.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { consoleLogger } from '../ports/logger';
import { clearUnrecordedStep, noteUnrecordedStep } from '../evidence-log/unrecorded-steps';
import { createEvidenceRecorder, EvidenceRecorderDeps } from './evidence-recorder';
import { MAX_RECORD_RETRIES, RecordRetryEventSchema, retryDelaySeconds } from './evidence-retry-queue';

const LOG_EVENT = 'cc81-evidence-retry';

/** `retryAfterSeconds`: the handler answers Forge with an `InvocationError` asking for a retry. */
export type EvidenceRetryResult = { statusCode: 204 } | { retryAfterSeconds: number };

const retryCountOf = (event: unknown): number => {
  const count = event && typeof event === 'object' ? (event as { retryContext?: { retryCount?: unknown } }).retryContext?.retryCount : undefined;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0;
};

export const createEvidenceRetry =
  (deps: Omit<EvidenceRecorderDeps, 'retryQueue'>) =>
  async (event: unknown): Promise<EvidenceRetryResult> => {
    const log = deps.log ?? consoleLogger;
    const body = RecordRetryEventSchema.safeParse(event && typeof event === 'object' ? (event as { body?: unknown }).body : undefined);
    if (!body.success) {
      log(LOG_EVENT, { event: 'retry-malformed' });
      return { statusCode: 204 };
    }
    const { payload, at, markerId } = body.data;
    const retryCount = retryCountOf(event);
    const refs = [payload.issue.id, payload.issue.key].filter((ref): ref is string => !!ref);
    const outcome = await createEvidenceRecorder({ ...deps, log })(payload, { at: new Date(at), retry: true });
    const fields = { issueKey: payload.issue.key, issueId: payload.issue.id ?? null, retryCount, outcome: outcome.outcome };
    try {
      if (outcome.outcome !== 'failed') {
        await clearUnrecordedStep(deps.store, refs, markerId);
        log(LOG_EVENT, { ...fields, event: 'recorded' });
        return { statusCode: 204 };
      }
      const again = retryCount < MAX_RECORD_RETRIES && outcome.code !== 'INVALID_PAYLOAD';
      await noteUnrecordedStep(deps.store, markerId, {
        v: 1,
        issueId: payload.issue.id ?? null,
        issueKey: payload.issue.key,
        edge: outcome.edge,
        at,
        state: again ? 'retrying' : 'lost',
        attempts: retryCount + 2,
        lastErrorCode: outcome.code,
        updatedAt: deps.clock().toISOString(),
      }).catch(() => log(LOG_EVENT, { ...fields, event: 'note-failed' }));
      log(LOG_EVENT, { ...fields, event: again ? 'retry-requested' : 'gave-up', errorCode: outcome.code });
      return again ? { retryAfterSeconds: retryDelaySeconds(retryCount) } : { statusCode: 204 };
    } catch (error) {
      log(LOG_EVENT, { ...fields, event: 'clear-failed', errorName: error instanceof Error ? error.name : typeof error });
      return { statusCode: 204 };
    }
  };

/** What the consumer function returns to Forge: a requested retry is an `InvocationError` (its JSON: `{ _retry, retryOptions }`). */
export const toForgeConsumerResult = (result: EvidenceRetryResult): { statusCode: 204 } | InvocationError =>
  'retryAfterSeconds' in result ? new InvocationError({ retryAfter: result.retryAfterSeconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST }) : result;
