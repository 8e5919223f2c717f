import { aRecurringReading, anUnreadableWindow } from '../builders/recurring-window.builder';
import {
  CHANGE_TYPES,
  ChangeType,
  EDGES,
  EdgeId,
  EvidenceRecord,
  FIELD_DEFS,
  FieldKey,
  RISKS,
  Risk,
  evaluateHistoryGate,
  evaluateTransition,
} from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE, PERSON_ROLES, PersonRole, anActor } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { EDGE_FROM, REQUIRED_BY_EDGE } from '../support/lifecycle-expectations';

const NOW = at(12); // inside the builder's window (hours 10..14)
const policy = aPolicy();

// Independent statement of who may take each edge, on which change types and risks.
const ANYONE = PERSON_ROLES;
const WHO: Record<EdgeId, readonly PersonRole[]> = {
  submit: ANYONE,
  approve: ['approver', 'cab'],
  schedule: ANYONE,
  implement: ['implementer'],
  close: ['verifier'],
  standardSchedule: ANYONE,
  emergencyImplementFromDraft: ['implementer'],
  emergencyImplementFromAssessment: ['implementer'],
  postHocApprove: ['approver', 'cab'],
  sendBack: ANYONE,
  reassess: ANYONE,
  reschedule: ANYONE,
  cancelFromDraft: ANYONE,
  cancelFromAssessment: ANYONE,
  cancelFromApproved: ANYONE,
  cancelFromScheduled: ANYONE,
};
const ONLY_TYPES: Partial<Record<EdgeId, ChangeType[]>> = {
  standardSchedule: ['standard'],
  emergencyImplementFromDraft: ['emergency'],
  emergencyImplementFromAssessment: ['emergency'],
  postHocApprove: ['emergency'],
};
const ONLY_RISKS: Partial<Record<EdgeId, Risk[]>> = { standardSchedule: ['low'] };

const expectedCodes = (edge: EdgeId, type: ChangeType, risk: Risk, role: PersonRole): string[] => {
  const codes: string[] = [];
  if (ONLY_TYPES[edge] && !ONLY_TYPES[edge]!.includes(type)) codes.push('EDGE_NOT_FOR_CHANGE_TYPE');
  if (ONLY_RISKS[edge] && !ONLY_RISKS[edge]!.includes(risk)) codes.push('STANDARD_RISK_TOO_HIGH');
  if (!WHO[edge].includes(role)) {
    if (edge === 'approve' || edge === 'postHocApprove') codes.push('APPROVAL_ACTOR_MISMATCH');
    if (edge === 'close') codes.push('VERIFICATION_ACTOR_MISMATCH');
    if (edge === 'implement' || edge.startsWith('emergencyImplement')) codes.push('IMPLEMENTATION_ACTOR_MISMATCH');
  }
  if (role === 'implementer' && (edge === 'approve' || edge === 'postHocApprove')) codes.push('APPROVER_IS_IMPLEMENTER');
  if (role === 'implementer' && edge === 'close') codes.push('VERIFIER_IS_IMPLEMENTER');
  // Three people (issue 15): the named approver may not verify.
  if (role === 'approver' && edge === 'close') codes.push('APPROVER_IS_VERIFIER');
  return codes.sort();
};

// An emergency change that was implemented by the implementer and approved post hoc.
const emergencyEvidence: EvidenceRecord[] = [
  { from: 'Draft', to: 'Implemented', accountId: PEOPLE.implementer, at: at(11) },
  { from: 'Implemented', to: 'Implemented', accountId: PEOPLE.approver, at: at(11.5) },
];

const matrix = CHANGE_TYPES.flatMap((type) =>
  RISKS.flatMap((risk) =>
    EDGES.flatMap((edge) =>
      PERSON_ROLES.map((role) => ({ type, risk, edge: edge.id, from: edge.from, role, expected: expectedCodes(edge.id, type, risk, role) })),
    ),
  ),
);

