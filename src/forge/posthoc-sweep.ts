/**
 * The hourly scheduled trigger (`cc81-posthoc-sweep`): the emergency post-hoc approval sweep
 * (`src/sweep`). Production wiring here; the sandbox runtime builds the same handler with its own
 * transport, store and clock through `createPostHocSweep`.
 */
import { Queue } from '@forge/events';
import { CONTINUATION_QUEUE, ContinuationQueue, DEFAULT_BUDGET_MS, runPostHocSweep, SweepDeps, SweepSummary } from '../sweep/sweep';
import { consoleLogger } from '../ports/logger';
import { kvsStore } from './kvs-store';
import { forgeTransport } from './forge-transport';

export type SweepResult = { statusCode: 204 };

/** The sweep's dependencies, plus a hook that receives each run's summary (tests, the sandbox). */
export interface PostHocSweepDeps extends SweepDeps {
  onSummary?: (summary: SweepSummary) => void;
}

/** The trigger handler with its dependencies injected. Ignores the request; never throws. */
export const createPostHocSweep =
  (deps: PostHocSweepDeps) =>
  async (): Promise<SweepResult> => {
    const summary = await runPostHocSweep({ ...deps, log: deps.log ?? consoleLogger });
    deps.onSummary?.(summary);
    return { statusCode: 204 };
  };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The continuation queue port over `@forge/events` (one event per push: far inside 50 events / 200 KB). */
export const forgeContinuationQueue = (): ContinuationQueue => {
  const queue = new Queue({ key: CONTINUATION_QUEUE });
  return {
    push: async (event) => {
      await queue.push({ body: { ...event } });
    },
  };
};

/** The production dependencies, shared by the trigger and the continuation consumer. */
export const productionSweepDeps = (): PostHocSweepDeps => ({
  transport: forgeTransport('app'),
  store: kvsStore(),
  clock: () => new Date(),
  sleep: realSleep,
  budgetMs: DEFAULT_BUDGET_MS,
  queue: forgeContinuationQueue(),
});
