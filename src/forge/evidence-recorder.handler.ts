import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createEvidenceRecorder, type RecorderOutcome } from './evidence-recorder';

/** Production wiring: REST as the app, the policy from KVS, the real clock (read here, in the adapter). */
export const evidenceRecorder = (payload: unknown): Promise<RecorderOutcome> =>
  createEvidenceRecorder({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date() })(payload);
