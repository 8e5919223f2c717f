// Issue 16: the field types sites already keep CC8.1 data in, beyond the app's own: Components and
// JSM's Affected services for Target systems, a cascading select for a choice, a multi-user or group
// picker for a role, a date picker for the window. Each is read through the one mapping in REST and
// modifiedFields shape, from the changelog, and by the compiled expressions on the strict interpreter.
import {
  canHold,
  FIELD_DEFS,
  FIELD_KEYS,
  JIRA_FIELD_TYPES,
  OPTION_LABELS,
  parsePolicy,
  type OptionField,
  evaluateHistoryGate,
  evaluateTransition,
  fieldFromRaw,
  getEdge,
  hasValue,
  namesActor,
  needsHistoryGate,
  rawNamed,
  type ChangeFields,
  type FieldKey,
  type JiraFieldType,
  type Named,
  type PolicyInput,
} from '../../src/domain';
import { compileEdge } from '../../src/domain/expression';
import { changelogRawValue, parseFieldValue, type ParseFieldOptions } from '../../src/jira/field-value';
import { runJiraExpression } from '../../sandbox/jira-expression/interpreter';
import { buildIssue, jiraOption, jiraRichText, jiraUser, toJiraValue } from '../../sandbox/jira-expression/object-model';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { aPolicy } from '../builders/policy.builder';
import { anActor, PEOPLE } from '../builders/people.builder';

const SITE_LABELS = { optionLabels: { risk: { Critical: 'high' as const, 'Low - Routine': 'low' as const } } };
const site = aPolicy(SITE_LABELS);

type Row = [FieldKey, JiraFieldType, string, unknown, unknown, ParseFieldOptions?];
/** [CC8.1 field, Jira type, how, the value as REST (or modifiedFields) carries it, the domain value, options]. */
const READS: Row[] = [
  ['targetSystems', 'components', 'REST', [{ id: '10000', name: 'Payments' }, { id: '10001', name: 'Ledger' }], ['Payments', 'Ledger']],
  ['targetSystems', 'components', 'REST, none', [], null],
  ['targetSystems', 'components', 'modifiedFields (names)', ['Payments'], ['Payments']],
  ['targetSystems', 'services', 'REST (ids only)', [{ id: 'b5a1c2' }], ['b5a1c2']],
  ['targetSystems', 'services', 'REST (with names)', [{ id: 'b5a1c2', name: 'Checkout API' }], ['Checkout API']],
  ['risk', 'cascadingoption', 'REST, the child mapped', { value: 'High', id: '1', child: { value: 'Critical', id: '2' } }, 'high', { labels: site }],
  ['risk', 'cascadingoption', 'REST, the child unmapped: the parent', { value: 'High', id: '1', child: { value: 'Payments only', id: '3' } }, 'high', { labels: site }],
  ['risk', 'cascadingoption', 'REST, no child', { value: 'Medium', id: '4' }, 'medium', { labels: site }],
  ['risk', 'cascadingoption', 'REST, "Parent - Child" mapped', { value: 'Low', id: '5', child: { value: 'Routine', id: '6' } }, 'low', { labels: site }],
  ['approver', 'multiuser', 'REST, two people', [{ accountId: 'a1' }, { accountId: 'a2', displayName: 'Ann' }], { anyOf: [{ accountId: 'a1' }, { accountId: 'a2', displayName: 'Ann' }] }],
  ['approver', 'multiuser', 'REST, one person', [{ accountId: 'a1' }], { accountId: 'a1' }],
  ['approver', 'multiuser', 'REST, the same person twice', [{ accountId: 'a1' }, { accountId: 'a1' }], { accountId: 'a1' }],
  ['approver', 'multiuser', 'REST, nobody', [], null],
  ['approver', 'multiuser', 'modifiedFields (account ids)', ['a1', 'a2'], { anyOf: [{ accountId: 'a1' }, { accountId: 'a2' }] }, { bareAccountIds: true }],
  ['approver', 'group', 'REST', { name: 'change-approvers', groupId: 'g-1' }, { group: 'change-approvers' }],
  ['verifier', 'group', 'modifiedFields (the name)', 'qa-leads', { group: 'qa-leads' }],
  ['windowStart', 'date', 'REST, in UTC', '2026-03-29', new Date('2026-03-29T00:00:00Z')],
  ['windowStart', 'date', 'REST, in Berlin: the day starts at 23:00 UTC the day before', '2026-03-29', new Date('2026-03-28T23:00:00Z'), { timeZone: 'Europe/Berlin' }],
  ['windowEnd', 'date', 'REST, in Berlin on the day clocks go forward: the whole day is in', '2026-03-29', new Date('2026-03-29T22:00:00Z'), { timeZone: 'Europe/Berlin' }],
];

