/**
 * The consumer of the `cc81-sweep-continuation` queue (`consumer` module `cc81-sweep-continuation-consumer`,
 * function `sweep-continuation`): a run of the post-hoc sweep stopped by its time budget
 * pushed `{ runId, continuation }`; this continues it at once from the cursor in KVS, with the same core and
 * budget, and pushes again if needed (at most 20 continuations per trigger run). The lease in KVS
 * makes a continuation that overlaps a trigger, or a stale or duplicated event, exit at once.
 * Never throws and never asks for a retry: whatever is left, the next hourly trigger resumes.
 */
import { ContinuationEvent, runPostHocSweep } from '../sweep/sweep';
import { consoleLogger } from '../ports/logger';
import { PostHocSweepDeps } from './posthoc-sweep';

const LOG_EVENT = 'cc81-posthoc-sweep';

/** The consumer's event (`AsyncEvent` of `@forge/events`), as far as it is read. */
export interface ContinuationDelivery {
  body?: unknown;
}

export type ContinuationResult = { statusCode: 204 };

const continuationOf = (event: unknown): ContinuationEvent | null => {
  const body = event && typeof event === 'object' ? (event as ContinuationDelivery).body : undefined;
  if (!body || typeof body !== 'object') return null;
  const { runId, continuation } = body as { runId?: unknown; continuation?: unknown };
  if (typeof runId !== 'string' || runId.length === 0 || runId.length > 100) return null;
  if (typeof continuation !== 'number' || !Number.isInteger(continuation) || continuation < 1) return null;
  return { runId, continuation };
};

/** The consumer handler with its dependencies injected. */
export const createPostHocSweepContinuation =
  (deps: PostHocSweepDeps) =>
  async (event: unknown): Promise<ContinuationResult> => {
    const log = deps.log ?? consoleLogger;
    const body = continuationOf(event);
    if (!body) {
      log(LOG_EVENT, { event: 'continuation-malformed' });
      return { statusCode: 204 };
    }
    const summary = await runPostHocSweep({ ...deps, log }, { kind: 'continuation', ...body });
    deps.onSummary?.(summary);
    return { statusCode: 204 };
  };
