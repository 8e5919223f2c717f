/** What the compliance lead's CC8.1 panel shows for an issue in the sandbox, through the app's panel resolver. */
import { readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import { readGateRecords } from '../../src/deployments/gate-record';
import { unrecordedStepsOf } from '../../src/evidence-log/unrecorded-steps';
import { createPanelResolver } from '../../src/forge/create-panel-resolver';
import { loadPolicy } from '../../src/policy/policy-store';
import type { PanelResponse, PanelView } from '../../src/shared/panel-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import type { startSandbox } from '../../sandbox/start-sandbox';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export const compliancePanelView = async (sandbox: Sandbox, key: string, now: () => Date): Promise<PanelView> => {
  const resolver = createPanelResolver({
    userTransport: sandbox.runtime.asUser(DEMO_USERS.compliance.accountId),
    appTransport: sandbox.runtime.asApp(),
    evidenceLog: (issueId) => readEvidenceWithNote(sandbox.runtime.store, issueId),
    unrecordedSteps: (issueId, issueKey) => unrecordedStepsOf(sandbox.runtime.store, issueId, issueKey),
    deployments: (issueId) => readGateRecords(sandbox.runtime.store, issueId),
    loadPolicy: () => loadPolicy(sandbox.runtime.store),
    clock: now,
    log: () => undefined,
  });
  const id = sandbox.state.issues.find((i) => i.key === key)?.id;
  if (!id) throw new Error(`the sandbox has no issue ${key}`);
  const result = (await resolver({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { extension: { issue: { key, id } } } }, { principal: { accountId: DEMO_USERS.compliance.accountId } })) as {
    ok: boolean;
    data?: PanelResponse;
  };
  if (!result.ok || result.data?.status !== 'ok') throw new Error(`no panel for ${key}: ${JSON.stringify(result)}`);
  return result.data.view;
};
