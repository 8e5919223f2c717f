import { Change, EdgeId, FieldKey, History, Policy, Risk, State } from '../../src/domain';
import { DEMO_TICKETS, materialize } from '../../sandbox/demo/demo-tickets';
import { DEMO_USERS, demoUsers } from '../../sandbox/demo/demo-users';
import { createSandboxState } from '../../sandbox/state/sandbox-state';
import { buildPanelView, PanelViewInput } from '../../src/panel/build-panel-view';
import { directoryFromChange, UserDirectory } from '../../src/panel/user-directory';
import { PanelView, PanelViewSchema } from '../../src/shared/panel-contract';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory, HistoryBuilder } from '../builders/history.builder';
import { CAB_GROUP, PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { sealGateRecord } from '../../src/deployments/gate-record';
import { aGateRecordInput } from '../builders/gate-record.builder';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const SITE_POLICY: Policy = createSandboxState(demoUsers()).policy;

const demo = (summary: string): { change: Change; history: History } => {
  const index = DEMO_TICKETS.findIndex((t) => t.summary === summary);
  const ticket = DEMO_TICKETS[index];
  if (!ticket) throw new Error(`no demo ticket ${summary}`);
  return materialize(ticket, index, NOW);
};

const viewOf = (source: { change: Change; history: History }, overrides: Partial<PanelViewInput> = {}): PanelView =>
  buildPanelView({
    change: source.change,
    history: source.history,
    policy: SITE_POLICY,
    policyVersion: 1,
    users: directoryFromChange(source.change, source.history),
    viewerAccountId: DEMO_USERS.approver.accountId,
    now: NOW,
    ...overrides,
  });

const pair = (view: PanelView, name: PanelView['pairs'][number]['pair']) => view.pairs.find((p) => p.pair === name);
const role = (view: PanelView, name: string) => view.roles.find((r) => r.role === name);
const codes = (view: PanelView) => view.findings.map((f) => f.code);

describe('buildPanelView: steps the recorder could not write', () => {
  it('names each step, keeps its time, state and attempts, and shows an unreadable note as such; none by default', () => {
    const source = demo('Rotate TLS certificates on the edge proxies');
    expect(viewOf(source).unrecorded).toEqual([]);
    const view = viewOf(source, {
      unrecorded: [{ edge: 'postHocApprove', at: '2026-11-20T10:00:00.000Z', state: 'retrying', attempts: 3 }, { edge: null, at: '2026-11-20T11:00:00.000Z', state: 'lost', attempts: 6 }, null],
    });
    expect(view.unrecorded).toEqual([
      { step: 'Post-hoc approve', at: '2026-11-20T10:00:00.000Z', state: 'retrying', attempts: 3 },
      { step: null, at: '2026-11-20T11:00:00.000Z', state: 'lost', attempts: 6 },
      { step: null, at: null, state: 'unreadable', attempts: 0 },
    ]);
    expect(PanelViewSchema.safeParse(view).success).toBe(true);
  });
});

describe('buildPanelView on the demo tickets', () => {
  it.each(DEMO_TICKETS.map((t) => [t.summary, t.expected] as const))('%s: a valid view with the audit’s findings', (summary, expected) => {
    const view = viewOf(demo(summary));
    expect(PanelViewSchema.safeParse(view).success).toBe(true);
    expect(new Set(codes(view))).toEqual(new Set(expected));
    for (const finding of view.findings) expect(finding.fix.length).toBeGreaterThan(10);
  });

  it('a clean closed change: both pairs ok, every role acted, no findings', () => {
    const view = viewOf(demo('Rotate TLS certificates on the edge proxies'));
    expect(view.state).toBe('Closed');
    expect(pair(view, 'approver-implementer')).toEqual({ pair: 'approver-implementer', verdict: 'ok', message: 'Approved by Ada Approver, not the implementer' });
    expect(pair(view, 'verifier-implementer')).toEqual({ pair: 'verifier-implementer', verdict: 'ok', message: 'Verified by Vera Verifier, not the implementer' });
    expect(pair(view, 'approver-verifier')).toEqual({ pair: 'approver-verifier', verdict: 'ok', message: 'Verified by Vera Verifier, not an approver' });
    expect(role(view, 'requester')?.acted?.displayName).toBe('Rita Requester');
    expect(role(view, 'implementer')).toMatchObject({ named: { displayName: 'Ivan Implementer', active: true }, acted: { displayName: 'Ivan Implementer' } });
    expect(role(view, 'verifier')?.actedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(view.findings).toEqual([]);
    expect(view.readiness).toEqual([]); // nothing leaves Closed
    expect(view.clock.status).toBe('not-needed');
    expect(view.timeline.map((t) => t.kind)).toEqual(['transition', 'transition', 'transition', 'transition', 'transition']);
    expect(view.timeline[1]).toMatchObject({ text: 'Approve: Assessment → Approved', actor: { displayName: 'Ada Approver' }, afterApproval: false });
  });

  it('a self-approved change: conflict "Approved by the implementer" and the finding with its fix', () => {
    const view = viewOf(demo('Self-approved: logging level change'));
    expect(pair(view, 'approver-implementer')).toMatchObject({ verdict: 'conflict', message: 'Approved by the implementer' });
    expect(role(view, 'approver')?.acted?.displayName).toBe('Ivan Implementer');
    expect(view.findings.find((f) => f.code === 'APPROVER_IS_IMPLEMENTER')).toMatchObject({
      severity: 'exception',
      fix: 'Have someone other than the implementer approve the change.',
    });
  });

  it('a self-verified change: conflict "Verified by the implementer"', () => {
    const view = viewOf(demo('Self-verified: load balancer weights'));
    expect(pair(view, 'verifier-implementer')).toMatchObject({ verdict: 'conflict', message: 'Verified by the implementer' });
    expect(pair(view, 'approver-implementer')?.verdict).toBe('ok');
    expect(codes(view)).toContain('VERIFIER_IS_IMPLEMENTER');
  });

  it('an overdue emergency: the clock is overdue, approval pending, post-hoc approval offered', () => {
    const view = viewOf(demo('Emergency with no post-hoc approval: disk full on app01'));
    expect(view.clock).toMatchObject({ status: 'overdue', approvedAt: null, approver: null });
    expect(new Date(view.clock.dueAt ?? '').getTime()).toBeLessThan(NOW.getTime());
    expect(view.clock.implementedAt).toBe(new Date(NOW.getTime() - 120 * 3_600_000).toISOString());
    expect(pair(view, 'approver-implementer')?.verdict).toBe('pending');
    expect(view.readiness.map((r) => r.edge)).toEqual(['close', 'postHocApprove']);
    expect(view.readiness.find((r) => r.edge === 'postHocApprove')?.allowed).toBe(true); // the viewer is the named approver
    expect(view.findings.find((f) => f.code === 'EMERGENCY_POSTHOC_MISSING')?.fix).toMatch(/post-hoc approval/);
  });

  it('a late post-hoc approval: satisfied-late, its own timeline kind, the approver shown', () => {
    const view = viewOf(demo('Emergency approved late: revoke leaked token'));
    expect(view.clock).toMatchObject({ status: 'satisfied-late', approver: { displayName: 'Ada Approver', active: true } });
    expect(view.timeline.map((t) => t.kind)).toEqual(['transition', 'post-hoc-approval', 'transition']);
    expect(view.timeline[1]).toMatchObject({ text: 'Post-hoc approval', actor: { displayName: 'Ada Approver' } });
    expect(role(view, 'approver')?.acted?.displayName).toBe('Ada Approver');
    expect(codes(view)).toEqual(['EMERGENCY_POSTHOC_LATE']);
  });

  it('a deleted user stays visible, marked inactive', () => {
    const view = viewOf(demo('Fix DNS TTL for status page'));
    const former = { accountId: DEMO_USERS.former.accountId, displayName: 'Former user', active: false };
    expect(role(view, 'implementer')).toMatchObject({ named: former, acted: former });
    expect(view.timeline[0]?.actor).toEqual(former);
    expect(role(view, 'approver')?.acted?.displayName).toBe('Carl CAB');
  });

  it('flags material edits after the standing approval on the timeline', () => {
    const view = viewOf(demo('Rollback plan edited after approval: queue migration'));
    expect(view.timeline.filter((t) => t.kind === 'material-change')).toEqual([
      expect.objectContaining({ text: 'Rollback plan changed after approval', afterApproval: true, actor: expect.objectContaining({ displayName: 'Rita Requester' }) }),
    ]);
    expect(codes(view)).toEqual(['CHANGED_AFTER_APPROVAL']);
  });
});

describe('buildPanelView on built changes', () => {
  const approvedThen = () => aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2);

  it('says "Approver field changed after approval" and makes it a conflict', () => {
    const change = aChange({ state: 'Approved', fields: { approver: { accountId: PEOPLE.cab } } });
    const history = approvedThen().edit('approver', PEOPLE.approver, PEOPLE.cab, PEOPLE.requester, 3).build();
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(5) });
    expect(pair(view, 'approver-implementer')).toEqual({
      pair: 'approver-implementer',
      verdict: 'conflict',
      message: expect.stringContaining('Approver field changed after approval'),
    });
    expect(role(view, 'approver')).toMatchObject({ named: { accountId: PEOPLE.cab }, acted: { accountId: PEOPLE.approver } });
  });

  it('says "Verifier field changed after verification"', () => {
    const change = aChange({ state: 'Closed', fields: { verifier: { accountId: PEOPLE.outsider } } });
    const history = approvedThen()
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 12)
      .edit('verifier', PEOPLE.verifier, PEOPLE.outsider, PEOPLE.requester, 13)
      .build();
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(20) });
    expect(pair(view, 'verifier-implementer')).toMatchObject({ verdict: 'conflict', message: expect.stringContaining('Verifier field changed after verification') });
  });

  it('names the compensating control when the low-risk relaxation applied', () => {
    const control = 'Weekly review of low-risk self-approvals by the CISO';
    const policy = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: control } });
    const change = aChange({ state: 'Implemented', risk: 'low', fields: { approver: { accountId: PEOPLE.implementer } } });
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.implementer, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
      .build();
    const view = viewOf({ change, history }, { policy, now: at(12) });
    expect(pair(view, 'approver-implementer')).toMatchObject({ verdict: 'relaxed', message: expect.stringContaining(control) });
    expect(codes(view)).toContain('SOD_RELAXATION_USED');
  });

  it('shows a user no one could name as "Unknown user", never by the raw account id', () => {
    const change = aChange({ state: 'Assessment' });
    const history = aHistory().move('Draft', 'Assessment', 'acc-stranger', 1).build();
    const view = viewOf({ change, history }, { policy: aPolicy(), users: new Map(), now: at(2) });
    expect(role(view, 'requester')?.acted).toEqual({ accountId: 'acc-stranger', displayName: 'Unknown user', active: true });
  });

  it('ignores history after now', () => {
    const change = aChange({ state: 'Approved' });
    const view = viewOf({ change, history: approvedThen().build() }, { policy: aPolicy(), now: at(1.5) });
    expect(view.timeline).toHaveLength(1);
    expect(role(view, 'approver')?.acted).toBeNull();
  });
});

