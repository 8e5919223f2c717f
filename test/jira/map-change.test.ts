import fc from 'fast-check';
import { ChangeFields, FIELD_KEYS, rawFieldValue, sortHistory, stepsFromHistory } from '../../src/domain';
import { MalformedResponseError, NotConfiguredError } from '../../src/shared/app-error';
import { EvidencePropertyRecord } from '../../src/jira/evidence-property';
import { mapChange } from '../../src/jira/map-change';
import { ChangelogSchema, IssueSchema } from '../../src/jira/schemas';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aJiraChangelog, aSitePolicy, adf, fieldItem, issueJson, IssueJsonSpec, JiraHistory, UNMAPPED_STATUS_ID } from '../fakes/jira-json.builder';

const policy = aSitePolicy();
const parseIssue = (spec: IssueJsonSpec) => IssueSchema.parse(issueJson(spec));
const parseHistories = (histories: JiraHistory[]) => histories.map((h) => ChangelogSchema.parse(h));
const map = (spec: IssueJsonSpec, histories: JiraHistory[] = []) => mapChange({ issue: parseIssue(spec), histories: parseHistories(histories) }, policy);

const evidenceRecord = (overrides: Partial<EvidencePropertyRecord>): EvidencePropertyRecord => ({
  edge: 'postHocApprove',
  from: 'Implemented',
  to: 'Implemented',
  accountId: 'acc-approver',
  at: at(20).toISOString(),
  executionId: 'exec-1',
  ...overrides,
});

