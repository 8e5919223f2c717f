import { EdgeId, Policy, State, StateSchema } from '../../src/domain';
import { createHistoryGate, ValidatorResult } from '../../src/forge/history-gate';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { aJiraChangelog, approvedAndScheduled, aSitePolicy, FIELD_IDS, issueJson, IssueJsonSpec, JiraHistory, STATUS_IDS, UNMAPPED_STATUS_ID } from '../fakes/jira-json.builder';
import { EDGE_FROM, EDGE_TO } from '../support/lifecycle-expectations';

const NOW = at(12); // inside the builder's window (hours 10..14)
const KEY = 'CHG-42';

interface Setup {
  issue?: Partial<IssueJsonSpec>;
  histories?: JiraHistory[];
  policy?: Policy | null;
  storedPolicy?: unknown;
}

const setup = (spec: Setup = {}) => {
  const jira = new FakeJira().addIssue(
    issueJson({ key: KEY, id: '10042', state: 'Scheduled', fields: completeFields(), ...spec.issue }),
    spec.histories ?? approvedAndScheduled().build(),
  );
  const store = new MemoryStore();
  const policy = spec.policy === undefined ? aSitePolicy() : spec.policy;
  if (spec.storedPolicy !== undefined) store.values.set(POLICY_KEY, spec.storedPolicy);
  else if (policy) store.values.set(POLICY_KEY, { version: 3, policy, updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' });
  const logs: { event: string; fields: LogFields }[] = [];
  const gate = createHistoryGate({ transport: jira.transport, store, clock: () => NOW, log: (event, fields) => logs.push({ event, fields }) });
  return { jira, store, gate, logs };
};

const statusId = (s: State | string): string => {
  const state = StateSchema.safeParse(s);
  return state.success ? STATUS_IDS[state.data] : s;
};

/** A function validator payload as Jira sends it. */
const payload = (from: State | string, to: State | string, extra: Record<string, unknown> = {}, transitionExtra: Record<string, unknown> = {}) => ({
  issue: { key: KEY },
  configuration: { edge: 'implement' },
  transition: {
    id: 41,
    name: 'Mark implemented',
    from: { id: statusId(from) },
    to: { id: statusId(to) },
    ...transitionExtra,
  },
  ...extra,
});
const asImplementer = { principal: { accountId: 'acc-implementer' }, installContext: 'ari:cloud:jira::site/3a6c-site' };

const blocked = (result: ValidatorResult): string => {
  if (result.result) throw new Error('expected the transition to be blocked');
  return result.errorMessage;
};

describe('history gate: verdicts', () => {
  it('allows a clean approval by a non-implementer with 2 REST calls', async () => {
    const { gate, jira } = setup();
    expect(await gate(payload('Scheduled', 'Implemented'), asImplementer)).toEqual({ result: true });
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/3/issue/CHG-42', 'POST /rest/api/3/changelog/bulkfetch']);
    expect(jira.requests[0]?.query?.properties).toBeUndefined(); // the cc81.evidence mirror is never read
    expect(jira.requests[0]?.query?.fields?.split(',')).toEqual(expect.arrayContaining(['status', 'created', 'creator', FIELD_IDS.implementer, FIELD_IDS.rollbackPlan]));
    // Status, the material fields, implementer, change type, approver and verifier are 12 ids, over bulkfetch's 10: unfiltered.
    expect(jira.requests[1]?.body).toEqual({ issueIdsOrKeys: [KEY], maxResults: 10_000 });
  });

  // The gate runs on Approve, Mark implemented, Close and Post-hoc approve (README), and on the two that
  // schedule when a recurring window field is mapped; every other edge, from the independent table.
  const GATE_EDGES: readonly EdgeId[] = ['approve', 'implement', 'close', 'postHocApprove'];
  const SCHEDULING: readonly EdgeId[] = ['schedule', 'standardSchedule'];
  const withoutRecurring = () => {
    const fields = { ...aSitePolicy().fields };
    delete fields.recurringWindow;
    return { ...aSitePolicy(), fields };
  };
  it.each((Object.keys(EDGE_FROM) as EdgeId[]).filter((id) => !GATE_EDGES.includes(id)).map((id) => [id, EDGE_FROM[id], EDGE_TO[id]] as const))(
    'allows %s (no gate rules without a recurring window field) without any REST call',
    async (_id, from, to) => {
      const { gate, jira } = setup({ policy: withoutRecurring() });
      expect(await gate(payload(from, to), asImplementer)).toEqual({ result: true });
      expect(jira.requests).toHaveLength(0);
    },
  );

  it.each(SCHEDULING.map((id) => [id, EDGE_FROM[id], EDGE_TO[id]] as const))('with a recurring window field mapped, reads the change on %s (2 REST calls) and passes a fixed window', async (_id, from, to) => {
    const { gate, jira } = setup();
    expect(await gate(payload(from, to), asImplementer)).toEqual({ result: true });
    expect(jira.requests).toHaveLength(2);
  });

  it('refuses to schedule with a recurring window it cannot read, naming the problem; passes one it can', async () => {
    const recurring = aSitePolicy().fields.recurringWindow!;
    const unreadable = setup({ issue: { fields: { ...completeFields(), windowStart: null, windowEnd: null, recurringWindow: 'every Tuesday 02:00-04:00' } } });
    expect(blocked(await unreadable.gate(payload('Approved', 'Scheduled'), asImplementer))).toMatch(/^The recurring window cannot be read: "every" is not part of a recurring window .*RFC 5545/);
    // Typed on the Schedule screen: judged as typed.
    const typed = setup({ issue: { fields: { ...completeFields(), windowStart: null, windowEnd: null, recurringWindow: 'every Tuesday' } } });
    const screen = { ...payload('Approved', 'Scheduled'), modifiedFields: { [recurring]: 'DTSTART;TZID=Europe/Berlin:20260106T020000 RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H' } };
    expect(await typed.gate(screen, asImplementer)).toEqual({ result: true });
  });

  it('blocks an implementation approved by the implementer', async () => {
    const { gate, jira } = setup({ histories: approvedAndScheduled('acc-implementer').build() });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/approval on record was given by the implementer/);
    expect(jira.requests.length).toBeLessThanOrEqual(2);
  });

  it('blocks when a material field changed after approval, naming the field', async () => {
    const histories = approvedAndScheduled().edit('rollbackPlan', 'Redeploy previous bundle', 'Just restart it', 'acc-requester', 5).build();
    const { gate } = setup({ histories });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toBe(
      'Rollback plan changed after approval, which voids it: send the change back for re-approval.',
    );
  });

  it('ignores edits before the approval and edits to fields that are not material', async () => {
    const histories = aJiraChangelog()
      .move('Draft', 'Assessment', 'acc-requester', 1)
      .edit('risk', 'low', 'medium', 'acc-requester', 1.5)
      .move('Assessment', 'Approved', 'acc-approver', 2)
      .edit('summary', 'Rotate certs', 'Rotate TLS certificates', 'acc-requester', 2.5)
      .noise('acc-requester', 2.7)
      .move('Approved', 'Scheduled', 'acc-requester', 3)
      .buildNewestFirst();
    const { gate } = setup({ histories });
    expect(await gate(payload('Scheduled', 'Implemented'), asImplementer)).toEqual({ result: true });
  });

  it('blocks when the changelog is empty (no standing approval)', async () => {
    const { gate, jira } = setup({ histories: [] });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/no standing approval/);
    expect(jira.requests).toHaveLength(2);
  });

  it('blocks when the approval was withdrawn by a re-assess', async () => {
    const histories = approvedAndScheduled().move('Scheduled', 'Approved', 'acc-requester', 4).move('Approved', 'Assessment', 'acc-requester', 5).move('Assessment', 'Approved', 'acc-implementer', 6).move('Approved', 'Scheduled', 'acc-requester', 7).build();
    const { gate } = setup({ histories });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/given by the implementer/);
  });

  it('does not let a hand-written evidence property create an approval', async () => {
    const forged = { version: 1, records: [{ edge: 'approve', from: 'Assessment', to: 'Approved', accountId: 'acc-approver', at: at(2).toISOString(), executionId: 'forged' }] };
    const histories = aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 1).move('Assessment', 'Scheduled', 'acc-requester', 3).build();
    const { gate } = setup({ histories, issue: { evidence: forged } });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/no standing approval/);
  });
});