describe('one mapping: the field types sites already keep CC8.1 data in', () => {
  // Every row gets its options argument: jest would take a missing last one for `done`.
  it.each(READS.map((row): Required<Row> => [row[0], row[1], row[2], row[3], row[4], row[5] ?? {}]))('%s in a %s field (%s)', (field, type, _how, value, expected, options) => {
    expect(parseFieldValue(field, value, { type, ...options })).toEqual({ ok: true, value: expected });
  });

  it.each<[FieldKey, JiraFieldType, unknown, RegExp]>([
    ['risk', 'cascadingoption', { value: 'Severe', id: '1', child: { value: 'Now', id: '2' } }, /"Severe - Now" is not a Risk rating option the policy knows: map it/],
    ['risk', 'cascadingoption', 'nonsense-shape-42', /"nonsense-shape-42" is not a Risk rating option/],
    ['risk', 'cascadingoption', { id: '1' }, /expected a cascading select option/],
    ['targetSystems', 'components', 'Payments', /expected a list of components/],
    ['targetSystems', 'services', [{ key: 'x' }], /expected a list of services/],
    ['approver', 'multiuser', { accountId: 'a1' }, /expected a list of users/],
    ['approver', 'multiuser', ['a1'], /expected a list of users/],
    ['approver', 'group', { groupId: 'g-1' }, /expected a group/],
    ['windowStart', 'date', '2026-02-30', /expected a date \(YYYY-MM-DD\)/],
    ['windowStart', 'date', '2026-03-29T10:00:00.000+0000', /expected a date/],
  ])('%s in a %s field: %j is refused, saying what was expected', (field, type, value, problem) => {
    const parsed = parseFieldValue(field, value, { type, labels: site });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it.each<[FieldKey, JiraFieldType, { from?: string | null; fromString?: string | null }, string | null, string]>([
    ['approver', 'multiuser', { from: 'a2, a1', fromString: 'Ann, Bo' }, 'a1,a2', 'UTC'],
    ['approver', 'multiuser', { from: '[a1]' }, 'a1', 'UTC'],
    ['approver', 'multiuser', { from: null, fromString: null }, null, 'UTC'],
    ['approver', 'group', { fromString: 'change-approvers' }, 'group:change-approvers', 'UTC'],
    ['risk', 'cascadingoption', { fromString: 'Parent values: High(10010)Level 1 values: Critical(10011)' }, 'high', 'UTC'],
    ['risk', 'cascadingoption', { fromString: 'Parent values: Medium(10012)' }, 'medium', 'UTC'],
    ['risk', 'cascadingoption', { fromString: 'Parent values: Severe(10013)Level 1 values: Now(10014)' }, 'Severe - Now', 'UTC'],
    ['windowStart', 'date', { from: '2026-03-29', fromString: '29/Mar/26' }, '2026-03-28T23:00:00.000Z', 'Europe/Berlin'],
    ['windowEnd', 'date', { from: '2026-03-29' }, '2026-03-30T00:00:00.000Z', 'UTC'],
    ['targetSystems', 'services', { fromString: 'Checkout API, Ledger' }, 'Checkout API,Ledger', 'UTC'],
  ])('the changelog: %s in a %s field, %j → %j', (field, type, item, expected, zone) => {
    const change = { field: 'x', from: null, fromString: null, to: null, toString: null, ...item };
    expect(changelogRawValue(field, change as never, 'from', site, type, zone)).toBe(expected);
  });
});

describe('a role named as several people or as a group', () => {
  const several: Named = { anyOf: [{ accountId: PEOPLE.approver }, { accountId: PEOPLE.cab }] };
  const group: Named = { group: 'change-approvers' };

  it('round-trips through the raw encoding the history and the replay use', () => {
    for (const named of [several, group, { accountId: PEOPLE.approver }]) {
      expect(fieldFromRaw('approver', rawNamed(named))).toEqual('anyOf' in named ? { anyOf: named.anyOf.map((p) => ({ accountId: p.accountId })).sort((a, b) => a.accountId.localeCompare(b.accountId)) } : named);
    }
  });

  it.each<[string, Named, ReturnType<typeof anActor>, boolean | null]>([
    ['any listed person counts', several, anActor('cab'), true],
    ['someone not listed does not', several, anActor('verifier'), false],
    ['a member of the group counts', group, { ...anActor('approver'), groups: ['change-approvers'] }, true],
    ['a non-member does not', group, anActor('approver'), false],
    ['groups unknown (the changelog keeps none): cannot tell', group, { accountId: PEOPLE.approver }, null],
  ])('%s', (_name, named, actor, expected) => {
    expect(namesActor({ approver: named } as ChangeFields, 'approver', actor)).toBe(expected);
  });

  it('Approve: only a listed approver or a group member may approve; the refusal names the group', () => {
    const policy = aPolicy();
    const now = at(1);
    const listed = aChange({ state: 'Assessment', fields: { approver: several } });
    expect(evaluateTransition(listed, 'approve', anActor('cab'), policy, now).allowed).toBe(true);
    expect(evaluateTransition(listed, 'approve', anActor('outsider'), policy, now).reasons.map((r) => r.code)).toContain('APPROVAL_ACTOR_MISMATCH');

    const byGroup = aChange({ state: 'Assessment', fields: { approver: group } });
    expect(evaluateTransition(byGroup, 'approve', { ...anActor('outsider'), groups: ['change-approvers'] }, policy, now).allowed).toBe(true);
    const refused = evaluateTransition(byGroup, 'approve', anActor('outsider'), policy, now);
    expect(refused.reasons.find((r) => r.code === 'APPROVAL_ACTOR_MISMATCH')?.message).toMatch(/Only members of the group "change-approvers" named as approver or a CAB member may Approve/);
  });

  it('the implementer listed among several approvers may not approve (segregation by who acted and who is named)', () => {
    const change = aChange({ state: 'Implemented', type: 'emergency', fields: { approver: { anyOf: [{ accountId: PEOPLE.implementer }, { accountId: PEOPLE.approver }] } } });
    const verdict = evaluateTransition(change, 'close', anActor('implementer'), aPolicy(), at(20));
    expect(verdict.allowed).toBe(false);
  });
});

/** Runs the compiled rules of `edge`/`kind` (those whose text includes `only`, if given) on an issue with `custom` values, as `user`. */
const compiledAllows = (overrides: PolicyInput, edge: Parameters<typeof compileEdge>[1], kind: 'condition' | 'validator', custom: Record<string, unknown>, user: ReturnType<typeof jiraUser> | null, components?: { id: number; name: string }[], only?: string): boolean => {
  const policy = aMappedPolicy(overrides);
  const compiled = compileEdge(policy, edge, kind);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const id = (key: FieldKey) => policy.fields[key]!;
  const issue = buildIssue({
    summary: 'Rotate keys',
    description: jiraRichText('Certificates expire'),
    reporter: jiraUser(PEOPLE.requester),
    components,
    customFields: {
      [id('changeType')]: jiraOption('Normal', 10_001),
      [id('risk')]: jiraOption('Low', 10_002),
      [id('implementer')]: jiraUser(PEOPLE.implementer),
      ...Object.fromEntries(Object.entries(custom).filter(([key]) => key.startsWith('customfield_'))),
    },
    properties: {},
  });
  const rules = compiled.rules.filter((rule) => only === undefined || rule.expression.includes(only));
  if (rules.length === 0) throw new Error(`no compiled rule mentions ${only}`);
  return rules.every((rule) => runJiraExpression(rule.expression, { issue, user, __now: at(1) }).value === true);
};

describe('the compiled expressions read these types as the app does (strict interpreter)', () => {
  const fields = aMappedPolicy().fields;

  it.each<[string, { id: number; name: string }[]]>([
    ['two components', [{ id: 10_000, name: 'Payments' }, { id: 10_001, name: 'Ledger' }]],
    ['no component', []],
  ])('Target systems in Components: %s', (_name, components) => {
    const overrides = { fields: { ...fields, targetSystems: 'components' }, fieldTypes: { targetSystems: 'components' as const } };
    const parsed = parseFieldValue('targetSystems', components, { type: 'components' });
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(compiledAllows(overrides, 'submit', 'validator', {}, null, components)).toBe(hasValue({ targetSystems: parsed.value } as ChangeFields, 'targetSystems'));
  });

  it.each<[string, unknown[]]>([
    ['a service', [{ id: 'b5a1c2' }]],
    ['none', []],
  ])('Target systems in Affected services: %s', (_name, services) => {
    const parsed = parseFieldValue('targetSystems', services, { type: 'services' });
    if (!parsed.ok) throw new Error(parsed.problem);
    const custom = { [fields.targetSystems!]: services };
    expect(compiledAllows({ fieldTypes: { targetSystems: 'services' } }, 'submit', 'validator', custom, null)).toBe(hasValue({ targetSystems: parsed.value } as ChangeFields, 'targetSystems'));
  });

  it.each<[string, unknown, boolean]>([
    ['the child says Critical (high): a CAB reference is needed', { value: 'High', id: '1', child: { value: 'Critical', id: '2' } }, false],
    ['a parent without a child, Medium', { value: 'Medium', id: '4' }, true],
    ['"Low - Routine" (low)', { value: 'Low', id: '5', child: { value: 'Routine', id: '6' } }, true],
  ])('Risk in a cascading select on Approve, CAB reference empty: %s', (_name, value, allowed) => {
    const overrides: PolicyInput = { ...SITE_LABELS, fieldTypes: { risk: 'cascadingoption' }, cab: { requiredForRisks: ['high'] } };
    const parsed = parseFieldValue('risk', value, { type: 'cascadingoption', labels: aPolicy(overrides) });
    expect(parsed.ok).toBe(true);
    // Jira returns null for a key a map lacks (no `child`): an open map models that.
    const custom = { [fields.risk!]: toJiraValue(value, false, 'Cascading'), [fields.approver!]: jiraUser(PEOPLE.approver) };
    const policy = aMappedPolicy(overrides);
    const domain = evaluateTransition(aChange({ state: 'Assessment', fields: { risk: parsed.ok ? (parsed.value as never) : null, cabReference: null } }), 'approve', anActor('approver'), policy, at(1));
    expect(compiledAllows(overrides, 'approve', 'validator', custom, jiraUser(PEOPLE.approver), undefined, 'CAB reference')).toBe(allowed);
    expect(domain.reasons.some((r) => r.code === 'CAB_MISSING')).toBe(!allowed);
  });

  it.each<[string, string, boolean]>([
    ['a listed approver', PEOPLE.cab, true],
    ['the other listed approver', PEOPLE.approver, true],
    ['someone not listed', PEOPLE.outsider, false],
  ])('Approver in a multi-user picker: %s may approve', (_name, accountId, allowed) => {
    const custom = { [fields.approver!]: [jiraUser(PEOPLE.approver), jiraUser(PEOPLE.cab)] };
    expect(compiledAllows({ fieldTypes: { approver: 'multiuser' } }, 'approve', 'condition', custom, jiraUser(accountId))).toBe(allowed);
  });

  it.each<[string, string[], boolean]>([
    ['a member of the group', ['change-approvers'], true],
    ['a non-member', ['developers'], false],
  ])('Approver in a group picker: %s may approve', (_name, groups, allowed) => {
    const custom = { [fields.approver!]: { name: 'change-approvers', groupId: 'g-1' } };
    expect(compiledAllows({ fieldTypes: { approver: 'group' } }, 'approve', 'condition', custom, jiraUser(PEOPLE.outsider, { groups }))).toBe(allowed);
  });

  it('the implementer listed in a multi-user Implementer field may not approve (compiled)', () => {
    const custom = { [fields.implementer!]: [jiraUser(PEOPLE.implementer), jiraUser(PEOPLE.outsider)], [fields.approver!]: jiraUser(PEOPLE.outsider) };
    expect(compiledAllows({ fieldTypes: { implementer: 'multiuser' } }, 'approve', 'condition', custom, jiraUser(PEOPLE.outsider))).toBe(false);
    expect(compiledAllows({ fieldTypes: { implementer: 'multiuser' } }, 'approve', 'condition', { [fields.implementer!]: [jiraUser(PEOPLE.implementer)], [fields.approver!]: jiraUser(PEOPLE.outsider) }, jiraUser(PEOPLE.outsider))).toBe(true);
  });
});

describe('a window kept in date pickers: whole days in the policy zone, judged by the history gate', () => {
  const overrides: PolicyInput = { fieldTypes: { windowStart: 'date', windowEnd: 'date' }, businessHours: { timeZone: 'Europe/Berlin' } };
  const policy = aMappedPolicy(overrides);
  const day = (field: 'windowStart' | 'windowEnd', text: string) => {
    const parsed = parseFieldValue(field, text, { type: 'date', timeZone: 'Europe/Berlin' });
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.value as Date;
  };
  const change = aChange({ state: 'Scheduled', fields: { windowStart: day('windowStart', '2026-03-29'), windowEnd: day('windowEnd', '2026-03-29') } });

  it('Mark implemented runs the gate, not the expression, for the window', () => {
    expect(needsHistoryGate(getEdge('implement'), policy)).toBe(true);
    expect(needsHistoryGate(getEdge('implement'), aMappedPolicy())).toBe(needsHistoryGate(getEdge('implement')));
    const compiled = compileEdge(policy, 'implement', 'validator');
    expect(compiled.ok && compiled.rules.some((r) => r.expression.includes('now'))).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ['00:30 Berlin on the day (22:30 UTC the day before)', '2026-03-28T23:30:00Z', true],
    ['23:30 Berlin on the day', '2026-03-29T21:30:00Z', true],
    ['00:30 Berlin the next day', '2026-03-29T22:30:00Z', false],
    ['23:30 Berlin the day before', '2026-03-28T22:30:00Z', false],
  ])('implemented at %s: inside = %s', (_name, iso, inside) => {
    const verdict = evaluateHistoryGate(change, 'implement', anActor('implementer'), policy, new Date(iso), []);
    expect(verdict.reasons.some((r) => r.code === 'OUTSIDE_WINDOW')).toBe(!inside);
  });

  it('a window ending the day before it starts is refused at Schedule by the gate', () => {
    const backwards = aChange({ state: 'Approved', fields: { windowStart: day('windowStart', '2026-03-29'), windowEnd: day('windowEnd', '2026-03-27') } });
    expect(needsHistoryGate(getEdge('schedule'), policy)).toBe(true);
    const verdict = evaluateHistoryGate(backwards, 'schedule', anActor('implementer'), policy, at(1), []);
    expect(verdict.allowed).toBe(false);
    expect(evaluateHistoryGate(aChange({ state: 'Approved', fields: { windowStart: day('windowStart', '2026-03-29'), windowEnd: day('windowEnd', '2026-03-29') } }), 'schedule', anActor('implementer'), policy, at(1), []).allowed).toBe(true);
  });
});

/** One value per Jira type, in REST shape and in a validator's modifiedFields shape (account ids bare). */
const SAMPLES: Record<JiraFieldType, { rest: (field: FieldKey) => unknown; modified: (field: FieldKey) => unknown }> = {
  string: { rest: () => 'prod-db, api', modified: () => 'prod-db, api' },
  richtext: { rest: () => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'prod-db, api' }] }] }), modified: () => 'prod-db, api' },
  labels: { rest: () => ['prod-db', 'api'], modified: () => ['prod-db', 'api'] },
  multioption: { rest: () => [{ value: 'prod-db', id: '1' }, { value: 'api', id: '2' }], modified: () => ['prod-db', 'api'] },
  components: { rest: () => [{ id: '1', name: 'prod-db' }, { id: '2', name: 'api' }], modified: () => [{ id: '1', name: 'prod-db' }, { id: '2', name: 'api' }] },
  services: { rest: () => [{ id: 'prod-db' }, { id: 'api' }], modified: () => [{ id: 'prod-db' }, { id: 'api' }] },
  option: { rest: (f) => ({ value: firstLabel(f), id: '1' }), modified: (f) => ({ value: firstLabel(f), id: '1' }) },
  cascadingoption: { rest: (f) => ({ value: firstLabel(f), id: '1', child: { value: 'Sub', id: '2' } }), modified: (f) => ({ value: firstLabel(f), id: '1' }) },
  user: { rest: () => ({ accountId: 'a1' }), modified: () => 'a1' },
  multiuser: { rest: () => [{ accountId: 'a1' }, { accountId: 'a2' }], modified: () => ['a1', 'a2'] },
  group: { rest: () => ({ name: 'approvers', groupId: 'g-1' }), modified: () => 'approvers' },
  datetime: { rest: () => '2026-03-29T10:00:00.000+0000', modified: () => '2026-03-29T10:00:00.000+0000' },
  date: { rest: () => '2026-03-29', modified: () => '2026-03-29' },
};
const firstLabel = (field: FieldKey): string => Object.values(OPTION_LABELS[field as OptionField])[0]!;

