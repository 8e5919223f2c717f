import { CHANGE_TYPES, EDGES, EDGE_IDS, STATES, edgeAppliesTo, edgesFrom, findEdge, getEdge, needsHistoryGate, ruleEvaluator } from '../../src/domain';
import { EDGE_FROM, EDGE_TO, REQUIRED_BY_EDGE } from '../support/lifecycle-expectations';

describe('lifecycle as data', () => {
  it('defines every edge id exactly once, and each (from, to) pair once', () => {
    expect(EDGES.map((e) => e.id).sort()).toEqual([...EDGE_IDS].sort());
    const pairs = EDGES.map((e) => `${e.from}>${e.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it.each(EDGES.map((e) => [e.id, e] as const))('%s connects two lifecycle states and is found by them', (_id, edge) => {
    expect(STATES).toContain(edge.from);
    expect(STATES).toContain(edge.to);
    expect(findEdge(edge.from, edge.to)).toBe(edge);
    expect(getEdge(edge.id)).toBe(edge);
  });

  it('has the forward path Draft → Assessment → Approved → Scheduled → Implemented → Closed for every type', () => {
    for (let i = 0; i + 1 < STATES.length; i += 1) {
      const edge = findEdge(STATES[i]!, STATES[i + 1]!);
      expect(edge?.kind).toBe('forward');
      for (const type of CHANGE_TYPES) expect(edgeAppliesTo(edge!, type)).toBe(true);
    }
  });

  it.each([
    ['Draft', 'Scheduled', ['standard']],
    ['Draft', 'Implemented', ['emergency']],
    ['Assessment', 'Implemented', ['emergency']],
    ['Implemented', 'Implemented', ['emergency']],
  ] as const)('shortcut %s → %s is only for %j changes', (from, to, types) => {
    const edge = findEdge(from, to)!;
    for (const type of CHANGE_TYPES) expect(edgeAppliesTo(edge, type)).toBe((types as readonly string[]).includes(type));
  });

  it.each([
    ['Assessment', 'Draft', 'sendBack'],
    ['Approved', 'Assessment', 'reassess'],
    ['Scheduled', 'Approved', 'reschedule'],
  ] as const)('back edge %s → %s is %s', (from, to, id) => {
    expect(findEdge(from, to)?.id).toBe(id);
  });

  it('can cancel from every pre-implementation state, with a cancellation reason', () => {
    for (const from of ['Draft', 'Assessment', 'Approved', 'Scheduled'] as const) {
      const edge = findEdge(from, 'Closed');
      expect(edge?.kind).toBe('cancel');
      expect(edge?.rules).toContainEqual({ kind: 'required', field: 'cancellationReason' });
    }
    expect(findEdge('Implemented', 'Closed')?.kind).toBe('forward');
  });

  it('has no way out of Closed and no way back from Implemented except the post-hoc loop', () => {
    expect(edgesFrom('Closed')).toEqual([]);
    expect(edgesFrom('Implemented').map((e) => e.to).sort()).toEqual(['Closed', 'Implemented']);
  });

  // Independent table (issue 14): what only the gate judges, and what it judges again because the expression reads the user-writable mirror.
  it.each([
    ['approve', ['notSelfNominated', 'approverUnchangedSinceSubmit'], ['actorIsNotImplementer']],
    ['implement', ['insideRecurringWindow', 'approvedByNonImplementer', 'noMaterialChangeSinceApproval'], []],
    ['close', ['notSelfNominated', 'postHocApprovalRecorded'], ['actorIsNotImplementer', 'actorIsNotApprover']],
    ['postHocApprove', ['notSelfNominated'], ['actorIsNotImplementer']],
  ] as const)('%s: the gate alone judges %j, and re-judges %j', (id, gateOnly, both) => {
    const edge = getEdge(id);
    expect(edge.rules.filter((r) => ruleEvaluator(r) === 'history').map((r) => r.kind)).toEqual(gateOnly);
    expect(edge.rules.filter((r) => ruleEvaluator(r) === 'both').map((r) => r.kind)).toEqual(both);
    expect(needsHistoryGate(edge)).toBe(true);
  });

  it('runs the gate on exactly those edges, and on the two that schedule when a recurring window field is mapped; everything else compiles to expressions', () => {
    const gated = (fields: Record<string, string>) => EDGES.filter((e) => needsHistoryGate(e, { fields })).map((e) => e.id);
    expect(gated({})).toEqual(['approve', 'implement', 'close', 'postHocApprove']);
    expect(gated({ recurringWindow: 'customfield_10050' })).toEqual(['approve', 'schedule', 'implement', 'close', 'standardSchedule', 'postHocApprove']);
    expect(EDGES.filter((e) => needsHistoryGate(e)).map((e) => e.id)).toEqual(gated({ recurringWindow: 'customfield_10050' }));
  });

  it.each(Object.entries(REQUIRED_BY_EDGE))('%s runs between the states the README says, for the paths it names, requiring the fields it names', (id, byPath) => {
    const edge = getEdge(id as keyof typeof REQUIRED_BY_EDGE);
    expect(edge.from).toBe(EDGE_FROM[edge.id]);
    expect(edge.to).toBe(EDGE_TO[edge.id]);
    for (const type of CHANGE_TYPES) expect(edgeAppliesTo(edge, type)).toBe(byPath[type] !== undefined);
    const declared = edge.rules.flatMap((r) => (r.kind === 'required' ? [r.field] : [])).sort();
    const windowRule = edge.rules.some((r) => r.kind === 'windowDefined');
    for (const required of Object.values(byPath)) {
      expect(declared).toEqual([...required.fields].sort());
      expect(windowRule).toBe(required.window);
    }
  });
});
