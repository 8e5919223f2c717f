import { isForgePlatformError } from '@forge/api';
import { createPanelResolver } from './create-panel-resolver';
import { loadPolicy } from '../policy/policy-store';
import { kvsStore } from './kvs-store';
import { readEvidenceWithNote } from '../evidence-log/evidence-log';
import { forgeTransport } from './forge-transport';
import { readGateRecords } from '../deployments/gate-record';
import { unrecordedStepsOf } from '../evidence-log/unrecorded-steps';

/**
 * Production wiring: the issue read as the invoking user (the permission check), the changelog as
 * the app, the policy and the evidence log from KVS, the real clock (read here, in the adapter).
 */
export const panelResolver = createPanelResolver({
  userTransport: forgeTransport('user'),
  appTransport: forgeTransport('app'),
  evidenceLog: (issueId) => readEvidenceWithNote(kvsStore(), issueId),
  unrecordedSteps: (issueId, issueKey) => unrecordedStepsOf(kvsStore(), issueId, issueKey),
  deployments: (issueId) => readGateRecords(kvsStore(), issueId),
  loadPolicy: () => loadPolicy(kvsStore()),
  clock: () => new Date(),
  isPlatformError: (error) => error instanceof Error && isForgePlatformError(error),
});
