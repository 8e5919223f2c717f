// The panel shows the app's evidence log and reports a mirror that contradicts it (issue 14).
import { appendEvidenceLog, readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import { noteTamper, readTamperNote } from '../../src/evidence-log/tamper-note';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { createPanelResolver } from '../../src/forge/create-panel-resolver';
import { countingTransport } from '../../src/jira/transport';
import type { PanelResponse, PanelView } from '../../src/shared/panel-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aJiraChangelog, aSitePolicy, issueJson } from '../fakes/jira-json.builder';

const NOW = at(240); // past any post-hoc deadline of the implementation at hour 1
const KEY = 'CHG-88';
const ID = '10088';
type Result = { ok: true; data: PanelResponse } | { ok: false; error: { code: string; message: string } };

const implemented: LogEntry = { issueId: ID, edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', accountId: 'acc-implementer', at: at(1).toISOString(), executionId: 'e-impl' };
const postHoc: LogEntry = { issueId: ID, edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: at(5).toISOString(), executionId: 'e-posthoc' };
const mirrorOf = (...entries: LogEntry[]) => ({ version: 1, records: entries.map(({ edge, from, to, accountId, at, executionId }) => ({ edge, from, to, accountId, at, executionId })) });

const viewOf = async (log: LogEntry[], mirror: unknown, noted: string[] = []): Promise<{ view: PanelView; store: MemoryStore; jira: FakeJira }> => {
  const jira = new FakeJira().addIssue(
    issueJson({ key: KEY, id: ID, state: 'Implemented', fields: completeFields('emergency'), ...(mirror === undefined ? {} : { evidence: mirror }) }),
    aJiraChangelog().move('Draft', 'Implemented', 'acc-implementer', 1).build(),
  );
  const store = new MemoryStore();
  for (const entry of log) await appendEvidenceLog(store, entry);
  await noteTamper(store, ID, await readTamperNote(store, ID), { differences: noted, seenBy: 'recorder' }, at(3));
  const handler = createPanelResolver({
    userTransport: countingTransport(jira.transport).transport,
    appTransport: countingTransport(jira.transport).transport,
    evidenceLog: (issueId) => readEvidenceWithNote(store, issueId),
    loadPolicy: async () => ({ policy: aSitePolicy(), version: 1 }),
    clock: () => NOW,
    log: () => undefined,
  });
  const result = (await handler({ call: { functionKey: RESOLVER_KEYS.panel.getPanel, payload: {} }, context: { extension: { issue: { key: KEY, id: ID } } } }, { principal: { accountId: 'acc-verifier' } })) as Result;
  if (!result.ok || result.data.status !== 'ok') throw new Error(`expected a view, got ${JSON.stringify(result)}`);
  return { view: result.data.view, store, jira };
};

const codes = (view: PanelView) => view.findings.map((f) => f.code);

describe('panel: evidence from the log, the mirror only compared', () => {
  it('shows a post-hoc approval the log holds, with no tampering finding when the mirror matches', async () => {
    const { view } = await viewOf([implemented, postHoc], mirrorOf(implemented, postHoc));
    expect(view.clock).toMatchObject({ status: 'satisfied-on-time', approver: { accountId: 'acc-approver' } });
    expect(codes(view)).toEqual([]);
  });

  it('ignores a post-hoc approval written into the mirror by hand, and reports it', async () => {
    const forged = { ...postHoc, accountId: 'acc-cab-member', executionId: 'forged' };
    const { view } = await viewOf([implemented], mirrorOf(implemented, forged));
    expect(view.clock.status).toBe('overdue');
    expect(codes(view).sort()).toEqual(['EMERGENCY_POSTHOC_MISSING', 'EVIDENCE_TAMPERED']);
    const finding = view.findings.find((f) => f.code === 'EVIDENCE_TAMPERED');
    expect(finding?.message).toBe(`The evidence on the issue is not what the app recorded: the step Implemented → Implemented by acc-cab-member at ${at(5).toISOString()} is on the issue but not in the app's log.`);
    expect(finding?.severity).toBe('exception');
  });

  it('still shows a post-hoc approval someone deleted from the mirror, and reports the deletion', async () => {
    const { view } = await viewOf([implemented, postHoc], mirrorOf(implemented));
    expect(view.clock.status).toBe('satisfied-on-time');
    expect(view.findings.find((f) => f.code === 'EVIDENCE_TAMPERED')?.message).toContain('is in the app\'s log but was removed from the issue');
  });

  it('reports a mirror deleted altogether', async () => {
    const { view } = await viewOf([implemented, postHoc], undefined);
    expect(view.findings.filter((f) => f.code === 'EVIDENCE_TAMPERED')).toHaveLength(1);
  });

  it('keeps reporting tampering the app noted earlier, after the mirror was put back', async () => {
    const { view } = await viewOf([implemented, postHoc], mirrorOf(implemented, postHoc), ['the step Implemented → Implemented by acc-cab-member is on the issue but not in the app\'s log']);
    expect(view.clock.status).toBe('satisfied-on-time');
    expect(view.findings.find((f) => f.code === 'EVIDENCE_TAMPERED')?.message).toBe(
      `The evidence on the issue is not what the app recorded: earlier, seen ${at(3).toISOString().slice(0, 16).replace('T', ' ')} UTC: the step Implemented → Implemented by acc-cab-member is on the issue but not in the app's log.`,
    );
  });
});
