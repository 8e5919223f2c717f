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
import { EMPTY_NOTE, readTamperNote } from '../../src/evidence-log/tamper-note';
import { compareEvidence } from '../../src/evidence-log/evidence-integrity';
import { projectLog } from '../../src/evidence-log/mirror';
import { listOpenPostHoc } from '../../src/sweep/posthoc-index';
import { checkSeal, importPublicKey, readPublicKey, SIGNING_KEY_KEY } from '../../src/evidence-log/mirror-seal';

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
    /** The mirror's records as written, without the app's seal (checked on its own). */
    property: () => {
      const value = jira.issues.get(ISSUE_ID)?.properties.get(EVIDENCE_PROPERTY_KEY) as Record<string, unknown> | undefined;
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'seal'));
    },
    raw: () => jira.issues.get(ISSUE_ID)?.properties.get(EVIDENCE_PROPERTY_KEY),
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
  it('records a post-hoc approval (a loop, absent from the changelog) in the log, then mirrors it, with 2 REST calls', async () => {
    const { record, jira, property, log } = setup();
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'recorded', edge: 'postHocApprove', mirror: 'written' });
    const expected = [{ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-approver', at: NOW.toISOString(), executionId: 'a1b2c3d4-exec' }];
    expect(await log()).toEqual({ problems: [], records: expected });
    expect(property()).toEqual({ version: 1, records: expected });
    // The issue with its mirror as users left it (compared before it is rewritten), then the mirror.
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/3/issue/10042', 'PUT /rest/api/3/issue/10042/properties/cc81.evidence']);
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
    expect(jira.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'PUT']);
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

describe('evidence recorder: what it keeps beside the log', () => {
  const forgedApproval = { edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: 'acc-cab-member', at: at(11).toISOString(), executionId: 'forged' };

  it('notes what a user changed in the mirror before rewriting it, so the finding outlives the rewrite', async () => {
    const { record, store, property } = setup({ property: { version: 1, records: [forgedApproval] } });
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    const reading = await readEvidenceLog(store, ISSUE_ID);
    expect(property()).toEqual(projectLog(reading.records)); // the mirror agrees with the log again
    const note = await readTamperNote(store, ISSUE_ID);
    expect(note.noted).toEqual([{ difference: `the step Implemented → Implemented by acc-cab-member at ${at(11).toISOString()} is on the issue but not in the app's log`, seenAt: NOW.toISOString(), seenBy: 'recorder' }]);
    expect(compareEvidence(reading, property(), NOW, note).differences).toEqual([`earlier, seen ${NOW.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${note.noted[0]!.difference}`]);
  });

  it('notes nothing when a retried post function finds its own record already mirrored', async () => {
    const { record, store } = setup();
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    expect(await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }))).toMatchObject({ outcome: 'duplicate' });
    expect(await readTamperNote(store, ISSUE_ID)).toEqual(EMPTY_NOTE);
  });

  it('notes nothing for a mirror that matches the log', async () => {
    const { record, store } = setup();
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    await record(event('Implemented', 'Closed', { atlassianId: 'acc-verifier' }, { executionId: 'exec-close' }));
    expect(await readTamperNote(store, ISSUE_ID)).toEqual(EMPTY_NOTE);
  });

  it('while its own mirror write is failing, a record missing from the mirror is not tampering; a successful write clears that', async () => {
    const { record, store, jira } = setup();
    jira.failNext(/^PUT /, { kind: 'status', status: 500 });
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    expect(await readTamperNote(store, ISSUE_ID)).toEqual({ ...EMPTY_NOTE, mirrorStaleSince: NOW.toISOString() });
    await record(event('Implemented', 'Implemented'));
    expect(await readTamperNote(store, ISSUE_ID)).toEqual(EMPTY_NOTE);
  });

  it.each([
    { from: 'Scheduled', to: 'Implemented', opens: true },
    { from: 'Assessment', to: 'Implemented', opens: true },
    { from: 'Assessment', to: 'Approved', opens: false },
    { from: 'Implemented', to: 'Closed', opens: false },
  ] as const)('a move $from → $to opens the sweep\'s app-only index entry: $opens', async ({ from, to, opens }) => {
    const { record, store } = setup();
    await record(event(from, to));
    expect(await listOpenPostHoc(store)).toEqual(opens ? [ISSUE_ID] : []);
  });
});

