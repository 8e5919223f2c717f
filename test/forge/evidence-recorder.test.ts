import { State, StateSchema } from '../../src/domain';
import { createEvidenceRecorder } from '../../src/forge/evidence-recorder';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { EVIDENCE_PROPERTY_KEY } from '../../src/jira/evidence-property';
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
  return { jira, store, record, logs, property: () => jira.issues.get(ISSUE_ID)?.properties.get(EVIDENCE_PROPERTY_KEY) };
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
  it('records a post-hoc approval (a loop, absent from the changelog) with 2 REST calls', async () => {
    const { record, jira, property } = setup();
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'recorded', edge: 'postHocApprove' });
    expect(property()).toEqual({
      version: 1,
      records: [{ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: NOW.toISOString(), executionId: 'a1b2c3d4-exec' }],
    });
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/3/issue/10042/properties/cc81.evidence', 'PUT /rest/api/3/issue/10042/properties/cc81.evidence']);
  });

  it.each([
    ['approve', 'Assessment', 'Approved'],
    ['implement', 'Scheduled', 'Implemented'],
    ['emergencyImplementFromDraft', 'Draft', 'Implemented'],
    ['emergencyImplementFromAssessment', 'Assessment', 'Implemented'],
    ['close', 'Implemented', 'Closed'],
  ] as const)('records %s', async (edge, from, to) => {
    const { record, property } = setup();
    expect(await record(event(from, to))).toEqual({ outcome: 'recorded', edge });
    expect(property()).toMatchObject({ records: [{ edge, from, to }] });
  });

  it('records exactly the approvals, the moves into Implemented and the close', () => {
    expect([...EVIDENCE_EDGES].sort()).toEqual(['approve', 'close', 'emergencyImplementFromAssessment', 'emergencyImplementFromDraft', 'implement', 'postHocApprove']);
  });

  it('skips other steps without any REST call', async () => {
    const { record, jira } = setup();
    expect(await record(event('Draft', 'Assessment'))).toEqual({ outcome: 'skipped', reason: 'not-an-evidence-step' });
    expect(await record(event(null, 'Draft'))).toEqual({ outcome: 'skipped', reason: 'no-from-status' });
    expect(jira.requests).toHaveLength(0);
  });

  it('is idempotent by executionId: a replayed event writes nothing', async () => {
    const { record, jira, property } = setup();
    await record(event('Implemented', 'Implemented'));
    const before = property();
    expect(await record(event('Implemented', 'Implemented', { atlassianId: 'acc-cab-member' }))).toEqual({ outcome: 'duplicate', edge: 'postHocApprove' });
    expect(property()).toEqual(before);
    expect(jira.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('falls back to the changelog id when there is no executionId, and tolerates numeric ids', async () => {
    const { record, property, logs } = setup();
    const numeric = event('Implemented', 'Implemented', { issue: { id: 10042, key: 'CHG-42' }, changelog: { id: 30077, items: [] } }, { executionId: undefined, from: { id: 10004 }, to: { id: 10004 } });
    expect(await record(numeric)).toEqual({ outcome: 'recorded', edge: 'postHocApprove' });
    expect(property()).toMatchObject({ records: [{ executionId: 'changelog:30077' }] });
    expect(logs[0]?.fields).toMatchObject({ executionIdSource: 'changelog.id' });
  });

  it('records a null account when Jira names no acting user', async () => {
    const { record, property } = setup();
    await record(event('Implemented', 'Closed', { atlassianId: undefined }));
    expect(property()).toMatchObject({ records: [{ edge: 'close', accountId: null }] });
  });

  it('appends to existing evidence', async () => {
    const existing = { version: 1, records: [{ edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', accountId: 'acc-implementer', at: at(11).toISOString(), executionId: 'exec-0' }] };
    const { record, property } = setup({ property: existing });
    await record(event('Implemented', 'Implemented'));
    expect(property()).toMatchObject({ records: [{ executionId: 'exec-0' }, { executionId: 'a1b2c3d4-exec' }] });
  });
});

describe('evidence recorder: failures are logged, never thrown', () => {
  it('reports a full property without dropping or writing anything', async () => {
    // Fill the property with records the size of the one the recorder will add, until one more would not fit.
    const sized = (i: number) => ({ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: NOW.toISOString(), executionId: `fill-${String(i).padStart(8, '0')}` });
    const records: ReturnType<typeof sized>[] = [];
    while (Buffer.byteLength(JSON.stringify({ version: 1, records: [...records, sized(records.length)] })) <= 32_768) records.push(sized(records.length));
    const full = { version: 1, records };
    const { record, property, logs, jira } = setup({ property: full });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'EVIDENCE_PROPERTY_FULL' });
    expect(logs[0]?.fields).toMatchObject({ outcome: 'failed', errorCode: 'EVIDENCE_PROPERTY_FULL', limit: 32_768 });
    expect(property()).toEqual(full);
    expect(jira.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('does not overwrite a corrupted property', async () => {
    const { record, property } = setup({ property: { mine: 'not evidence' } });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'MALFORMED_RESPONSE' });
    expect(property()).toEqual({ mine: 'not evidence' });
  });

  it.each([
    ['a bad payload', {}, 'INVALID_PAYLOAD'],
    ['an issue key that is not one', { issue: { id: ISSUE_ID, key: 'CHG-42/../x' } }, 'INVALID_PAYLOAD'],
  ])('reports %s', async (_name, overrides, code) => {
    const { record } = setup();
    const payload = Object.keys(overrides).length ? event('Implemented', 'Implemented', overrides) : overrides;
    expect(await record(payload)).toEqual({ outcome: 'failed', code });
  });

  it('reports an unconfigured policy', async () => {
    const { record, jira } = setup({ policy: false });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'NOT_CONFIGURED' });
    expect(jira.requests).toHaveLength(0);
  });

  it('reports 429 and 500 from Jira', async () => {
    const rateLimited = setup();
    rateLimited.jira.failNext(/^PUT /, { kind: 'status', status: 429, headers: { 'Retry-After': '30' } });
    expect(await rateLimited.record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'RATE_LIMITED' });
    const broken = setup();
    broken.jira.failNext(/^GET /, { kind: 'status', status: 500 });
    expect(await broken.record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'JIRA_HTTP' });
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
          outcome: 'recorded',
          restCalls: 2,
        },
      },
    ]);
  });
});
