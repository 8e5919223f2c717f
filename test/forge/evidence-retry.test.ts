import { createEvidenceRecorder } from '../../src/forge/evidence-recorder';
import { createEvidenceRetry, toForgeConsumerResult } from '../../src/forge/evidence-retry';
import { MAX_RECORD_RETRIES, RecordRetryEvent } from '../../src/forge/evidence-retry-queue';
import { readEvidenceLog } from '../../src/evidence-log/evidence-log';
import { UNRECORDED_PREFIX, unrecordedStepsOf } from '../../src/evidence-log/unrecorded-steps';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aSitePolicy, issueJson, STATUS_IDS } from '../fakes/jira-json.builder';

const STEP_AT = at(20);
const LATER = at(21);
const ISSUE_ID = '10042';

class StorageRefused extends Error {
  constructor() {
    super('KVS answered 500');
    this.name = 'StorageRefused';
  }
}

/** An approval of CHG-42 as Jira sends the post function event. */
const approval = (transition: Record<string, unknown> = {}) => ({
  issue: { id: ISSUE_ID, key: 'CHG-42' },
  transition: { id: '21', name: 'Approve', from: { id: STATUS_IDS.Assessment }, to: { id: STATUS_IDS.Approved }, executionId: 'exec-approve', ...transition },
  postFunction: { id: 'pf-1' },
  atlassianId: 'acc-approver',
  changelog: { id: '30077', items: [{ field: 'status', fromString: 'Assessment', toString: 'Approved' }] },
  configuration: { secret: 'not copied' },
});