describe('evaluateTransition: change type × risk × edge × actor role', () => {
  it.each(matrix)('$type/$risk $edge by $role → $expected', ({ type, risk, edge, from, role, expected }) => {
    const change = aChange({
      state: from,
      type,
      risk,
      fields: {
        cancellationReason: edge.startsWith('cancel') ? 'Superseded by CHG-9' : null,
        standardTemplate: 'STD-007',
        emergencyJustification: 'INC-991',
      },
      evidence: edge === 'close' && type === 'emergency' ? emergencyEvidence : [],
    });
    const verdict = evaluateTransition(change, edge, anActor(role), policy, NOW);
    expect(verdict.reasons.map((r) => r.code).sort()).toEqual(expected);
    expect(verdict.allowed).toBe(expected.length === 0);
  });
});

describe('evaluateTransition: required fields', () => {
  // Per edge and path, from the independent table in test/support (DESIGN.md, README), not from EDGES.
  const PATHS = ['standard', 'normal', 'emergency'] as const;
  const WINDOW_KEYS: FieldKey[] = ['windowStart', 'windowEnd'];
  const requiredCases = (Object.keys(REQUIRED_BY_EDGE) as EdgeId[]).flatMap((edge) =>
    PATHS.flatMap((type) => {
      const req = REQUIRED_BY_EDGE[edge][type];
      return req ? [{ edge, type, from: EDGE_FROM[edge], expected: [...req.fields, ...(req.window ? WINDOW_KEYS : [])] }] : [];
    }),
  );
  const requiredByEdge = requiredCases.flatMap(({ edge, type, from, expected }) => expected.map((field) => ({ edge, type, from, field })));

  it('the table covers exactly the lifecycle edges', () => {
    expect(Object.keys(REQUIRED_BY_EDGE).sort()).toEqual(EDGES.map((e) => e.id).sort());
  });

  const emptiesFor = (field: FieldKey): unknown[] => {
    const kind = FIELD_DEFS[field].kind;
    if (kind === 'list') return [null, [], ['  ']];
    if (kind === 'text') return [null, undefined, '', '   '];
    return [null, undefined];
  };

  it.each(requiredByEdge)('$edge ($type) is blocked while $field is empty, with a message naming it', ({ edge, from, field, type }) => {
    for (const empty of emptiesFor(field)) {
      const change = aChange({ state: from, type, risk: 'low', fields: { cancellationReason: 'x', [field]: empty } });
      const verdict = evaluateTransition(change, edge, anActor(WHO[edge][0]!), policy, NOW);
      expect(verdict.allowed).toBe(false);
      expect(verdict.reasons).toContainEqual(expect.objectContaining({ code: 'MISSING_FIELD', field, message: expect.stringContaining(FIELD_DEFS[field].label) }));
    }
  });

  const ALL_EMPTY = Object.fromEntries(Object.keys(FIELD_DEFS).map((f) => [f, null]));
  it.each(requiredCases)('$edge ($type) with every field empty reports exactly the required ones missing', ({ edge, type, from, expected }) => {
    const change = aChange({ state: from, type, fields: { ...ALL_EMPTY, changeType: type } });
    const verdict = evaluateTransition(change, edge, anActor(WHO[edge][0]!), policy, NOW);
    const missing = verdict.reasons.filter((r) => r.code === 'MISSING_FIELD').map((r) => r.field);
    expect(missing.sort()).toEqual(expected.filter((f) => f !== 'changeType').sort());
  });

  it.each(requiredCases.filter((c) => c.expected.includes('windowStart')))('$edge ($type) takes a recurring window in place of start and end', ({ edge, type, from }) => {
    const text = 'DTSTART:20260105T020000Z RRULE:FREQ=WEEKLY DURATION:PT2H';
    const change = { ...aChange({ state: from, type, risk: 'low', fields: { windowStart: null, windowEnd: null, recurringWindow: text } }), recurringWindows: [aRecurringReading(text, [], [NOW])] };
    expect(evaluateTransition(change, edge, anActor(WHO[edge][0]!), policy, NOW).reasons).toEqual([]);
    // Not read (or not readable): the history gate refuses it, saying how to write one.
    for (const recurringWindows of [[], [anUnreadableWindow(text)]]) {
      expect(evaluateTransition({ ...change, recurringWindows }, edge, anActor(WHO[edge][0]!), policy, NOW).reasons).toEqual([
        expect.objectContaining({ code: 'WINDOW_INVALID', field: 'recurringWindow', message: expect.stringMatching(/RFC 5545 .*DTSTART;TZID=Europe\/Berlin/) }),
      ]);
    }
  });

  it('reports every missing field at once, never just the first', () => {
    const change = aChange({ state: 'Draft', fields: { summary: null, justification: '', risk: null, targetSystems: [], implementer: null } });
    const verdict = evaluateTransition(change, 'submit', anActor('requester'), policy, NOW);
    expect(verdict.reasons.map((r) => r.field).sort()).toEqual(['implementer', 'justification', 'risk', 'summary', 'targetSystems']);
    expect(verdict.reasons[0]!.message).toMatch(/Fill in Summary/);
  });

  it('adds the required fields policy adds, never fewer', () => {
    const strict = aPolicy({ additionalRequiredFields: { schedule: ['testPlan'] } });
    const change = aChange({ state: 'Approved', fields: { testPlan: null } });
    expect(evaluateTransition(change, 'schedule', anActor('requester'), policy, NOW).allowed).toBe(true);
    const verdict = evaluateTransition(change, 'schedule', anActor('requester'), strict, NOW);
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', field: 'testPlan' })]);
  });

  it('requires the change type before a type-specific shortcut', () => {
    const change = aChange({ state: 'Draft', fields: { changeType: null } });
    const verdict = evaluateTransition(change, 'emergencyImplementFromDraft', anActor('implementer'), policy, NOW);
    expect(verdict.reasons).toContainEqual(expect.objectContaining({ code: 'MISSING_FIELD', field: 'changeType' }));
  });
});