describe('evidence recorder: the seal on the mirror', () => {
  it('seals the mirror with the app\'s key, created once in app storage; anyone with the public key can check it', async () => {
    const { record, store, raw } = setup();
    await record(event('Scheduled', 'Implemented', { atlassianId: 'acc-implementer' }, { executionId: 'exec-impl' }));
    const key = await readPublicKey(store);
    expect(key).not.toBeNull();
    await record(event('Implemented', 'Implemented'));
    expect(await readPublicKey(store)).toEqual(key); // the same key for every step
    const publicKey = importPublicKey(key!.publicKey);
    expect(checkSeal(raw(), ISSUE_ID, publicKey)).toMatchObject({ sealed: true, omitted: 0, evidence: { records: [{ executionId: 'exec-impl' }, { executionId: 'a1b2c3d4-exec' }] } });
    const altered = structuredClone(raw()) as { records: { accountId: string }[] };
    altered.records[1]!.accountId = 'acc-cab-member';
    expect(checkSeal(altered, ISSUE_ID, publicKey)).toMatchObject({ sealed: false, problem: expect.stringContaining('do not match the app\'s seal') });
  });

  it('still writes the mirror, unsealed, when the stored key is unreadable, and logs why', async () => {
    const { record, store, raw, logs } = setup();
    store.values.set(SIGNING_KEY_KEY, { v: 1, privateKey: 'not a key' });
    expect(await record(event('Implemented', 'Implemented'))).toMatchObject({ outcome: 'recorded', mirror: 'written' });
    expect(raw()).not.toHaveProperty('seal');
    expect(logs[0]?.fields).toMatchObject({ sealErrorCode: 'EVIDENCE_KEY_INVALID' });
  });
});

describe('evidence recorder: failures are logged, never thrown', () => {
  it.each([
    ['a bad payload', {}, 'INVALID_PAYLOAD'],
    ['an issue key that is not one', { issue: { id: ISSUE_ID, key: 'CHG-42/../x' } }, 'INVALID_PAYLOAD'],
  ])('reports %s', async (_name, overrides, code) => {
    const { record, log } = setup();
    const payload = Object.keys(overrides).length ? event('Implemented', 'Implemented', overrides) : overrides;
    expect(await record(payload)).toEqual({ outcome: 'failed', code, retry: 'not-queued', edge: null });
    expect((await log()).records).toEqual([]);
  });

  it('reports an unconfigured policy', async () => {
    const { record, jira } = setup({ policy: false });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'NOT_CONFIGURED', retry: 'not-queued', edge: null });
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
    expect(await record(event('Implemented', 'Implemented', { issue: { key: 'CHG-42' } }))).toEqual({ outcome: 'failed', code: 'JIRA_HTTP', retry: 'not-queued', edge: 'postHocApprove' });
    expect((await log()).records).toEqual([]);
  });

  it('still records the step when reading the issue fails, only without comparing its mirror', async () => {
    const { record, jira, log, logs } = setup();
    jira.failNext(/^GET /, { kind: 'status', status: 500 });
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'recorded', edge: 'postHocApprove', mirror: 'written' });
    expect((await log()).records).toHaveLength(1);
    expect(logs[0]?.fields).toMatchObject({ mirrorReadErrorCode: 'JIRA_HTTP', mirrorDifferences: 0 });
  });

  it('reports app storage that keeps refusing the append, and leaves the property alone', async () => {
    const { record, store, jira, logs } = setup();
    store.setIfAbsent = async () => 'exists';
    expect(await record(event('Implemented', 'Implemented'))).toEqual({ outcome: 'failed', code: 'EVIDENCE_LOG_CONTENTION', retry: 'not-queued', edge: 'postHocApprove' });
    expect(jira.requests.map((r) => r.method)).toEqual(['GET']);
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
          mirrorDifferences: 0,
          mirrorOmitted: 0,
          chainProblems: 0,
          outcome: 'recorded',
          restCalls: 2,
        },
      },
    ]);
  });
});