describe('readiness depends on the viewer', () => {
  const assessment = () => demo('Increase Kafka retention to 14 days');
  const approve = (view: PanelView) => view.readiness.find((r) => r.edge === 'approve');

  it('the implementer sees Approve not allowed, with a reason', () => {
    const view = viewOf(assessment(), { viewerAccountId: DEMO_USERS.implementer.accountId });
    expect(view.readiness.map((r) => r.edge)).toEqual(['approve', 'sendBack', 'cancelFromAssessment']);
    expect(approve(view)).toMatchObject({ name: 'Approve', to: 'Approved', allowed: false, missing: [] });
    expect(approve(view)?.reasons.join(' ')).toMatch(/implementer may not Approve/);
  });

  it('the named approver may approve', () => {
    expect(approve(viewOf(assessment(), { viewerAccountId: DEMO_USERS.approver.accountId }))).toMatchObject({ allowed: true, missing: [], reasons: [] });
  });

  it('a CAB member (by account id) may approve; an outsider may not', () => {
    expect(approve(viewOf(assessment(), { viewerAccountId: DEMO_USERS.cab.accountId }))?.allowed).toBe(true);
    expect(approve(viewOf(assessment(), { viewerAccountId: DEMO_USERS.compliance.accountId }))?.reasons.join(' ')).toMatch(/Only the named approver or a CAB member/);
  });

  it('lists missing fields by label', () => {
    const view = viewOf(demo('Enable HSTS preload on www'), { viewerAccountId: DEMO_USERS.requester.accountId });
    const submit = view.readiness.find((r) => r.edge === 'submit');
    expect(submit).toMatchObject({ allowed: false, missing: ['Implementer'] });
    const cancel = view.readiness.find((r) => r.edge === 'cancelFromDraft');
    expect(cancel).toMatchObject({ allowed: false, missing: ['Cancellation reason'] });
  });

  it('an anonymous viewer is told a named person must act', () => {
    expect(approve(viewOf(assessment(), { viewerAccountId: null }))?.reasons.join(' ')).toMatch(/signed-in, named person/);
  });
});