describe('evaluateTransition: approval rules', () => {
  it.each([
    ['low', false],
    ['medium', true],
    ['high', true],
  ] as const)('a %s-risk approval without a CAB reference is blocked: %s', (risk, blocked) => {
    const change = aChange({ state: 'Assessment', risk, fields: { cabReference: ' ' } });
    const verdict = evaluateTransition(change, 'approve', anActor('approver'), policy, NOW);
    expect(verdict.reasons.some((r) => r.code === 'CAB_MISSING')).toBe(blocked);
  });

  it('follows policy on which risks need a CAB', () => {
    const change = aChange({ state: 'Assessment', risk: 'medium', fields: { cabReference: null } });
    const highOnly = aPolicy({ cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: [] } });
    expect(evaluateTransition(change, 'approve', anActor('approver'), highOnly, NOW).allowed).toBe(true);
  });

  it('lets a CAB member listed by account id approve, not only by group', () => {
    const byId = aPolicy({ cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: [PEOPLE.outsider] } });
    const change = aChange({ state: 'Assessment' });
    expect(evaluateTransition(change, 'approve', anActor('outsider'), byId, NOW).allowed).toBe(true);
  });

  it('blocks the implementer approving, even when also named approver, and says who may', () => {
    const change = aChange({ state: 'Assessment', fields: { approver: { accountId: PEOPLE.implementer } } });
    const verdict = evaluateTransition(change, 'approve', anActor('implementer'), policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['APPROVER_IS_IMPLEMENTER']);
    expect(verdict.reasons[0]!.message).toBe('The implementer may not Approve: someone else must approve this change.'); // the compiled validator's words too
  });

  describe('low-risk relaxation', () => {
    const relaxed = aPolicy({ lowRiskRelaxation: { enabled: true, compensatingControl: 'Weekly CISO review of self-approved low-risk changes' } });
    const selfApproved = (risk: Risk) => aChange({ state: 'Assessment', risk, fields: { approver: { accountId: PEOPLE.implementer } } });

    it('allows a low-risk self-approval and records the compensating control', () => {
      const verdict = evaluateTransition(selfApproved('low'), 'approve', anActor('implementer'), relaxed, NOW);
      expect(verdict.allowed).toBe(true);
      expect(verdict.notices).toEqual([expect.objectContaining({ code: 'SOD_RELAXATION_USED', message: expect.stringContaining('Weekly CISO review') })]);
    });

    it.each(['medium', 'high'] as const)('never relaxes a %s-risk approval', (risk) => {
      expect(evaluateTransition(selfApproved(risk), 'approve', anActor('implementer'), relaxed, NOW).allowed).toBe(false);
    });

    it.each([
      ['low', true, []],
      ['medium', false, ['APPROVER_IS_IMPLEMENTER']],
      ['high', false, ['APPROVER_IS_IMPLEMENTER']],
    ] as const)('at Mark implemented, a %s-risk approval by the implementer: allowed %s', (risk, allowed, codes) => {
      const change = aChange({ state: 'Scheduled', risk, evidence: [{ from: 'Assessment', to: 'Approved', accountId: PEOPLE.implementer, at: at(2) }] });
      const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.implementer, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3).build();
      const verdict = evaluateTransition(change, 'implement', anActor('implementer'), relaxed, at(11), history);
      expect([verdict.allowed, verdict.reasons.map((r) => r.code)]).toEqual([allowed, codes]);
    });

    it('never relaxes an approval Jira names no one for, even at low risk', () => {
      const change = aChange({ state: 'Scheduled', risk: 'low', evidence: [{ from: 'Assessment', to: 'Approved', accountId: null, at: at(2) }] });
      const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', null, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3).build();
      const verdict = evaluateTransition(change, 'implement', anActor('implementer'), relaxed, at(11), history);
      expect([verdict.allowed, verdict.reasons.map((r) => [r.code, r.people])]).toEqual([false, [['APPROVER_IS_IMPLEMENTER', [{ role: 'approver', accountId: null }]]]]);
    });

    it('never relaxes verification', () => {
      const change = aChange({ state: 'Implemented', risk: 'low', fields: { verifier: { accountId: PEOPLE.implementer } } });
      const verdict = evaluateTransition(change, 'close', anActor('implementer'), relaxed, NOW);
      expect(verdict.reasons.map((r) => r.code)).toEqual(['VERIFIER_IS_IMPLEMENTER']);
    });
  });

  it('treats whoever actually implemented as the implementer, whatever the field says now', () => {
    const change = aChange({
      state: 'Implemented',
      fields: { implementer: { accountId: PEOPLE.outsider } },
      evidence: [{ from: 'Scheduled', to: 'Implemented', accountId: PEOPLE.verifier, at: at(11) }],
    });
    const verdict = evaluateTransition(change, 'close', anActor('verifier'), policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['VERIFIER_IS_IMPLEMENTER']);
  });

  it('refuses an unidentified actor on any step that checks identity', () => {
    const verdict = evaluateTransition(aChange({ state: 'Assessment' }), 'approve', null, policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ACTOR_UNKNOWN']);
    expect(evaluateTransition(aChange({ state: 'Draft' }), 'submit', null, policy, NOW).allowed).toBe(true);
  });
});