describe('history gate: people', () => {
  it('still honours an approval by an approver whose account was deleted since', async () => {
    const { gate } = setup({ histories: approvedAndScheduled({ deleted: 'acc-approver' }).build(), issue: { users: { 'acc-approver': { active: false } } } });
    expect(await gate(payload('Scheduled', 'Implemented'), asImplementer)).toEqual({ result: true });
  });

  it('blocks an approval whose author is a corrupted (unknown) user record', async () => {
    const { gate } = setup({ histories: approvedAndScheduled('corrupted').build() });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/nobody identifiable/);
  });

  it('treats the acting user as an implementer: an approver who implements their own approval is blocked', async () => {
    const { gate, logs } = setup();
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), { principal: { accountId: 'acc-approver' } }))).toMatch(/given by the implementer/);
    expect(logs[0]?.fields).toMatchObject({ actorSource: 'context.principal', actorAccountId: 'acc-approver' });
  });

  it('decides without an actor when the context names none, and logs that', async () => {
    const { gate, logs } = setup();
    expect(await gate(payload('Scheduled', 'Implemented'), {})).toEqual({ result: true });
    expect(logs[0]?.fields).toMatchObject({ actorSource: 'none', actorAccountId: null });
  });

  it('reads the actor from context.accountId when there is no principal', async () => {
    const { gate, logs } = setup();
    await gate(payload('Scheduled', 'Implemented'), { accountId: 'acc-implementer' });
    expect(logs[0]?.fields).toMatchObject({ actorSource: 'context.accountId', actorAccountId: 'acc-implementer' });
  });
});

