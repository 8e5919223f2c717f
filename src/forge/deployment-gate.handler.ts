import { forgeTransport } from './forge-transport';
import { kvsStore } from './kvs-store';
import { createDeploymentGate, type WebTriggerAnswer } from './deployment-gate';
import type { GateHttpRequest } from '../deployments/gate-auth';

/** Production wiring: REST as the app (a web trigger has no user), KVS, the real clock (read here, in the adapter). */
export const deploymentGate = (request: GateHttpRequest): Promise<WebTriggerAnswer> =>
  createDeploymentGate({ transport: forgeTransport('app'), store: kvsStore(), clock: () => new Date() })(request);
