/**
 * The retry of a step the evidence recorder could not write: what goes on the
 * `cc81-evidence-retry` queue (`@forge/events`), ids and times only.
 */
import { z } from 'zod';
import { PostFunctionPayload, PostFunctionPayloadSchema } from './workflow-payloads';

export const RECORD_RETRY_QUEUE = 'cc81-evidence-retry';
/** The first retry waits a minute; each next one twice as long, at most 15 minutes (the queue's longest delay). */
export const FIRST_RETRY_DELAY_SECONDS = 60;
export const MAX_RETRY_DELAY_SECONDS = 900;
/** Retries the consumer asks Forge for after the first queued attempt (Forge retries an event a few times at most). */
export const MAX_RECORD_RETRIES = 4;

export const RecordRetryEventSchema = z.object({
  /** The post function payload, reduced to what the recorder reads. */
  payload: PostFunctionPayloadSchema.omit({ configuration: true }),
  /** When the step was taken: the record keeps this time. */
  at: z.iso.datetime({ offset: true }),
  /** Names the step's unrecorded note (`unrecorded-steps.ts`). */
  markerId: z.string().min(1).max(300),
});
export type RecordRetryEvent = z.infer<typeof RecordRetryEventSchema>;

export interface RecordRetryQueue {
  push(event: RecordRetryEvent, delayInSeconds: number): Promise<void>;
}

/** Only ids: the changelog is kept as its id alone. */
export const retryPayloadOf = (payload: PostFunctionPayload): RecordRetryEvent['payload'] => {
  const changelogId = payload.changelog && typeof payload.changelog === 'object' ? (payload.changelog as { id?: unknown }).id : undefined;
  return {
    issue: payload.issue,
    transition: payload.transition,
    ...(payload.atlassianId ? { atlassianId: payload.atlassianId } : {}),
    ...(typeof changelogId === 'string' || typeof changelogId === 'number' ? { changelog: { id: changelogId } } : {}),
  };
};

export const retryDelaySeconds = (retryCount: number): number => Math.min(MAX_RETRY_DELAY_SECONDS, FIRST_RETRY_DELAY_SECONDS * 2 ** (retryCount + 1));