describe('history gate: transition screen edits (modifiedFields)', () => {
  it('blocks when the implementer is changed on the Implement screen (user fields carry only accountId)', async () => {
    const { gate } = setup();
    const result = await gate(payload('Scheduled', 'Implemented', {}, { modifiedFields: { [FIELD_IDS.implementer]: { accountId: 'acc-outsider' } } }), asImplementer);
    expect(blocked(result)).toMatch(/^Implementer changed after approval/);
  });

  it('reads modifiedFields at the top level too, and bare account ids', async () => {
    const { gate } = setup();
    const result = await gate(payload('Scheduled', 'Implemented', { modifiedFields: { [FIELD_IDS.implementer]: 'acc-outsider' } }), asImplementer);
    expect(blocked(result)).toMatch(/^Implementer changed after approval/);
  });

  it('allows screen fields that keep their value, and unmapped or non-material fields', async () => {
    const { gate } = setup();
    const modifiedFields = {
      [FIELD_IDS.implementer]: { accountId: 'acc-implementer' },
      [FIELD_IDS.implementationEvidence]: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Deploy job #4412' }] }] },
      customfield_19999: 'unrelated',
    };
    expect(await gate(payload('Scheduled', 'Implemented', {}, { modifiedFields }), asImplementer)).toEqual({ result: true });
  });

  it('fails closed on a screen value of the wrong shape', async () => {
    const { gate } = setup();
    const result = await gate(payload('Scheduled', 'Implemented', {}, { modifiedFields: { [FIELD_IDS.windowStart]: 'next tuesday' } }), asImplementer);
    expect(blocked(result)).toMatch(/^CC8\.1 could not check this transition: Jira sent the validator a request it does not understand \(modifiedFields\.customfield_10047 \(windowStart\)\)\. Nothing was changed\./);
  });
});