describe('segregation pairs by actor', () => {
  // The implementer field names PEOPLE.implementer; the approver marks the change implemented.
  const approverImplemented = aHistory()
    .move('Draft', 'Assessment', PEOPLE.requester, 1)
    .move('Assessment', 'Approved', PEOPLE.approver, 2)
    .move('Approved', 'Scheduled', PEOPLE.requester, 3)
    .move('Scheduled', 'Implemented', PEOPLE.approver, 11)
    .build();

  it('shows a conflict when the approver implemented, though the implementer field names someone else', () => {
    const change = aChange({ state: 'Implemented' });
    const view = viewOf({ change, history: approverImplemented }, { policy: aPolicy(), now: at(20), users: directoryFromChange(change, approverImplemented) });
    expect(pair(view, 'approver-implementer')).toEqual(expect.objectContaining({ verdict: 'conflict', message: expect.stringMatching(/^Approved by the implementer/) }));
  });

  it('shows a conflict when the verifier implemented, though the implementer field names someone else', () => {
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.verifier, 11)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    const change = aChange({ state: 'Closed' });
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(40), users: directoryFromChange(change, history) });
    expect(pair(view, 'verifier-implementer')).toEqual(expect.objectContaining({ verdict: 'conflict', message: expect.stringMatching(/^Verified by the implementer/) }));
  });
});

describe('the window set on the Schedule step', () => {
  // Jira records transition-screen edits at the transition's own time: the window is empty until
  // the Schedule step, which sets it. Setting it the first time voids nothing; moving it does.
  const WINDOW_START = at(10).toISOString();
  const WINDOW_END = at(14).toISOString();
  const scheduledWithWindow = () =>
    aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .edit('windowStart', null, WINDOW_START, PEOPLE.requester, 3)
      .edit('windowEnd', null, WINDOW_END, PEOPLE.requester, 3);
  const material = (view: PanelView) => view.timeline.filter((t) => t.kind === 'material-change' || t.kind === 'edit').map((t) => [t.text, t.afterApproval]);

  it('is the window the Schedule step is judged by, and does not void the approval', () => {
    const change = aChange({ state: 'Scheduled', fields: { windowStart: at(10), windowEnd: at(14) } });
    const view = viewOf({ change, history: scheduledWithWindow().build() }, { policy: aPolicy(), now: at(12), viewerAccountId: PEOPLE.implementer });
    expect(view.findings).toEqual([]);
    expect(material(view)).toEqual([
      ['Maintenance window start changed', false],
      ['Maintenance window end changed', false],
    ]);
    expect(view.readiness.find((r) => r.edge === 'implement')).toMatchObject({ allowed: true, missing: [], reasons: [] });
  });

  it('an implementation inside it is not outside the window, though the field was moved since (which voids the approval)', () => {
    const change = aChange({ state: 'Implemented', fields: { windowStart: at(20), windowEnd: at(24) } });
    const history = scheduledWithWindow()
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11)
      .edit('windowStart', WINDOW_START, at(20).toISOString(), PEOPLE.requester, 12)
      .edit('windowEnd', WINDOW_END, at(24).toISOString(), PEOPLE.requester, 12)
      .build();
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(13) });
    expect(codes(view)).toEqual(['CHANGED_AFTER_APPROVAL', 'CHANGED_AFTER_APPROVAL']);
    expect(material(view)).toEqual([
      ['Maintenance window start changed', false],
      ['Maintenance window end changed', false],
      ['Maintenance window start changed after approval', true],
      ['Maintenance window end changed after approval', true],
    ]);
  });
});

