import { Queue } from '@forge/events';
import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createEvidenceRecorder, type RecorderOutcome } from './evidence-recorder';
import { RECORD_RETRY_QUEUE, type RecordRetryQueue } from './evidence-retry-queue';

/** The retry queue port over `@forge/events` (one small event per push). */
const forgeRetryQueue = (): RecordRetryQueue => {
  const queue = new Queue({ key: RECORD_RETRY_QUEUE });
  return {
    push: async (event, delayInSeconds) => {
      await queue.push({ body: { ...event }, delayInSeconds });
    },
  };
};

/** Production wiring: REST as the app, the policy from KVS, the real clock (read here, in the adapter). */
export const evidenceRecorder = (payload: unknown): Promise<RecorderOutcome> =>
  createEvidenceRecorder({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date(), retryQueue: forgeRetryQueue() })(payload);
