import { productionSweepDeps } from './posthoc-sweep';
import { createPostHocSweepContinuation, type ContinuationResult } from './posthoc-sweep-continuation';

/** Production wiring: the same dependencies as the hourly trigger. */
export const postHocSweepContinuation = (event: unknown): Promise<ContinuationResult> => createPostHocSweepContinuation(productionSweepDeps())(event);