// Mutation survivors (issue 13): the rules below, each with a directory of readable names.
const NAMES: Record<string, string> = {
  [PEOPLE.requester]: 'Rita Requester',
  [PEOPLE.implementer]: 'Ivan Implementer',
  [PEOPLE.approver]: 'Ada Approver',
  [PEOPLE.verifier]: 'Vera Verifier',
  [PEOPLE.cab]: 'Carl CAB',
  [PEOPLE.outsider]: 'Olga Outsider',
};
const DIRECTORY: UserDirectory = new Map(Object.entries(NAMES).map(([accountId, displayName]) => [accountId, { displayName, active: true }]));
const built = (change: Change, history: History, overrides: Partial<PanelViewInput> = {}): PanelView =>
  viewOf({ change, history }, { policy: aPolicy(), users: DIRECTORY, now: at(40), ...overrides });

const submitted = () => aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1);
const approved = () => submitted().move('Assessment', 'Approved', PEOPLE.approver, 2);
const implemented = () => approved().move('Approved', 'Scheduled', PEOPLE.requester, 3).move('Scheduled', 'Implemented', PEOPLE.implementer, 11);
const closed = () => implemented().move('Implemented', 'Closed', PEOPLE.verifier, 30);

describe('the step behind each role: first submission, last approval, last implementation, last close', () => {
  type Acted = Record<'requester' | 'approver' | 'implementer' | 'verifier', string | null>;
  const acted = (view: PanelView): Acted => Object.fromEntries(view.roles.map((r) => [r.role, r.acted?.accountId ?? null])) as Acted;

  it.each<[string, Change, History, Acted]>([
    [
      'sent back and resubmitted by someone else: the first submission',
      aChange({ state: 'Approved' }),
      submitted().move('Assessment', 'Draft', PEOPLE.approver, 1.5).move('Draft', 'Assessment', PEOPLE.outsider, 1.7).move('Assessment', 'Approved', PEOPLE.approver, 2).build(),
      { requester: PEOPLE.requester, approver: PEOPLE.approver, implementer: null, verifier: null },
    ],
    [
      'a standard change: the standard schedule is its submission',
      aChange({ state: 'Closed', type: 'standard', risk: 'low' }),
      aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1).move('Scheduled', 'Implemented', PEOPLE.implementer, 11).move('Implemented', 'Closed', PEOPLE.verifier, 30).build(),
      { requester: PEOPLE.requester, approver: null, implementer: PEOPLE.implementer, verifier: PEOPLE.verifier },
    ],
    [
      'an emergency: no submission, the post-hoc approval is the approval, not yet closed',
      aChange({ state: 'Implemented', type: 'emergency' }),
      aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 11).move('Implemented', 'Implemented', PEOPLE.approver, 20).build(),
      { requester: null, approver: PEOPLE.approver, implementer: PEOPLE.implementer, verifier: null },
    ],
    [
      're-approved after a re-assess: the last approval',
      aChange({ state: 'Approved' }),
      submitted().move('Assessment', 'Approved', PEOPLE.cab, 2).move('Approved', 'Assessment', PEOPLE.requester, 3).move('Assessment', 'Approved', PEOPLE.approver, 4).build(),
      { requester: PEOPLE.requester, approver: PEOPLE.approver, implementer: null, verifier: null },
    ],
    [
      'implemented twice: the last implementation',
      aChange({ state: 'Implemented' }),
      approved()
        .move('Approved', 'Scheduled', PEOPLE.requester, 3)
        .move('Scheduled', 'Implemented', PEOPLE.outsider, 11)
        .move('Implemented', 'Scheduled', PEOPLE.requester, 12)
        .move('Scheduled', 'Implemented', PEOPLE.implementer, 13)
        .build(),
      { requester: PEOPLE.requester, approver: PEOPLE.approver, implementer: PEOPLE.implementer, verifier: null },
    ],
  ])('%s', (_, change, history, expected) => {
    expect(acted(built(change, history))).toEqual(expected);
  });

  it('says when each role acted', () => {
    const view = built(aChange({ state: 'Closed' }), closed().build());
    expect(view.roles.map((r) => [r.role, r.actedAt])).toEqual([
      ['requester', at(1).toISOString()],
      ['implementer', at(11).toISOString()],
      ['approver', at(2).toISOString()],
      ['verifier', at(30).toISOString()],
    ]);
  });
});

describe('"field changed after step": strictly after the step, and only a real change', () => {
  const approverPairAfter = (edit: (h: HistoryBuilder) => HistoryBuilder) =>
    pair(built(aChange({ state: 'Approved' }), edit(approved()).build()), 'approver-implementer');

  it.each<[string, (h: HistoryBuilder) => HistoryBuilder]>([
    ['the approver field edited before the approval', (h) => h.edit('approver', PEOPLE.cab, PEOPLE.approver, PEOPLE.requester, 1.5)],
    ['the approver field set at the approval itself (its transition screen)', (h) => h.edit('approver', PEOPLE.cab, PEOPLE.approver, PEOPLE.approver, 2)],
    ['the approver field saved again unchanged after the approval', (h) => h.edit('approver', PEOPLE.approver, ` ${PEOPLE.approver} `, PEOPLE.requester, 3)],
    ['another field edited after the approval', (h) => h.edit('justification', 'old reason', 'new reason', PEOPLE.requester, 3)],
  ])('no note for %s: the approval stands', (_, edit) => {
    expect(approverPairAfter(edit)).toEqual({ pair: 'approver-implementer', verdict: 'ok', message: expect.not.stringContaining('changed after') });
  });

  it('the approver field changed after the approval: a conflict naming who approved, with the note', () => {
    const result = approverPairAfter((h) => h.edit('approver', PEOPLE.approver, PEOPLE.cab, PEOPLE.requester, 3));
    expect(result?.verdict).toBe('conflict');
    expect(result?.message).toContain('Approved by Ada Approver');
    expect(result?.message).toContain('Approver field changed after approval');
  });

  it.each<[string, FieldKey, string]>([
    ['the verifier field', 'verifier', 'Verifier field changed after verification'],
    ['the implementer field', 'implementer', 'Implementer field changed after implementation'],
  ])('%s changed after the close: a conflict on the verifier pair naming who verified', (_, field, note) => {
    const history = closed().edit(field, PEOPLE[field as 'verifier' | 'implementer'], PEOPLE.outsider, PEOPLE.requester, 31).build();
    const result = pair(built(aChange({ state: 'Closed' }), history), 'verifier-implementer');
    expect(result?.verdict).toBe('conflict');
    expect(result?.message).toContain('Verified by Vera Verifier');
    expect(result?.message).toContain(note);
  });
});