describe('evaluateTransition: window, verification and state', () => {
  it.each([
    [at(9.99), false],
    [at(10), true],
    [at(14), true],
    [at(14.01), false],
  ])('implementing at %s is inside the window: %s', (now, inside) => {
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, now);
    expect(verdict.allowed).toBe(inside);
    if (!inside) expect(verdict.reasons.map((r) => r.code)).toEqual(['OUTSIDE_WINDOW']);
  });

  it('only flags an out-of-window implementation when policy says flag', () => {
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), aPolicy({ windowEnforcement: 'flag' }), at(20));
    expect(verdict.allowed).toBe(true);
    expect(verdict.notices.map((n) => n.code)).toEqual(['OUTSIDE_WINDOW']);
  });

  it('judges a recurring window by its occurrences, as the adapter read them', () => {
    const text = 'DTSTART:20260105T020000Z RRULE:FREQ=WEEKLY DURATION:PT2H';
    const occurrence = [at(99), at(101)] as const;
    const later = [at(267), at(269)] as const;
    const change = { ...aChange({ state: 'Approved', fields: { windowStart: null, windowEnd: null, recurringWindow: text } }), recurringWindows: [aRecurringReading(text, [occurrence, later], [NOW, at(100), at(101), at(150)])] };
    expect(evaluateTransition(change, 'schedule', anActor('requester'), policy, NOW).allowed).toBe(true);
    const implementAt = (t: Date, p = policy) => evaluateTransition({ ...change, state: 'Scheduled' }, 'implement', anActor('implementer'), p, t);
    expect(implementAt(at(100)).allowed).toBe(true);
    expect(implementAt(at(101)).allowed).toBe(true); // the end is inside
    const outside = implementAt(at(150));
    expect(outside.reasons).toEqual([expect.objectContaining({ code: 'OUTSIDE_WINDOW', message: `This is outside the recurring maintenance window (test window ${text}). The next one is ${at(267).toISOString()} to ${at(269).toISOString()}. Implement inside it, or reschedule.` })]);
    expect(implementAt(at(150), aPolicy({ windowEnforcement: 'flag' }))).toMatchObject({ allowed: true, notices: [expect.objectContaining({ code: 'OUTSIDE_WINDOW' })] });
    // A time the reading was not made for is not shown to be inside: refused.
    expect(implementAt(at(100.5)).reasons.map((r) => r.code)).toEqual(['WINDOW_INVALID']);
    // A fixed window, when set, is the window.
    expect(evaluateTransition({ ...change, state: 'Scheduled', fields: { ...change.fields, windowStart: at(140), windowEnd: at(160) } }, 'implement', anActor('implementer'), policy, at(150)).allowed).toBe(true);
  });

  it.each([
    [{ windowStart: at(5), windowEnd: at(5) }, ['WINDOW_INVALID']],
    [{ windowStart: at(6), windowEnd: at(5) }, ['WINDOW_INVALID']],
    [{ windowStart: null, windowEnd: at(5) }, ['MISSING_FIELD']],
    [{ windowStart: null, windowEnd: null }, ['MISSING_FIELD', 'MISSING_FIELD']],
  ])('scheduling with window %j is blocked with %j', (fields, codes) => {
    const verdict = evaluateTransition(aChange({ state: 'Approved', fields }), 'schedule', anActor('requester'), policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('requires the rollback outcome when verification failed', () => {
    const change = aChange({ state: 'Implemented', fields: { verificationResult: 'failed-rolled-back', rollbackOutcome: null } });
    expect(evaluateTransition(change, 'close', anActor('verifier'), policy, NOW).reasons.map((r) => r.code)).toEqual(['ROLLBACK_UNDOCUMENTED']);
    const documented = aChange({ state: 'Implemented', fields: { verificationResult: 'failed-rolled-back', rollbackOutcome: 'Rolled back at 11:40, verified' } });
    expect(evaluateTransition(documented, 'close', anActor('verifier'), policy, NOW).allowed).toBe(true);
  });

  it('will not close an emergency change without post-hoc approval by a non-implementer', () => {
    const implemented = { from: 'Draft', to: 'Implemented', accountId: PEOPLE.implementer, at: at(11) } as const;
    const byImplementer = { from: 'Implemented', to: 'Implemented', accountId: PEOPLE.implementer, at: at(12) } as const;
    const change = aChange({ state: 'Implemented', type: 'emergency', evidence: [implemented, byImplementer] });
    const verdict = evaluateTransition(change, 'close', anActor('verifier'), policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['EMERGENCY_POSTHOC_MISSING']);
  });

  it('does not ask for post-hoc approval when the emergency change was pre-approved', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency', evidence: [{ from: 'Scheduled', to: 'Implemented', accountId: PEOPLE.implementer, at: at(11) }] });
    expect(evaluateTransition(change, 'close', anActor('verifier'), policy, NOW).allowed).toBe(true);
  });

  it('refuses an edge that does not start from the current state', () => {
    const verdict = evaluateTransition(aChange({ state: 'Draft' }), 'approve', anActor('approver'), policy, NOW);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['WRONG_STATE']);
  });
});