/** The domain value each type's sample means for a CC8.1 field of each kind. */
const expectedValue = (field: FieldKey, type: JiraFieldType): unknown => {
  const kind = FIELD_DEFS[field].kind;
  if (kind === 'text') return 'prod-db, api';
  if (kind === 'list') return ['prod-db', 'api'];
  if (kind === 'changeType' || kind === 'risk' || kind === 'verificationResult') return Object.keys(OPTION_LABELS[field as OptionField])[0];
  if (kind === 'datetime') return type === 'date' ? new Date(field === 'windowEnd' ? '2026-03-30T00:00:00Z' : '2026-03-29T00:00:00Z') : new Date('2026-03-29T10:00:00Z');
  if (type === 'multiuser') return { anyOf: [{ accountId: 'a1' }, { accountId: 'a2' }] };
  if (type === 'group') return { group: 'approvers' };
  return { accountId: 'a1' };
};

const PAIRS = FIELD_KEYS.flatMap((field) => JIRA_FIELD_TYPES.filter((type) => canHold(type, field)).map((type) => [field, type] as [FieldKey, JiraFieldType]));

describe('every field type × every CC8.1 field it can hold, through the one mapping', () => {
  it('covers every type and every field', () => {
    expect(new Set(PAIRS.map(([, type]) => type))).toEqual(new Set(JIRA_FIELD_TYPES));
    expect(new Set(PAIRS.map(([field]) => field))).toEqual(new Set(FIELD_KEYS));
  });

  it.each(PAIRS)('%s in a %s field: REST shape', (field, type) => {
    expect(parseFieldValue(field, SAMPLES[type].rest(field), { type })).toEqual({ ok: true, value: expectedValue(field, type) });
  });

  it.each(PAIRS)('%s in a %s field: modifiedFields shape', (field, type) => {
    expect(parseFieldValue(field, SAMPLES[type].modified(field), { type, bareAccountIds: true })).toEqual({ ok: true, value: expectedValue(field, type) });
  });

  it.each(FIELD_KEYS.flatMap((field) => JIRA_FIELD_TYPES.filter((type) => !canHold(type, field)).map((type) => [field, type] as [FieldKey, JiraFieldType])))(
    '%s cannot live in a %s field: the policy refuses it',
    (field, type) => {
      const parsed = parsePolicy({ fieldTypes: { [field]: type } });
      expect(parsed.ok).toBe(false);
    },
  );
});