describe('pending pairs warn when the named approver or verifier is also the implementer', () => {
  const RELAXED = { enabled: true as const, compensatingControl: 'Weekly review of low-risk self-approvals by the CISO' };
  const assessed = (approver: string, risk: Risk, relaxation: boolean): PanelView =>
    built(aChange({ state: 'Assessment', risk, fields: { approver: { accountId: approver } } }), submitted().build(), {
      policy: aPolicy(relaxation ? { lowRiskRelaxation: RELAXED } : {}),
    });

  it('nothing more to say when someone else is named: "Not approved yet"', () => {
    expect(pair(assessed(PEOPLE.approver, 'medium', false), 'approver-implementer')).toEqual({ pair: 'approver-implementer', verdict: 'pending', message: 'Not approved yet' });
  });

  // A conflict in the making is a warning before approval (issue 18); where the relaxation would allow it, it stays pending.
  it.each<[string, Risk, boolean, string, string, string]>([
    ['without the relaxation', 'low', false, 'someone else must approve', 'relaxation would apply', 'warning'],
    ['with the relaxation, on a medium-risk change', 'medium', true, 'someone else must approve', 'relaxation would apply', 'warning'],
    ['with the relaxation, on a low-risk change', 'low', true, 'the low-risk relaxation would apply', 'someone else must approve', 'pending'],
  ])('the named approver is the implementer, %s', (_, risk, relaxation, says, doesNotSay, verdict) => {
    const result = pair(assessed(PEOPLE.implementer, risk, relaxation), 'approver-implementer');
    expect(result?.verdict).toBe(verdict);
    expect(result?.message).toMatch(/^Not approved yet\. The named approver is also the implementer/);
    expect(result?.message).toContain(says);
    expect(result?.message).not.toContain(doesNotSay);
  });

  const awaitingClose = (verifier: string, implementedBy: string): PanelView =>
    built(
      aChange({ state: 'Implemented', fields: { verifier: { accountId: verifier } } }),
      approved().move('Approved', 'Scheduled', PEOPLE.requester, 3).move('Scheduled', 'Implemented', implementedBy, 11).build(),
    );

  it('nothing more to say when someone else is named: "Not verified yet"', () => {
    expect(pair(awaitingClose(PEOPLE.verifier, PEOPLE.implementer), 'verifier-implementer')).toEqual({ pair: 'verifier-implementer', verdict: 'pending', message: 'Not verified yet' });
  });

  it.each<[string, string, string]>([
    ['the named implementer', PEOPLE.implementer, PEOPLE.implementer],
    ['whoever marked it implemented', PEOPLE.outsider, PEOPLE.outsider],
  ])('the named verifier is %s', (_, verifier, implementedBy) => {
    const result = pair(awaitingClose(verifier, implementedBy), 'verifier-implementer');
    expect(result?.verdict).toBe('warning');
    expect(result?.message).toMatch(/^Not verified yet\. The named verifier is also the implementer/);
    expect(result?.message).toContain('someone else must verify');
  });
});

describe('approver and verifier verdicts', () => {
  it('a standard change is pre-approved by its template', () => {
    const change = aChange({ state: 'Scheduled', type: 'standard', risk: 'low' });
    const result = pair(built(change, aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1).build()), 'approver-implementer');
    expect(result?.verdict).toBe('ok');
    expect(result?.message).toContain('pre-approved by its template');
  });

  it('the relaxation does not cover a medium-risk change approved by the implementer', () => {
    const policy = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: 'Weekly review of low-risk self-approvals by the CISO' } });
    const history = submitted().move('Assessment', 'Approved', PEOPLE.implementer, 2).build();
    expect(pair(built(aChange({ state: 'Approved', risk: 'medium' }), history, { policy }), 'approver-implementer')).toMatchObject({
      verdict: 'conflict',
      message: 'Approved by the implementer',
    });
  });

  it('an approval by someone no longer active is marked inactive', () => {
    const users = new Map([...DIRECTORY, [PEOPLE.approver, { displayName: 'Ada Approver', active: false }]]);
    const result = pair(built(aChange({ state: 'Approved' }), approved().build(), { users }), 'approver-implementer');
    expect(result?.verdict).toBe('ok');
    expect(result?.message).toContain('Ada Approver (inactive)');
  });

  it.each<[string, 'approver-implementer' | 'verifier-implementer', Change, History]>([
    ['an approval', 'approver-implementer', aChange({ state: 'Approved' }), submitted().move('Assessment', 'Approved', null, 2).build()],
    ['a close', 'verifier-implementer', aChange({ state: 'Closed' }), implemented().move('Implemented', 'Closed', null, 30).build()],
  ])('%s by an unidentified actor is a conflict', (_, name, change, history) => {
    const result = pair(built(change, history), name);
    expect(result?.verdict).toBe('conflict');
    expect(result?.message).toContain('an unidentified actor');
  });
});

