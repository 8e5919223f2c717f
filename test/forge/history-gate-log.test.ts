// The history gate decides from the changelog and the app's evidence log, never from the
// user-writable `cc81.evidence` mirror (issue 14).
import { EVIDENCE_PROPERTY_KEY } from '../../src/jira/evidence-property';
import { appendEvidenceLog } from '../../src/evidence-log/evidence-log';
import { logRecordKey } from '../../src/evidence-log/log-keys';
import { createHistoryGate, ValidatorResult } from '../../src/forge/history-gate';
import type { LogEntry } from '../../src/evidence-log/log-record';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aJiraChangelog, aSitePolicy, issueJson, STATUS_IDS } from '../fakes/jira-json.builder';

const NOW = at(20);
const KEY = 'CHG-77';
const ISSUE_ID = '10077';

const implementedAt1 = { issueId: ISSUE_ID, edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', accountId: 'acc-implementer', at: at(1).toISOString(), executionId: 'exec-impl' } as const;
const postHocBy = (accountId: string, hours = 5): LogEntry => ({ issueId: ISSUE_ID, edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId, at: at(hours).toISOString(), executionId: `exec-posthoc-${accountId}` });
const withoutIssueId = ({ edge, from, to, accountId, at, executionId }: LogEntry) => ({ edge, from, to, accountId, at, executionId });
const forgedMirror = { version: 1, records: [implementedAt1, { ...postHocBy('acc-approver'), executionId: 'forged' }].map(withoutIssueId) };

const setup = async (spec: { log?: LogEntry[]; mirror?: unknown; state?: 'Implemented' | 'Assessment' } = {}) => {
  const histories = spec.state === 'Assessment' ? aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 1).build() : aJiraChangelog().move('Draft', 'Implemented', 'acc-implementer', 1).build();
  const jira = new FakeJira().addIssue(
    issueJson({ key: KEY, id: ISSUE_ID, state: spec.state ?? 'Implemented', fields: completeFields(spec.state === 'Assessment' ? 'normal' : 'emergency'), ...(spec.mirror === undefined ? {} : { evidence: spec.mirror }) }),
    histories,
  );
  const store = new MemoryStore();
  store.values.set(POLICY_KEY, { version: 1, policy: aSitePolicy(), updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
  for (const entry of spec.log ?? []) await appendEvidenceLog(store, entry);
  const sleeps: number[] = [];
  const logs: { event: string; fields: LogFields }[] = [];
  const deps = { transport: jira.transport, store, clock: () => NOW, log: (event: string, fields: LogFields) => logs.push({ event, fields }), sleep: async (ms: number) => void sleeps.push(ms) };
  return { jira, store, sleeps, logs, deps, gate: createHistoryGate(deps) };
};

const payload = (from: keyof typeof STATUS_IDS, to: keyof typeof STATUS_IDS) => ({ issue: { key: KEY }, transition: { from: { id: STATUS_IDS[from] }, to: { id: STATUS_IDS[to] } } });
const as = (accountId: string) => ({ principal: { accountId } });
const CLOSE = payload('Implemented', 'Closed');
const messageOf = (result: ValidatorResult) => (result.result ? 'allowed' : result.errorMessage);

describe('history gate: Close of an emergency change, from the log', () => {
  it('allows it when the log holds a post-hoc approval by someone other than the implementer: 2 REST calls, 1 log read', async () => {
    const { gate, jira, sleeps, logs } = await setup({ log: [implementedAt1, postHocBy('acc-approver')] });
    expect(await gate(CLOSE, as('acc-verifier'))).toEqual({ result: true });
    expect(jira.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
    expect(logs[0]?.fields).toMatchObject({ outcome: 'allowed', logRecords: 2, chainProblems: 0, logReads: 1, restCalls: 2 });
  });

  it('blocks a post-hoc approval that exists only in a hand-written mirror, after waiting for the recorder', async () => {
    const { gate, sleeps, logs } = await setup({ log: [implementedAt1], mirror: forgedMirror });
    expect(messageOf(await gate(CLOSE, as('acc-verifier')))).toBe(
      'This emergency change needs post-hoc approval by someone other than the implementer before it can be closed. If it was approved moments ago, wait a few seconds and try again: the approval is still being recorded.',
    );
    expect(sleeps).toEqual([1500, 1500, 1500]);
    expect(logs[0]?.fields).toMatchObject({ outcome: 'blocked', reasons: 'EMERGENCY_POSTHOC_MISSING', logReads: 4 });
  });

  it('lets Close through once the recorder writes the approval, while the gate waits', async () => {
    const { store, deps } = await setup({ log: [implementedAt1] });
    const sleeps: number[] = [];
    const gate = createHistoryGate({
      ...deps,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) await appendEvidenceLog(store, postHocBy('acc-approver', 19.99));
      },
    });
    expect(await gate(CLOSE, as('acc-verifier'))).toEqual({ result: true });
    expect(sleeps).toHaveLength(2);
  });

  it('blocks a post-hoc approval by the implementer, as the changelog names them', async () => {
    const { gate } = await setup({ log: [implementedAt1, postHocBy('acc-implementer')] });
    expect(messageOf(await gate(CLOSE, as('acc-verifier')))).toMatch(/^This emergency change needs post-hoc approval by someone other than the implementer/);
  });

  it('blocks the implementer verifying their own change even when the mirror has been emptied', async () => {
    const { gate, sleeps } = await setup({ log: [implementedAt1, postHocBy('acc-approver')], mirror: { version: 1, records: [] } });
    expect(messageOf(await gate(CLOSE, as('acc-implementer')))).toBe('The implementer may not Verify and close: someone else must verify this change.');
    expect(sleeps).toEqual([]);
  });

  it('does not count an altered log record', async () => {
    const { gate, store } = await setup({ log: [implementedAt1, postHocBy('acc-approver')] });
    const key = logRecordKey(ISSUE_ID, 2);
    store.values.set(key, { ...(store.values.get(key) as object), at: at(2).toISOString() });
    expect(messageOf(await gate(CLOSE, as('acc-verifier')))).toMatch(/needs post-hoc approval/);
  });

  it('fails closed when app storage cannot be read', async () => {
    const { deps } = await setup({ log: [implementedAt1, postHocBy('acc-approver')] });
    const inner = deps.store;
    const store = { get: (k: string) => inner.get(k), set: (k: string, v: unknown) => inner.set(k, v), setIfAbsent: (k: string, v: unknown) => inner.setIfAbsent(k, v), delete: (k: string) => inner.delete(k), listPage: (p: string, c: string | null, l: number) => inner.listPage(p, c, l), listByPrefix: async () => Promise.reject(new Error('KVS unavailable')) };
    const gate = createHistoryGate({ ...deps, store });
    expect(messageOf(await gate(CLOSE, as('acc-verifier')))).toMatch(/^CC8.1 could not check this transition because of an unexpected error/);
  });
});

describe('history gate: Approve, from the changelog and the log', () => {
  it('blocks the named implementer approving, whatever the mirror says', async () => {
    const { gate } = await setup({ state: 'Assessment', mirror: { version: 1, records: [] } });
    expect(messageOf(await gate(payload('Assessment', 'Approved'), as('acc-implementer')))).toBe('The implementer may not Approve: someone else must approve this change.');
  });

  it('allows an approver who never implemented it', async () => {
    const { gate } = await setup({ state: 'Assessment', mirror: forgedMirror });
    expect(await gate(payload('Assessment', 'Approved'), as('acc-approver'))).toEqual({ result: true });
  });
});

it('never reads the cc81.evidence property', async () => {
  const { gate, jira } = await setup({ log: [implementedAt1, postHocBy('acc-approver')], mirror: forgedMirror });
  await gate(CLOSE, as('acc-verifier'));
  expect(jira.requests.some((r) => r.path.includes(EVIDENCE_PROPERTY_KEY) || String(r.query?.properties ?? '').includes(EVIDENCE_PROPERTY_KEY))).toBe(false);
});
