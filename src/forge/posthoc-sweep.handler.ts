import { createPostHocSweep, productionSweepDeps, type SweepResult } from './posthoc-sweep';

/** Production wiring: REST as the app, KVS, the real clock; 45 s of the 55 s trigger limit. */
export const postHocSweep = (): Promise<SweepResult> => createPostHocSweep(productionSweepDeps())();