describe('evaluateTransition with history (the history gate rules)', () => {
  const approvedPath = () =>
    aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.approver, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3);

  it('allows implementation on a standing approval by someone else', () => {
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, approvedPath().build());
    expect(verdict).toEqual({ edge: 'implement', allowed: true, reasons: [], notices: [] });
  });

  it('blocks implementation when a material field changed after approval, naming the field', () => {
    const history = approvedPath().edit('rollbackPlan', 'Redeploy', 'Hope', PEOPLE.requester, 4).build();
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history);
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: 'CHANGED_AFTER_APPROVAL', field: 'rollbackPlan' })]);
  });

  it('ignores non-material edits and edits that set the same value', () => {
    const history = approvedPath().edit('summary', 'a', 'b', PEOPLE.requester, 4).edit('risk', 'low', 'low', PEOPLE.requester, 4).build();
    expect(evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history).allowed).toBe(true);
  });

  it('blocks implementation when the approval was withdrawn by a re-assess and never renewed', () => {
    const history = approvedPath().move('Scheduled', 'Approved', PEOPLE.requester, 4).move('Approved', 'Assessment', PEOPLE.requester, 5).build();
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['NOT_APPROVED']);
  });

  it('blocks implementation approved by the person now implementing', () => {
    const history = aHistory()
      .move('Draft', 'Assessment', PEOPLE.requester, 1)
      .move('Assessment', 'Approved', PEOPLE.implementer, 2)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .build();
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['APPROVER_IS_IMPLEMENTER']);
  });

  it('needs no approval for a standard change scheduled from its template', () => {
    const history = aHistory().move('Draft', 'Scheduled', PEOPLE.requester, 1).build();
    expect(evaluateTransition(aChange({ state: 'Scheduled', type: 'standard', risk: 'low' }), 'implement', anActor('implementer'), policy, NOW, history).allowed).toBe(true);
  });
});