describe('mapChange: fields', () => {
  it('maps every field type from REST v3 JSON (ADF, options, users, labels, +0000 datetimes)', () => {
    const { change } = map({ state: 'Scheduled', fields: completeFields('emergency', 'high'), created: at(0) });
    expect(change.key).toBe('CHG-42');
    expect(change.state).toBe('Scheduled');
    expect(change.createdAt).toEqual(at(0));
    expect(change.fields).toMatchObject({
      summary: 'Rotate TLS certificates on the edge proxies',
      justification: 'Certificates expire in 10 days',
      changeType: 'emergency',
      risk: 'high',
      implementer: { accountId: 'acc-implementer', displayName: 'Person acc-implementer', active: true },
      targetSystems: ['edge-proxy', 'cdn'],
      windowStart: at(10),
      windowEnd: at(14),
      rollbackPlan: 'Redeploy previous certificate bundle',
      recurringWindow: null,
      verificationResult: 'passed',
    });
  });

  it('keeps a deleted user with its account id and active: false', () => {
    const { change } = map({ state: 'Scheduled', fields: completeFields(), users: { 'acc-implementer': { active: false } } });
    expect(change.fields.implementer).toEqual({ accountId: 'acc-implementer', displayName: 'Former user', active: false });
  });

  it('reads multi-line rich text; an option label the policy does not know is an error naming the field and what to do (issue 16)', () => {
    const { change } = map({ state: 'Draft', fields: completeFields(), raw: { customfield_10050: adf('Staging rollout\nSynthetic checks') } });
    expect(change.fields.testPlan).toBe('Staging rollout\nSynthetic checks');
    expect(() => map({ state: 'Draft', fields: completeFields(), raw: { customfield_10041: { value: 'Catastrophic', id: '10199' } } })).toThrow(
      /fields\.customfield_10041 \(risk\) \("Catastrophic" is not a Risk rating option the policy knows: map it to one of low, medium, high \(admin page, option labels; policy optionLabels\.risk\)/,
    );
  });

  it('names the field, never the value, when a field has the wrong shape (a text field mapped as a user, say)', () => {
    expect(() => map({ state: 'Draft', fields: completeFields(), raw: { customfield_10042: 'Dana from ops' } })).toThrow(/fields\.customfield_10042 \(implementer\)/);
    let error: unknown = null;
    try {
      map({ state: 'Draft', fields: completeFields(), raw: { customfield_10046: 'secret-labels' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toHaveProperty('message', expect.stringContaining('customfield_10046'));
    expect(error).toHaveProperty('message', expect.not.stringContaining('secret'));
  });

  it('fails on a missing created timestamp, and on an unmapped current status', () => {
    expect(() => map({ state: 'Draft', fields: completeFields(), raw: { created: null } })).toThrow(MalformedResponseError);
    const onHold = issueJson({ state: 'Draft', fields: completeFields() });
    onHold.fields.status = { id: UNMAPPED_STATUS_ID, name: 'On hold' };
    expect(() => mapChange({ issue: IssueSchema.parse(onHold), histories: [] }, policy)).toThrow(NotConfiguredError);
  });

  it('round-trips any field values: the raw value of every field survives REST JSON', () => {
    const text = fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:-]{0,40}[A-Za-z0-9]$/), { nil: null });
    const user = fc.option(fc.stringMatching(/^[0-9a-f]{24}$/).map((accountId) => ({ accountId })), { nil: null });
    const date = fc.option(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }), { nil: null });
    const fieldsArb: fc.Arbitrary<ChangeFields> = fc.record({
      summary: text,
      justification: text,
      changeType: fc.constantFrom('standard', 'normal', 'emergency', null),
      risk: fc.constantFrom('low', 'medium', 'high', null),
      requester: user,
      implementer: user,
      approver: user,
      verifier: user,
      cabReference: text,
      targetSystems: fc.option(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { maxLength: 5 }), { nil: null }),
      windowStart: date,
      windowEnd: date,
      recurringWindow: text,
      testPlan: text,
      rollbackPlan: text,
      implementationEvidence: text,
      verificationResult: fc.constantFrom('passed', 'failed-rolled-back', null),
      rollbackOutcome: text,
      standardTemplate: text,
      emergencyJustification: text,
      cancellationReason: text,
    });
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const { change } = map({ state: 'Assessment', fields });
        for (const field of FIELD_KEYS) expect([field, rawFieldValue(change.fields, field)]).toEqual([field, rawFieldValue(fields, field)]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('mapChange: history', () => {
  it('maps status and tracked field items, in whatever order Jira sent them, and drops untracked items', () => {
    const histories = aJiraChangelog()
      .move('Draft', 'Assessment', 'acc-requester', 1)
      .noise('acc-requester', 1.2)
      .edit('risk', 'low', 'high', 'acc-requester', 1.5)
      .move('Assessment', 'Approved', 'acc-approver', 2)
      .edit('targetSystems', 'cdn,edge-proxy', 'cdn,db', 'acc-requester', 3)
      .buildNewestFirst();
    const { history, stats } = map({ state: 'Approved', fields: completeFields() }, histories);
    expect(sortHistory(history)).toEqual([
      { kind: 'status', at: at(1), actor: { accountId: 'acc-requester', displayName: 'Person acc-requester', active: true }, from: 'Draft', to: 'Assessment' },
      { kind: 'field', at: at(1.5), actor: expect.objectContaining({ accountId: 'acc-requester' }), field: 'risk', from: 'low', to: 'high' },
      { kind: 'status', at: at(2), actor: expect.objectContaining({ accountId: 'acc-approver' }), from: 'Assessment', to: 'Approved' },
      { kind: 'field', at: at(3), actor: expect.objectContaining({ accountId: 'acc-requester' }), field: 'targetSystems', from: 'cdn,edge-proxy', to: 'cdn,db' },
    ]);
    expect(stats.unknownStatusItems).toBe(0);
  });

  it('skips and counts status changes through statuses the policy does not map', () => {
    const histories = aJiraChangelog().move('Draft', UNMAPPED_STATUS_ID, 'acc-requester', 1).move(UNMAPPED_STATUS_ID, 'Draft', 'acc-requester', 2).move('Draft', 'Assessment', 'acc-requester', 3).build();
    const { history, stats } = map({ state: 'Assessment', fields: completeFields() }, histories);
    expect(stats.unknownStatusItems).toBe(2);
    expect(history.map((e) => e.kind === 'status' && `${e.from}->${e.to}`)).toEqual(['Draft->Assessment']);
  });

  it('keeps deleted users as actors, and makes missing or corrupted authors null', () => {
    const histories = aJiraChangelog()
      .move('Draft', 'Assessment', null, 1)
      .move('Assessment', 'Approved', { deleted: 'acc-approver' }, 2)
      .move('Approved', 'Scheduled', 'corrupted', 3)
      .build();
    const { history } = map({ state: 'Scheduled', fields: completeFields() }, histories);
    expect(history.map((e) => e.actor)).toEqual([null, { accountId: 'acc-approver', displayName: 'Former user', active: false }, null]);
  });
});

describe('mapChange: evidence', () => {
  const implementedEmergency = aJiraChangelog().move('Draft', 'Implemented', 'acc-implementer', 11);

  it('adds loop transitions (post-hoc approvals) as status entries, two loops as two steps', () => {
    const evidence = {
      version: 1,
      records: [evidenceRecord({ executionId: 'e1', at: at(20).toISOString() }), evidenceRecord({ executionId: 'e2', accountId: 'acc-cab-member', at: new Date(at(20).getTime() + 10_000).toISOString() })],
    };
    const { change, history, stats } = map({ state: 'Implemented', fields: completeFields('emergency'), evidence }, implementedEmergency.build());
    const steps = stepsFromHistory(sortHistory(history));
    expect(steps.map((s) => [s.edge, s.accountId])).toEqual([
      ['emergencyImplementFromDraft', 'acc-implementer'],
      ['postHocApprove', 'acc-approver'],
      ['postHocApprove', 'acc-cab-member'],
    ]);
    expect(stats).toMatchObject({ evidenceAdded: 2, evidenceDuplicates: 0 });
    expect(change.evidence).toHaveLength(2);
  });

  it('does not add a record twice when the changelog shows the same step within 60 s', () => {
    const evidence = {
      version: 1,
      records: [evidenceRecord({ edge: 'emergencyImplementFromDraft', from: 'Draft', to: 'Implemented', accountId: 'acc-implementer', at: new Date(at(11).getTime() + 4_000).toISOString() })],
    };
    const { history, stats } = map({ state: 'Implemented', fields: completeFields('emergency'), evidence }, implementedEmergency.build());
    expect(history.filter((e) => e.kind === 'status')).toHaveLength(1);
    expect(stats.evidenceDuplicates).toBe(1);
  });

  it('does not let a non-loop record without a changelog match create a step (the property is user-writable)', () => {
    const forged = { version: 1, records: [evidenceRecord({ edge: 'approve', from: 'Assessment', to: 'Approved', accountId: 'acc-approver', at: at(2).toISOString() })] };
    const { history, stats, change } = map({ state: 'Scheduled', fields: completeFields(), evidence: forged }, aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 1).build());
    expect(stepsFromHistory(sortHistory(history)).map((s) => s.edge)).toEqual(['submit']);
    expect(stats.evidenceUnmatched).toBe(1);
    expect(change.evidence).toHaveLength(1);
  });

  it('fails on a corrupted evidence property rather than ignoring it', () => {
    expect(() => map({ state: 'Implemented', fields: completeFields(), evidence: { version: 1, records: [{ edge: 'approve' }] } })).toThrow(MalformedResponseError);
  });
});

describe('mapChange: actors', () => {
  it("gives each entry its own history's author, when authors alternate and when an account's name or status changes", () => {
    const author = (accountId: string, displayName: string, active: boolean) => ({ accountId, displayName, active });
    const histories: JiraHistory[] = [
      { id: '1', author: author('acc-a', 'Ann', true), created: '2026-03-02T09:00:00.000+0000', items: [fieldItem('summary', 'v1', 'v2')] },
      { id: '2', author: author('acc-b', 'Bob', true), created: '2026-03-02T09:01:00.000+0000', items: [fieldItem('summary', 'v2', 'v3')] },
      { id: '3', author: author('acc-a', 'Ann', true), created: '2026-03-02T09:02:00.000+0000', items: [fieldItem('summary', 'v3', 'v4')] },
      { id: '4', author: author('acc-a', 'Ann Smith', true), created: '2026-03-02T09:03:00.000+0000', items: [fieldItem('summary', 'v4', 'v5')] },
      { id: '5', author: author('acc-a', 'Ann Smith', false), created: '2026-03-02T09:04:00.000+0000', items: [fieldItem('summary', 'v5', 'v6')] },
      { id: '6', author: author('unknown', 'Corrupted', true), created: '2026-03-02T09:05:00.000+0000', items: [fieldItem('summary', 'v6', 'v7')] },
      { id: '7', created: '2026-03-02T09:06:00.000+0000', items: [fieldItem('summary', 'v7', 'v8')] },
    ];
    const { history } = map({ state: 'Draft', fields: completeFields() }, histories);
    expect(history.map((e) => e.actor)).toEqual([
      { accountId: 'acc-a', displayName: 'Ann', active: true },
      { accountId: 'acc-b', displayName: 'Bob', active: true },
      { accountId: 'acc-a', displayName: 'Ann', active: true },
      { accountId: 'acc-a', displayName: 'Ann Smith', active: true },
      { accountId: 'acc-a', displayName: 'Ann Smith', active: false },
      null,
      null,
    ]);
  });
});