describe('readiness: missing fields apart from other reasons', () => {
  it('a CAB member by group only may approve when the viewer’s groups are known', () => {
    const change = aChange({ state: 'Assessment' });
    const approve = (groups?: string[]) =>
      built(change, submitted().build(), { viewerAccountId: PEOPLE.outsider, viewerGroups: groups }).readiness.find((r) => r.edge === 'approve');
    expect(approve([CAB_GROUP])).toMatchObject({ allowed: true, reasons: [] });
    expect(approve()?.allowed).toBe(false);
  });

  it.each<[string, Change, History, EdgeId, string]>([
    ['a missing CAB reference', aChange({ state: 'Assessment', fields: { cabReference: null } }), submitted().build(), 'approve', 'CAB reference'],
    [
      'a material edit since approval',
      aChange({ state: 'Scheduled' }),
      approved().move('Approved', 'Scheduled', PEOPLE.requester, 3).edit('rollbackPlan', 'Redeploy', 'Redeploy the old bundle', PEOPLE.requester, 4).build(),
      'implement',
      'Rollback plan changed after approval',
    ],
  ])('%s is a reason, not a missing field', (_, change, history, edge, reason) => {
    const viewerAccountId = edge === 'implement' ? PEOPLE.implementer : PEOPLE.approver;
    const readiness = built(change, history, { viewerAccountId, now: at(12) }).readiness.find((r) => r.edge === edge);
    expect(readiness?.allowed).toBe(false);
    expect(readiness?.missing).toEqual([]);
    expect(readiness?.reasons.join(' ')).toContain(reason);
  });
});

describe('timeline texts', () => {
  const texts = (view: PanelView) => view.timeline.map((t) => t.text);

  it.each<[string, State, State, string]>([
    ['a lifecycle step by its name', 'Assessment', 'Draft', 'Send back: Assessment → Draft'],
    ['another lifecycle step from the same state', 'Assessment', 'Approved', 'Approve: Assessment → Approved'],
  ])('%s', (_, from, to, text) => {
    const view = built(aChange({ state: to }), submitted().move(from, to, PEOPLE.approver, 2).build());
    expect(texts(view)[1]).toBe(text);
  });

  it('a move outside the lifecycle says so', () => {
    const view = built(aChange({ state: 'Approved' }), aHistory().move('Draft', 'Approved', PEOPLE.outsider, 1).build());
    expect(view.timeline).toEqual([expect.objectContaining({ kind: 'transition', actor: expect.objectContaining({ displayName: 'Olga Outsider' }) })]);
    expect(texts(view)[0]).toContain('Draft');
    expect(texts(view)[0]).toContain('Approved');
    expect(texts(view)[0]).toContain('not a lifecycle step');
  });
});

describe('material changes on the timeline', () => {
  const material = (view: PanelView) => view.timeline.filter((t) => t.kind === 'material-change' || t.kind === 'edit').map((t) => [t.text, t.afterApproval]);

  it('an edit before approval, or on the approval screen itself, is an "edit", never a material change after approval (issue 18)', () => {
    const history = submitted().edit('testPlan', 'Staging', 'Staging and canary', PEOPLE.requester, 1.5).move('Assessment', 'Approved', PEOPLE.approver, 2).edit('rollbackPlan', 'Redeploy', 'Redeploy the old bundle', PEOPLE.approver, 2).build();
    const view = built(aChange({ state: 'Approved' }), history);
    expect(view.timeline.filter((t) => t.kind === 'material-change')).toEqual([]);
    expect(view.timeline.filter((t) => t.kind === 'edit').map((t) => t.text)).toEqual(['Test plan changed', 'Rollback plan changed']);
    expect(view.findings.map((f) => f.code)).not.toContain('CHANGED_AFTER_APPROVAL');
  });

  it('lists real edits of material fields, "after approval" only strictly after it', () => {
    const history = submitted()
      .edit('testPlan', 'Staging', 'Staging and canary', PEOPLE.requester, 1.5)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .edit('rollbackPlan', 'Redeploy', 'Redeploy the old bundle', PEOPLE.approver, 2)
      .edit('justification', 'Expiry', 'Expiry in 10 days', PEOPLE.requester, 3)
      .edit('testPlan', 'Staging and canary', ' Staging and canary ', PEOPLE.requester, 3)
      .edit('risk', 'medium', 'high', PEOPLE.requester, 4)
      .build();
    expect(material(built(aChange({ state: 'Approved', risk: 'high' }), history))).toEqual([
      ['Test plan changed', false],
      ['Rollback plan changed', false],
      ['Risk rating changed after approval', true],
    ]);
  });

  it('counts the fields the policy adds as material', () => {
    const history = approved().edit('cabReference', 'CAB-1', 'CAB-2', PEOPLE.requester, 3).build();
    const view = built(aChange({ state: 'Approved' }), history, { policy: aPolicy({ additionalMaterialFields: ['cabReference'] }) });
    expect(material(view)).toEqual([['CAB reference changed after approval', true]]);
  });

  it('an emergency’s edits are measured against its post-hoc approval', () => {
    const history = aHistory()
      .move('Draft', 'Implemented', PEOPLE.implementer, 11)
      .edit('rollbackPlan', 'Restart', 'Restart and restore', PEOPLE.implementer, 15)
      .move('Implemented', 'Implemented', PEOPLE.approver, 20)
      .edit('rollbackPlan', 'Restart and restore', 'Restore from backup', PEOPLE.implementer, 25)
      .move('Implemented', 'Closed', PEOPLE.verifier, 30)
      .build();
    expect(material(built(aChange({ state: 'Closed', type: 'emergency' }), history))).toEqual([
      ['Rollback plan changed', false],
      ['Rollback plan changed after approval', true],
    ]);
  });
});

