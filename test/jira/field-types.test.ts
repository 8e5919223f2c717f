// Issue 16: a CC8.1 field mapped to the field a site already has (a text field for Target systems,
// a paragraph for a short text, a multi-select) is read the same way by the app's readers and by
// the compiled expressions, in REST shape and in a validator's modifiedFields shape.
import { canHold, FIELD_DEFS, FIELD_KEYS, hasValue, JIRA_FIELD_TYPES, parsePolicy, type FieldKey, type JiraFieldType } from '../../src/domain';
import { compileEdge } from '../../src/domain/expression';
import { changelogRawValue, parseFieldValue } from '../../src/jira/field-value';
import { runJiraExpression } from '../../sandbox/jira-expression/interpreter';
import { buildIssue, jiraOption, jiraRichText, jiraUser } from '../../sandbox/jira-expression/object-model';
import { adf } from '../../sandbox/state/jira-json';
import { at } from '../builders/clock';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { PEOPLE } from '../builders/people.builder';

type Row = [FieldKey, JiraFieldType, string, unknown, unknown];
/** [CC8.1 field, Jira type, how, the value as REST (or modifiedFields) carries it, the domain value]. */
const READS: Row[] = [
  ['targetSystems', 'labels', 'REST', ['prod-db', 'api'], ['prod-db', 'api']],
  ['targetSystems', 'string', 'REST', 'prod-db, api; edge', ['prod-db', 'api', 'edge']],
  ['targetSystems', 'string', 'REST, blank', '   ', null],
  ['targetSystems', 'richtext', 'REST (ADF)', adf('prod-db\napi'), ['prod-db', 'api']],
  ['targetSystems', 'richtext', 'modifiedFields (plain text)', 'prod-db', ['prod-db']],
  ['targetSystems', 'multioption', 'REST', [{ value: 'Payments', id: '1' }, { value: 'Ledger', id: '2' }], ['Payments', 'Ledger']],
  ['targetSystems', 'multioption', 'modifiedFields (labels)', ['Payments'], ['Payments']],
  ['targetSystems', 'multioption', 'REST, none picked', [], null],
  ['justification', 'string', 'REST', 'Certificates expire', 'Certificates expire'],
  ['justification', 'richtext', 'REST (ADF)', adf('Certificates expire'), 'Certificates expire'],
  ['summary', 'richtext', 'REST (ADF)', adf('Rotate keys'), 'Rotate keys'],
  ['cabReference', 'richtext', 'REST (ADF), blank', adf('  '), null],
];

describe('one mapping: each field type a CC8.1 field can live in', () => {
  it.each(READS)('%s in a %s field (%s)', (field, type, _how, value, expected) => {
    expect(parseFieldValue(field, value, { type })).toEqual({ ok: true, value: expected });
  });

  it('says what it expected, naming no value, when the shape is wrong', () => {
    expect(parseFieldValue('targetSystems', 'api', { type: 'multioption' })).toEqual({ ok: false, problem: 'expected a list of options' });
    expect(parseFieldValue('targetSystems', [{ name: 'x' }], { type: 'multioption' })).toEqual({ ok: false, problem: 'expected a list of options' });
  });

  it.each<[FieldKey, JiraFieldType, { fromString: string | null }, string | null]>([
    ['targetSystems', 'string', { fromString: 'edge, api' }, 'api,edge'],
    ['targetSystems', 'richtext', { fromString: 'edge\napi' }, 'api,edge'],
    ['targetSystems', 'multioption', { fromString: '[Payments, Ledger]' }, 'Ledger,Payments'],
    ['targetSystems', 'labels', { fromString: 'edge api' }, 'api,edge'],
    ['targetSystems', 'string', { fromString: null }, null],
  ])('the changelog: %s in a %s field, %j → %j', (field, type, item, expected) => {
    expect(changelogRawValue(field, { field: 'x', ...item, toString: null, from: null, to: null } as never, 'from', { optionLabels: {} }, type)).toBe(expected);
  });

  it('the policy refuses a type that cannot hold the field, naming both', () => {
    expect(parsePolicy({ fieldTypes: { implementer: 'string' } })).toEqual({ ok: false, errors: [{ path: 'fieldTypes.implementer', message: 'A string field cannot hold Implementer' }] });
    expect(parsePolicy({ fieldTypes: { targetSystems: 'multioption', summary: 'richtext' } }).ok).toBe(true);
    // Every CC8.1 field can be held by its own type.
    for (const key of FIELD_KEYS) expect(canHold(FIELD_DEFS[key].jira, key)).toBe(true);
    expect(JIRA_FIELD_TYPES.filter((t) => canHold(t, 'targetSystems'))).toEqual(['string', 'richtext', 'labels', 'multioption', 'components', 'services']);
  });
});

/** The compiled Submit validator, on an issue whose Target systems field holds `value` in a `type` field; the rest is complete. */
const submitAllows = (type: JiraFieldType, value: unknown): boolean => {
  const policy = aMappedPolicy({ fieldTypes: type === 'labels' ? {} : { targetSystems: type } });
  const compiled = compileEdge(policy, 'submit', 'validator');
  if (!compiled.ok) throw new Error(compiled.error.message);
  const id = (key: FieldKey) => policy.fields[key]!;
  const issue = buildIssue({
    summary: 'Rotate keys',
    description: jiraRichText('Certificates expire'),
    reporter: jiraUser(PEOPLE.requester),
    customFields: {
      [id('changeType')]: jiraOption('Normal', 10_001),
      [id('risk')]: jiraOption('Low', 10_002),
      [id('implementer')]: jiraUser(PEOPLE.implementer),
      [id('targetSystems')]: value,
    },
    properties: {},
  });
  return compiled.rules.every((rule) => runJiraExpression(rule.expression, { issue, user: null, __now: at(1) }).value === true);
};

describe('the compiled expressions read each type as the app does (strict interpreter)', () => {
  it.each<[JiraFieldType, string, unknown, unknown]>([
    ['labels', 'labels', ['prod-db'], ['prod-db']],
    ['labels', 'no labels', [], []],
    ['string', 'text', 'prod-db, api', 'prod-db, api'],
    ['string', 'blank text', '  ', '  '],
    ['richtext', 'a paragraph', jiraRichText('prod-db'), adf('prod-db')],
    ['richtext', 'an empty paragraph', jiraRichText(' '), adf(' ')],
    ['multioption', 'two options', [jiraOption('Payments', 1), jiraOption('Ledger', 2)], [{ value: 'Payments' }, { value: 'Ledger' }]],
    ['multioption', 'none', [], []],
  ])('Target systems in a %s field: %s', (type, _name, expressionValue, restValue) => {
    const parsed = parseFieldValue('targetSystems', restValue, { type });
    if (!parsed.ok) throw new Error(parsed.problem);
    const appSays = hasValue({ targetSystems: parsed.value } as never, 'targetSystems');
    expect(submitAllows(type, expressionValue)).toBe(appSays);
  });
});
