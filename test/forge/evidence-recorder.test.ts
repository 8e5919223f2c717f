import { State, StateSchema } from '../../src/domain';
import { createEvidenceRecorder } from '../../src/forge/evidence-recorder';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { EVIDENCE_PROPERTY_KEY } from '../../src/jira/evidence-property';
import { readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aSitePolicy, issueJson, STATUS_IDS } from '../fakes/jira-json.builder';
import { EVIDENCE_EDGES } from '../../src/domain';

const NOW = at(20);
const ISSUE_ID = '10042';

const setup = (options: { property?: unknown; policy?: boolean } = {}) => {
  const jira = new FakeJira().addIssue(issueJson({ key: 'CHG-42', id: ISSUE_ID, state: 'Implemented', fields: completeFields('emergency') }));
  if (options.property !== undefined) jira.issues.get(ISSUE_ID)?.properties.set(EVIDENCE_PROPERTY_KEY, options.property);
  const store = new MemoryStore();
  if (options.policy !== false) store.values.set(POLICY_KEY, { version: 2, policy: aSitePolicy(), updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
  const logs: { event: string; fields: LogFields }[] = [];
  const record = createEvidenceRecorder({ transport: jira.transport, store, clock: () => NOW, log: (event, fields) => logs.push({ event, fields }) });
  return {
    jira,
    store,
    record,
    logs,
    property: () => jira.issues.get(ISSUE_ID)?.properties.get(EVIDENCE_PROPERTY_KEY),
    /** The app's log of the issue: its records (as the mirror shows them) and any chain problem. */
    log: async () => {
      const reading = await readEvidenceLog(store, ISSUE_ID);
      return { problems: reading.problems, records: reading.records.map(({ edge, from, to, accountId, at, executionId }) => ({ edge, from, to, accountId, at, executionId })) };
    },
  };
};

const statusId = (s: State | string): string => {
  const state = StateSchema.safeParse(s);
  return state.success ? STATUS_IDS[state.data] : s;
};

/** A post function event as Jira sends it. */
const event = (from: State | null, to: State, overrides: Record<string, unknown> = {}, transition: Record<string, unknown> = {}) => ({
  issue: { id: ISSUE_ID, key: 'CHG-42' },
  transition: {
    id: '51',
    name: 'Post-hoc approve',
    ...(from ? { from: { id: statusId(from), name: from } } : {}),
    to: { id: statusId(to), name: to },
    executionId: 'a1b2c3d4-exec',
    ...transition,
  },
  postFunction: { id: 'pf-9f2e' },
  atlassianId: 'acc-approver',
  changelog: { id: '30077' },
  configuration: {},
  ...overrides,
});

describe('evidence recorder: what it records', () => {
  it('records a post-hoc approval (a loop, absent from the changelog) in the log, then mirrors it, with 1 REST call', async () => {
    const { record, jira, property, log } = setup();
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'recorded', edge: 'postHocApprove', mirror: 'written' });
    const expected = [{ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: NOW.toISOString(), executionId: 'a1b2c3d4-exec' }];
    expect(await log()).toEqual({ problems: [], records: expected });
    expect(property()).toEqual({ version: 1, records: expected });
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /rest/api/3/issue/10042/properties/cc81.evidence']);
  });

  it.each([
    ['approve', 'Assessment', 'Approved'],
    ['implement', 'Scheduled', 'Implemented'],
    ['emergencyImplementFromDraft', 'Draft', 'Implemented'],
    ['emergencyImplementFromAssessment', 'Assessment', 'Implemented'],
    ['close', 'Implemented', 'Closed'],
  ] as const)('records %s', async (edge, from, to) => {
    const { record, property, log } = setup();
    expect(await record(event(from, to))).toEqual({ outcome: 'recorded', edge, mirror: 'written' });
    expect((await log()).records).toMatchObject([{ edge, from, to }]);
    expect(property()).toMatchObject({ records: [{ edge, from, to }] });
  });

  it('records exactly the approvals, the moves into Implemented and the close', () => {
    expect([...EVIDENCE_EDGES].sort()).toEqual(['approve', 'close', 'emergencyImplementFromAssessment', 'emergencyImplementFromDraft', 'implement', 'postHocApprove']);
  });

  it('skips other steps without any REST call or write', async () => {
    const { record, jira, log } = setup();
    expect(await record(event('Draft', 'Assessment'))).toEqual({ outcome: 'skipped', reason: 'not-an-evidence-step' });
    expect(await record(event(null, 'Draft'))).toEqual({ outcome: 'skipped', reason: 'no-from-status' });
    expect(jira.requests).toHaveLength(0);
    expect((await log()).records).toEqual([]);
  });

  it('is idempotent by executionId: a replayed event adds nothing to the log, and rewrites the mirror', async () => {
    const { record, jira, property, log } = setup();
    await record(event('Implemented', 'Implemented'));
    const before = await log();
    expect(await record(event('Implemented', 'Implemented', { atlassianId: 'acc-cab-member' }))).toEqual({ outcome: 'duplicate', edge: 'postHocApprove', mirror: 'written' });
    expect(await log()).toEqual(before);
    expect(property()).toEqual({ version: 1, records: before.records });
    expect(jira.requests.map((r) => r.method)).toEqual(['PUT', 'PUT']);
  });

  it('falls back to the changelog id when there is no executionId, and tolerates numeric ids', async () => {
    const { record, log, logs } = setup();
    const numeric = event('Implemented', 'Implemented', { issue: { id: 10042, key: 'CHG-42' }, changelog: { id: 30077, items: [] } }, { executionId: undefined, from: { id: 10004 }, to: { id: 10004 } });
    expect(await record(numeric)).toEqual({ outcome: 'recorded', edge: 'postHocApprove', mirror: 'written' });
    expect((await log()).records).toMatchObject([{ executionId: 'changelog:30077' }]);
    expect(logs[0]?.fields).toMatchObject({ executionIdSource: 'changelog.id' });
  });

  it('reads the issue id from Jira when the event has only the key', async () => {
    const { record, jira, log } = setup();
    expect(await record(event('Implemented', 'Closed', { issue: { key: 'CHG-42' } }))).toMatchObject({ outcome: 'recorded' });
    expect((await log()).records).toMatchObject([{ edge: 'close' }]);
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/3/issue/CHG-42', 'PUT /rest/api/3/issue/10042/properties/cc81.evidence']);
  });

  it('records a null account when Jira names no acting user', async () => {
    const { record, log } = setup();
    await record(event('Implemented', 'Closed', { atlassianId: undefined }));
    expect((await log()).records).toMatchObject([{ edge: 'close', accountId: null }]);
  });

  it('appends to the log and mirrors it whole, whatever a user wrote in the property', async () => {
    const forged = { version: 1, records: [{ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-cab-member', at: at(11).toISOString(), executionId: 'forged' }] };
    const { record, property, log } = setup({ property: forged });
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    await record(event('Implemented', 'Implemented'));
    const { records } = await log();
    expect(records.map((r) => r.executionId)).toEqual(['exec-impl', 'a1b2c3d4-exec']);
    expect(property()).toEqual({ version: 1, records });
  });

  it('overwrites a property that is not evidence at all', async () => {
    const { record, property, log } = setup({ property: { mine: 'not evidence' } });
    expect(await record(event('Implemented', 'Implemented'))).toMatchObject({ outcome: 'recorded', mirror: 'written' });
    expect(property()).toEqual({ version: 1, records: (await log()).records });
  });
});

describe('evidence recorder: failures are logged, never thrown', () => {
  it.each([
    ['a bad payload', {}, 'INVALID_PAYLOAD'],
    ['an issue key that is not one', { issue: { id: ISSUE_ID, key: 'CHG-42/../x' } }, 'INVALID_PAYLOAD'],
  ])('reports %s', async (_name, overrides, code) => {
    const { record, log } = setup();
    const payload = Object.keys(overrides).length ? event('Implemented', 'Implemented', overrides) : overrides;
    expect(await record(payload)).toEqual({ outcome: 'failed', code });
    expect((await log()).records).toEqual([]);
  });

  it('reports an unconfigured policy', async () => {
    const { record, jira } = setup({ policy: false });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'NOT_CONFIGURED' });
    expect(jira.requests).toHaveLength(0);
  });

  it('keeps the record in the log when Jira refuses the mirror (429, 500); the next step rewrites it', async () => {
    for (const failure of [{ kind: 'status' as const, status: 429, headers: { 'Retry-After': '30' } }, { kind: 'status' as const, status: 500 }]) {
      const { record, jira, log, logs, property } = setup();
      jira.failNext(/^PUT /, failure);
      expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'recorded', edge: 'postHocApprove', mirror: 'failed' });
      expect((await log()).records).toHaveLength(1);
      expect(property()).toBeUndefined();
      expect(logs[0]?.fields).toMatchObject({ mirrorErrorCode: failure.status === 429 ? 'RATE_LIMITED' : 'JIRA_HTTP' });
      await record(event('Implemented', 'Closed', { atlassianId: 'acc-verifier' }, { executionId: 'exec-close' }));
      expect(property()).toEqual({ version: 1, records: (await log()).records });
    }
  });

  it('reports a failed id lookup and records nothing', async () => {
    const { record, jira, log } = setup();
    jira.failNext(/^GET /, { kind: 'status', status: 500 });
    expect(await record(event('Implemented', 'Implemented', { issue: { key: 'CHG-42' } }))).toEqual({ outcome: 'failed', code: 'JIRA_HTTP' });
    expect((await log()).records).toEqual([]);
  });

  it('reports app storage that keeps refusing the append, and leaves the property alone', async () => {
    const { record, store, jira, logs } = setup();
    store.setIfAbsent = async () => 'exists';
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'EVIDENCE_LOG_CONTENTION' });
    expect(jira.requests).toHaveLength(0);
    expect(logs[0]?.fields).toMatchObject({ outcome: 'failed', errorCode: 'EVIDENCE_LOG_CONTENTION' });
  });

  it('logs ids and codes only', async () => {
    const { record, logs } = setup();
    await record(event('Implemented', 'Implemented'));
    expect(logs).toEqual([
      {
        event: 'cc81-evidence-recorder',
        fields: {
          issueKey: 'CHG-42',
          issueId: ISSUE_ID,
          fromStatus: '10004',
          toStatus: '10004',
          policyVersion: 2,
          edge: 'postHocApprove',
          executionId: 'a1b2c3d4-exec',
          executionIdSource: 'executionId',
          actorAccountId: 'acc-approver',
          logSeq: 1,
          logAttempts: 1,
          mirrorOmitted: 0,
          chainProblems: 0,
          outcome: 'recorded',
          restCalls: 1,
        },
      },
    ]);
  });
});