describe('the history is cut at now', () => {
  it('keeps what happened exactly at now', () => {
    const view = built(aChange({ state: 'Approved' }), approved().build(), { now: at(2) });
    expect(view.timeline.map((t) => t.at)).toEqual([at(1).toISOString(), at(2).toISOString()]);
    expect(role(view, 'approver')?.acted?.accountId).toBe(PEOPLE.approver);
  });
});

describe('the approver-verifier pair (three people, issue 15)', () => {
  const until = (closer: string | null, approvedBy: string = PEOPLE.approver) => {
    const h = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', approvedBy, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .move('Scheduled', 'Implemented', PEOPLE.implementer, 11);
    return (closer ? h.move('Implemented', 'Closed', closer, 30) : h).build();
  };
  const view = (change: Change, history: History, policy: Policy = aPolicy()) =>
    viewOf({ change, history }, { policy, now: at(40), users: directoryFromChange(change, history) });

  it.each([
    { row: 'verified by the approver named in the field', approvedBy: PEOPLE.cab, closer: PEOPLE.approver, verdict: 'conflict', message: /^Verified by an approver/ },
    { row: 'verified by the one who approved, with someone else named', approvedBy: PEOPLE.verifier, closer: PEOPLE.verifier, verdict: 'conflict', message: /^Verified by an approver/ },
    { row: 'verified by a third person', approvedBy: PEOPLE.approver, closer: PEOPLE.verifier, verdict: 'ok', message: /^Verified by .*, not an approver$/ },
  ])('$row: $verdict', ({ approvedBy, closer, verdict, message }) => {
    const change = aChange({ state: 'Closed', fields: { verifier: { accountId: closer } } });
    expect(pair(view(change, until(closer, approvedBy)), 'approver-verifier')).toEqual({ pair: 'approver-verifier', verdict, message: expect.stringMatching(message) });
  });

  it('counts a post-hoc approval as an approval', () => {
    const history = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 11).move('Implemented', 'Implemented', PEOPLE.verifier, 12).move('Implemented', 'Closed', PEOPLE.verifier, 30).build();
    const change = aChange({ state: 'Closed', type: 'emergency' });
    expect(pair(view(change, history), 'approver-verifier')).toMatchObject({ verdict: 'conflict' });
    expect(codes(view(change, history))).toContain('APPROVER_IS_VERIFIER');
  });

  it('warns before Close when the named verifier is also an approver', () => {
    const change = aChange({ state: 'Implemented', fields: { verifier: { accountId: PEOPLE.approver } } });
    expect(pair(view(change, until(null)), 'approver-verifier')).toEqual({
      pair: 'approver-verifier',
      verdict: 'warning',
      message: 'Not verified yet. The named verifier is also an approver: a third person must verify',
    });
    expect(pair(view(aChange({ state: 'Implemented' }), until(null)), 'approver-verifier')).toEqual({ pair: 'approver-verifier', verdict: 'pending', message: 'Not verified yet' });
  });

  it('is relaxed, naming the control, for a low-risk change under the relaxation', () => {
    const control = 'Weekly review of low-risk verifications by the CISO';
    const policy = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: control } });
    const change = aChange({ state: 'Closed', risk: 'low', fields: { verifier: { accountId: PEOPLE.approver } } });
    const v = view(change, until(PEOPLE.approver), policy);
    expect(pair(v, 'approver-verifier')).toMatchObject({ verdict: 'relaxed', message: expect.stringContaining(control) });
    expect(codes(v)).toContain('SOD_RELAXATION_USED');
    expect(codes(v)).not.toContain('APPROVER_IS_VERIFIER');
  });

  it('an unidentified verifier is a conflict', () => {
    const change = aChange({ state: 'Closed' });
    expect(pair(view(change, until(null).concat(aHistory().move('Implemented', 'Closed', null, 30).build())), 'approver-verifier')).toMatchObject({
      verdict: 'conflict',
      message: 'Verified by an unidentified actor',
    });
  });
});

describe('a standard change edited after its pre-approval (issue 15)', () => {
  it('marks the material edits "after approval" and refuses Mark implemented, with the reasons', () => {
    const change = aChange({ state: 'Scheduled', type: 'standard', risk: 'high' });
    const history = aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1).edit('risk', 'low', 'high', PEOPLE.implementer, 2).edit('summary', 'a', 'b', PEOPLE.implementer, 3).build();
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(12), viewerAccountId: PEOPLE.implementer, users: directoryFromChange(change, history) });
    const edits = view.timeline.filter((t) => t.kind === 'material-change');
    expect(edits.map((t) => [t.text, t.afterApproval])).toEqual([['Risk rating changed after approval', true]]);
    const implement = view.readiness.find((r) => r.edge === 'implement');
    expect(implement).toMatchObject({ allowed: false });
    expect(JSON.stringify(implement)).toMatch(/STANDARD_RISK_TOO_HIGH|above what the standard template pre-approves/);
  });
});