describe('history gate: failures never throw and say what to do', () => {
  it('refuses a bad payload without any REST call', async () => {
    const { gate, jira } = setup();
    for (const bad of [null, {}, { issue: { key: '../CHG-42' }, transition: { from: { id: '10003' }, to: { id: '10004' } } }, { issue: { key: KEY }, transition: { to: { id: '10004' } } }]) {
      expect(blocked(await gate(bad, asImplementer))).toMatch(/^CC8\.1 could not check this transition: Jira sent the validator a request it does not understand .*Nothing was changed\. Ask a Jira admin/);
    }
    expect(jira.requests).toHaveLength(0);
  });

  it('reports a 429 with its Retry-After', async () => {
    const { gate, jira } = setup();
    jira.failNext(/bulkfetch/, { kind: 'status', status: 429, headers: { 'Retry-After': '5', 'RateLimit-Reason': 'jira-quota-tenant-based' } });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toBe(
      "CC8.1 could not read this change's history: Jira is rate limiting requests (retry after 5 s). Nothing was changed. Try the transition again in a moment.",
    );
    expect(jira.requests.length).toBeLessThanOrEqual(2);
  });

  it('reports a 500 without the response body', async () => {
    const { gate, jira } = setup();
    jira.failNext(/^GET \/rest\/api\/3\/issue/, { kind: 'status', status: 500, body: { errorMessages: ['java.lang.NullPointerException at com.atlassian...'] } });
    const message = blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer));
    expect(message).toMatch(/Jira answered with an error \(HTTP 500\)\. Nothing was changed\. Try the transition again in a moment/);
    expect(message).not.toMatch(/NullPointer/);
  });

  it('reports 403 as an access problem for an admin', async () => {
    const { gate, jira } = setup();
    jira.failNext(/bulkfetch/, { kind: 'status', status: 403 });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/refused the app access \(HTTP 403\).*Ask a Jira admin/);
  });

  it('reports malformed JSON', async () => {
    const { gate, jira } = setup();
    jira.failNext(/bulkfetch/, { kind: 'malformed-json' });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/Jira returned data the app does not understand \(\(body\)\)\. Nothing was changed\./);
  });

  it('reports a field of the wrong type (a mis-mapped field) by id, without its value', async () => {
    const { gate } = setup({ issue: { raw: { [FIELD_IDS.implementer]: 'Dana from ops' } } });
    const message = blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer));
    expect(message).toMatch(/fields\.customfield_10042 \(implementer\).*check the CC8\.1 field mapping/);
    expect(message).not.toMatch(/Dana/);
  });

  it('asks an admin to configure the app when no policy is stored (no status mapped), without REST calls', async () => {
    const { gate, jira } = setup({ policy: null });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toBe(
      'CC8.1 is not set up for this transition: Jira status 10003 is not mapped to a CC8.1 lifecycle state. Nothing was changed. Ask a Jira admin to map every status of the change workflow to a lifecycle state on the CC8.1 admin page.',
    );
    expect(jira.requests).toHaveLength(0);
  });

  it('refuses a transition between statuses the policy maps but the lifecycle does not allow, or an unmapped status', async () => {
    const { gate } = setup();
    expect(blocked(await gate(payload('Draft', 'Approved'), asImplementer))).toMatch(/moves a change from Draft to Approved, which is not a CC8\.1 lifecycle step/);
    expect(blocked(await gate(payload('Scheduled', UNMAPPED_STATUS_ID), asImplementer))).toMatch(/Jira status 10099 is not mapped/);
  });

  it('reports a corrupted stored policy with its field errors', async () => {
    const { gate } = setup({ storedPolicy: { version: 4, policy: { postHoc: { windowHours: 200 } }, updatedBy: 'acc-admin', updatedAt: '2026-03-01T10:00:00.000Z' } });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(
      /the stored CC8\.1 policy is invalid \(postHoc\.windowHours: The post-hoc window is 48 to 72 hours\)\. Nothing was changed\. Ask a Jira admin to fix the policy/,
    );
  });

  it('fails closed when the changelog needs more than one page, within 2 calls', async () => {
    const long = approvedAndScheduled();
    for (let i = 0; i < 10_000; i += 1) long.edit('testPlan', `plan ${i}`, `plan ${i + 1}`, 'acc-requester', 0.5);
    const { gate, jira } = setup({ histories: long.build() });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/more than 10000 recorded changes.*Nothing was changed\./);
    expect(jira.requests).toHaveLength(2);
  });

  it('does not filter the changelog when the policy tracks more than 10 fields, and still decides', async () => {
    const policy = aSitePolicy({ statuses: STATUS_IDS, fields: FIELD_IDS, additionalMaterialFields: ['verifier', 'approver', 'cabReference'] });
    const histories = approvedAndScheduled().edit('cabReference', 'CAB-1', 'CAB-2', 'acc-requester', 4).build();
    const { gate, jira } = setup({ policy, histories });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toMatch(/^CAB reference changed after approval/);
    expect(jira.requests[1]?.body).toEqual({ issueIdsOrKeys: [KEY], maxResults: 10_000 });
  });

  it('turns an unexpected failure (the store throws) into a message', async () => {
    const jira = new FakeJira();
    const gate = createHistoryGate({
      transport: jira.transport,
      store: { get: async () => Promise.reject(new TypeError('kvs down')), set: async () => undefined, setIfAbsent: async () => 'written', listByPrefix: async () => [], delete: async () => undefined, listPage: async () => ({ entries: [], nextCursor: null }) },
      clock: () => NOW,
      log: () => undefined,
    });
    expect(blocked(await gate(payload('Scheduled', 'Implemented'), asImplementer))).toBe(
      "CC8.1 could not check this transition because of an unexpected error. Nothing was changed. Try again; if it keeps failing, ask a Jira admin to check the CC8.1 app's logs.",
    );
  });
});

describe('history gate: logging', () => {
  it('logs one line per invocation with ids, codes and counts only', async () => {
    const histories = approvedAndScheduled().edit('rollbackPlan', 'Redeploy previous bundle', 'Secret rollback detail', 'acc-requester', 5).build();
    const { gate, logs } = setup({ histories });
    await gate(payload('Scheduled', 'Implemented'), asImplementer);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toEqual({
      event: 'cc81-history-gate',
      fields: expect.objectContaining({ issueKey: KEY, fromStatus: '10003', toStatus: '10004', edge: 'implement', outcome: 'blocked', reasons: 'CHANGED_AFTER_APPROVAL', restCalls: 2, policyVersion: 3 }),
    });
    const line = JSON.stringify(logs);
    for (const secret of ['Secret rollback', 'Rotate TLS', 'Redeploy previous certificate bundle', 'Person acc']) expect(line).not.toContain(secret);
  });

  it('logs the error code when it cannot decide', async () => {
    const { gate, jira, logs } = setup();
    jira.failNext(/bulkfetch/, { kind: 'status', status: 429, headers: { 'Retry-After': '5' } });
    await gate(payload('Scheduled', 'Implemented'), asImplementer);
    expect(logs[0]?.fields).toMatchObject({ outcome: 'error', errorCode: 'RATE_LIMITED', restCalls: 2 });
  });
});