const setup = () => {
  const jira = new FakeJira().addIssue(issueJson({ key: 'CHG-42', id: ISSUE_ID, state: 'Approved', fields: completeFields('normal') }));
  const store = new MemoryStore();
  store.values.set(POLICY_KEY, { version: 2, policy: aSitePolicy(), updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
  const appendOf = store.setIfAbsent.bind(store);
  let refuse = false;
  // App storage refuses the log's appends while `refuse` holds (a KVS 429 or 500).
  store.setIfAbsent = async (key, value) => {
    if (refuse && key.startsWith('cc81:log')) throw new StorageRefused();
    return appendOf(key, value);
  };
  const queued: Array<{ event: RecordRetryEvent; delayInSeconds: number }> = [];
  const logs: { event: string; fields: LogFields }[] = [];
  const log = (event: string, fields: LogFields) => logs.push({ event, fields });
  let now = STEP_AT;
  const clock = () => now;
  const record = createEvidenceRecorder({ transport: jira.transport, store, clock, log, retryQueue: { push: async (event, delayInSeconds) => void queued.push({ event, delayInSeconds }) } });
  const retry = createEvidenceRetry({ transport: jira.transport, store, clock, log });
  return {
    store,
    queued,
    logs,
    record,
    refuse: (value: boolean) => (refuse = value),
    later: () => (now = LATER),
    /** Delivers the first queued event as Forge would, on its `retryCount`-th retry. */
    deliver: (retryCount?: number) => retry({ body: JSON.parse(JSON.stringify(queued[0]!.event)), ...(retryCount !== undefined ? { retryContext: { retryCount, retryReason: 'FUNCTION_RETRY_REQUEST' } } : {}) }),
    records: async () => (await readEvidenceLog(store, ISSUE_ID)).records.map(({ edge, accountId, at, executionId }) => ({ edge, accountId, at, executionId })),
    unrecorded: async () => (await unrecordedStepsOf(store, ISSUE_ID, 'CHG-42')).map((r) => r.step),
  };
};

describe('evidence recorder: a step app storage refuses is queued for a retry, not lost', () => {
  it('queues the ids and the time of the step (not the payload), and notes the step as waiting', async () => {
    const { record, refuse, queued, unrecorded, records } = setup();
    refuse(true);
    expect(await record(approval())).toEqual({ outcome: 'failed', code: 'UNEXPECTED', retry: 'queued', edge: 'approve' });
    expect(await records()).toEqual([]);
    expect(queued).toEqual([
      {
        delayInSeconds: 60,
        event: {
          payload: { issue: { id: ISSUE_ID, key: 'CHG-42' }, transition: { from: { id: STATUS_IDS.Assessment }, to: { id: STATUS_IDS.Approved }, executionId: 'exec-approve' }, atlassianId: 'acc-approver', changelog: { id: '30077' } },
          at: STEP_AT.toISOString(),
          markerId: 'exec-approve',
        },
      },
    ]);
    expect(await unrecorded()).toEqual([
      { v: 1, issueId: ISSUE_ID, issueKey: 'CHG-42', edge: 'approve', at: STEP_AT.toISOString(), state: 'retrying', attempts: 1, lastErrorCode: 'UNEXPECTED', updatedAt: STEP_AT.toISOString() },
    ]);
  });

  it('the retry records the step with the time it was taken, as the actor who took it, and clears the note', async () => {
    const { record, refuse, later, deliver, records, unrecorded } = setup();
    refuse(true);
    await record(approval());
    refuse(false);
    later();
    expect(await deliver()).toEqual({ statusCode: 204 });
    expect(await records()).toEqual([{ edge: 'approve', accountId: 'acc-approver', at: STEP_AT.toISOString(), executionId: 'exec-approve' }]);
    expect(await unrecorded()).toEqual([]);
  });

  it('a retry delivered twice records the step once', async () => {
    const { record, refuse, deliver, records } = setup();
    refuse(true);
    await record(approval());
    refuse(false);
    await deliver();
    expect(await deliver()).toEqual({ statusCode: 204 });
    expect(await records()).toHaveLength(1);
  });

  it('a step with no execution id is still retried and its note cleared', async () => {
    const { record, refuse, deliver, queued, records, unrecorded } = setup();
    refuse(true);
    await record(approval({ executionId: null }));
    expect(queued[0]!.event.markerId).toBe(`${ISSUE_ID}:${STATUS_IDS.Approved}:${STEP_AT.toISOString()}`);
    expect(await unrecorded()).toHaveLength(1);
    refuse(false);
    await deliver();
    expect(await records()).toHaveLength(1);
    expect(await unrecorded()).toEqual([]);
  });

  it('asks Forge for a later retry while storage keeps refusing, with a growing delay, then notes the step as lost', async () => {
    const { record, refuse, later, deliver, unrecorded } = setup();
    refuse(true);
    await record(approval());
    later();
    const answers = [];
    for (let retryCount = 0; retryCount <= MAX_RECORD_RETRIES; retryCount += 1) answers.push(await deliver(retryCount === 0 ? undefined : retryCount));
    expect(answers).toEqual([{ retryAfterSeconds: 120 }, { retryAfterSeconds: 240 }, { retryAfterSeconds: 480 }, { retryAfterSeconds: 900 }, { statusCode: 204 }]);
    expect(await unrecorded()).toEqual([expect.objectContaining({ state: 'lost', attempts: MAX_RECORD_RETRIES + 2, edge: 'approve', at: STEP_AT.toISOString(), updatedAt: LATER.toISOString() })]);
  });

  it('with no queue, or a queue that refuses, notes the step as lost at once', async () => {
    const { store } = setup();
    const jira = new FakeJira().addIssue(issueJson({ key: 'CHG-42', id: ISSUE_ID, state: 'Approved', fields: completeFields('normal') }));
    store.setIfAbsent = async () => {
      throw new StorageRefused();
    };
    const logs: LogFields[] = [];
    const record = createEvidenceRecorder({ transport: jira.transport, store, clock: () => STEP_AT, log: (_e, fields) => logs.push(fields), retryQueue: { push: async () => Promise.reject(new Error('RateLimitError')) } });
    expect(await record(approval())).toMatchObject({ outcome: 'failed', retry: 'not-queued' });
    expect((await unrecordedStepsOf(store, ISSUE_ID, 'CHG-42')).map((r) => r.step?.state)).toEqual(['lost']);
    expect(logs[0]).toMatchObject({ retryQueueErrorName: 'Error', unrecordedKey: expect.stringMatching(/^cc81:unrecorded:10042:[0-9a-f]{24}$/) });
  });

  it('never queues a payload that is not a post function event (a retry could not fix it)', async () => {
    const { record, queued, store } = setup();
    expect(await record({ issue: 'CHG-42' })).toMatchObject({ outcome: 'failed', code: 'INVALID_PAYLOAD', retry: 'not-queued' });
    expect(queued).toEqual([]);
    expect([...store.values.keys()].filter((k) => k.startsWith(UNRECORDED_PREFIX))).toEqual([]);
  });

  it.each([
    ['no body', {}],
    ['a body without the step time', { body: { payload: approval(), markerId: 'x' } }],
    ['a body with a bad issue key', { body: { payload: { ...approval(), issue: { key: '../x' } }, at: STEP_AT.toISOString(), markerId: 'x' } }],
  ])('drops a malformed retry event (%s) without retrying it', async (_name, event) => {
    const store = new MemoryStore();
    const logs: LogFields[] = [];
    const retry = createEvidenceRetry({ transport: new FakeJira().transport, store, clock: () => LATER, log: (_e, fields) => logs.push(fields) });
    expect(await retry(event)).toEqual({ statusCode: 204 });
    expect(logs).toEqual([{ event: 'retry-malformed' }]);
  });

  it('answers Forge with an InvocationError (its JSON) to ask for a retry', () => {
    expect(JSON.parse(JSON.stringify(toForgeConsumerResult({ retryAfterSeconds: 240 })))).toEqual({ _retry: true, retryOptions: { retryAfter: 240, retryReason: 'FUNCTION_RETRY_REQUEST' } });
    expect(toForgeConsumerResult({ statusCode: 204 })).toEqual({ statusCode: 204 });
  });
});