describe('who named each role (issue 15)', () => {
  it('shows the author of the last edit, else the creator; and a self-nomination as such', () => {
    const change = { ...aChange({ state: 'Assessment', fields: { approver: { accountId: PEOPLE.requester } } }), creatorAccountId: PEOPLE.outsider };
    const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).edit('approver', PEOPLE.approver, PEOPLE.requester, PEOPLE.requester, 2).build();
    const view = viewOf({ change, history }, { policy: aPolicy(), now: at(5), users: directoryFromChange(change, history), viewerAccountId: PEOPLE.requester });
    expect(role(view, 'approver')).toMatchObject({ named: { accountId: PEOPLE.requester }, namedBy: { accountId: PEOPLE.requester } });
    expect(role(view, 'verifier')).toMatchObject({ named: { accountId: PEOPLE.verifier }, namedBy: { accountId: PEOPLE.outsider } });
    const approve = view.readiness.find((r) => r.edge === 'approve');
    expect(JSON.stringify(approve)).toMatch(/You named yourself approver/);
  });

  it('names nobody for an empty field', () => {
    const change = { ...aChange({ state: 'Assessment', fields: { verifier: null } }), creatorAccountId: PEOPLE.outsider };
    const view = viewOf({ change, history: [] }, { policy: aPolicy(), now: at(5) });
    expect(role(view, 'verifier')).toMatchObject({ named: null, namedBy: null });
  });
});

describe('roles named by a site\'s own group or multi-user picker (issue 16)', () => {
  const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).build();

  it('lists everyone a multi-user approver names, and flags the implementer among them', () => {
    const change = aChange({ state: 'Assessment', fields: { approver: { anyOf: [{ accountId: PEOPLE.approver, displayName: 'Ada' }, { accountId: PEOPLE.implementer }] } } });
    const view = viewOf({ change, history }, { policy: aPolicy() });
    expect(role(view, 'approver')).toMatchObject({ named: { accountId: PEOPLE.approver }, namedAnyOf: [{ accountId: PEOPLE.approver, displayName: 'Ada' }, { accountId: PEOPLE.implementer }], namedGroup: null });
    expect(pair(view, 'approver-implementer')?.message).toMatch(/The named approver is also the implementer/);
  });

  it('names the group a group-picker approver names, with nobody as the one named person', () => {
    const change = aChange({ state: 'Assessment', fields: { approver: { group: 'change-approvers' } } });
    const view = viewOf({ change, history }, { policy: aPolicy() });
    expect(role(view, 'approver')).toMatchObject({ named: null, namedAnyOf: [], namedGroup: 'change-approvers' });
    expect(pair(view, 'approver-implementer')).toMatchObject({ verdict: 'pending', message: 'Not approved yet' });
  });
});

describe('readiness agrees with the buttons (issue 18)', () => {
  const readiness = (view: PanelView, edge: string) => view.readiness.find((r) => r.edge === edge);

  it('"not-you" when only who the viewer is stands in the way; "can" for the one who may', () => {
    const change = aChange({ state: 'Assessment' });
    const history = submitted().build();
    expect(readiness(built(change, history, { viewerAccountId: PEOPLE.implementer }), 'approve')?.status).toBe('not-you');
    expect(readiness(built(change, history, { viewerAccountId: PEOPLE.approver }), 'approve')?.status).toBe('can');
  });

  it('"needs" with the missing fields, for anyone, when a field is empty', () => {
    const step = readiness(built(aChange({ state: 'Assessment', fields: { testPlan: null } }), submitted().build(), { viewerAccountId: PEOPLE.approver }), 'approve');
    expect(step).toMatchObject({ status: 'needs', missing: ['Test plan'] });
  });

  it('"blocked" when the ticket itself refuses (outside the window), whoever asks', () => {
    const change = aChange({ state: 'Scheduled' });
    const history = approved().move('Approved', 'Scheduled', PEOPLE.requester, 3).build();
    expect(readiness(built(change, history, { viewerAccountId: PEOPLE.implementer, now: at(30) }), 'implement')?.status).toBe('blocked');
  });

  it('"done" for a post-hoc approval already recorded, not "you can do this now"', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency' });
    const history = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1).move('Implemented', 'Implemented', PEOPLE.approver, 2).build();
    expect(readiness(built(change, history, { viewerAccountId: PEOPLE.approver, now: at(3) }), 'postHocApprove')?.status).toBe('done');
    const pending = aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 1).build();
    expect(readiness(built(change, pending, { viewerAccountId: PEOPLE.approver, now: at(3) }), 'postHocApprove')?.status).toBe('can');
  });
});

describe('deployments', () => {
  it('lists the gate calls newest first, naming a deployer only when the directory knows the account', () => {
    const source = demo('Rotate TLS certificates on the edge proxies');
    const records = [
      sealGateRecord(aGateRecordInput({ at: '2026-11-19T10:00:00.000Z', deployerAccountId: DEMO_USERS.implementer.accountId, deployer: 'ivan' })),
      sealGateRecord(aGateRecordInput({ at: '2026-11-19T11:00:00.000Z', callId: 'b'.repeat(32), deployerAccountId: 'acc-unknown', deployer: 'bot', decision: 'deny', path: 'refused', reasons: [{ code: 'NOT_APPROVED', message: 'No.' }] })),
    ];
    const view = viewOf(source, { deployments: { records, altered: ['cc81:deploy:10001:x:y'] } });
    expect(view.deployments.map((d) => [d.at, d.deployer, d.deployerPerson?.displayName ?? null, d.decision, d.reasons.map((r) => r.code)])).toEqual([
      ['2026-11-19T11:00:00.000Z', 'bot', null, 'deny', ['NOT_APPROVED']],
      ['2026-11-19T10:00:00.000Z', 'ivan', DEMO_USERS.implementer.displayName, 'allow', []],
    ]);
    expect(view.deploymentsAltered).toBe(1);
  });
});