describe('evaluateHistoryGate', () => {
  it('checks only the history rules, so fields typed on the transition screen are not needed', () => {
    const history = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2).move('Approved', 'Scheduled', PEOPLE.requester, 3).build();
    const change = aChange({ state: 'Scheduled', fields: { implementationEvidence: null } });
    expect(evaluateHistoryGate(change, 'implement', null, policy, at(100), history).allowed).toBe(true);
    const edited = [...history, ...aHistory().edit('targetSystems', 'a', 'b', PEOPLE.requester, 4).build()];
    expect(evaluateHistoryGate(change, 'implement', null, policy, at(100), edited).reasons.map((r) => r.code)).toEqual(['CHANGED_AFTER_APPROVAL']);
  });

  it('allows edges that carry no history rules', () => {
    expect(evaluateHistoryGate(aChange({ state: 'Draft', fields: { summary: null } }), 'submit', null, policy, NOW, []).allowed).toBe(true);
  });
});

describe('material changes after approval', () => {
  const approved = () => aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).move('Assessment', 'Approved', PEOPLE.approver, 2);

  it('does not void the approval when the window is first set on the Schedule step', () => {
    const history = approved()
      .edit('windowStart', null, at(10).toISOString(), PEOPLE.requester, 3)
      .edit('windowEnd', '', at(14).toISOString(), PEOPLE.requester, 3)
      .move('Approved', 'Scheduled', PEOPLE.requester, 3)
      .build();
    expect(evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history).allowed).toBe(true);
  });

  it.each([
    ['moving an existing window', 'windowStart', at(10).toISOString(), at(11).toISOString()],
    ['clearing the rollback plan', 'rollbackPlan', 'Redeploy', null],
  ] as const)('voids it when %s', (_name, field, from, to) => {
    const history = approved().move('Approved', 'Scheduled', PEOPLE.requester, 3).edit(field, from, to, PEOPLE.requester, 4).build();
    const verdict = evaluateTransition(aChange({ state: 'Scheduled' }), 'implement', anActor('implementer'), policy, NOW, history);
    expect(verdict.reasons).toEqual([expect.objectContaining({ code: 'CHANGED_AFTER_APPROVAL', field })]);
  });
});
