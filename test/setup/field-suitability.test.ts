// Issue 16: the admin page offers each CC8.1 field the site fields that can hold it, by their Jira
// type, and says why a field that looks meant for it (by its name) cannot.
import { holdersInWords, type FieldKey, type JiraFieldType } from '../../src/domain';
import { jiraFieldTypeOf, suitableFieldKeys, unsuitableLookalikes, whyFieldCannotHold } from '../../src/setup/field-suitability';
import type { FieldDetails } from '../../src/jira/workflow-schemas';

const T = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const custom = (name: string, type: string, id = 'customfield_10500'): FieldDetails => ({ id, name, custom: true, schema: { type: 'any', custom: type } });

describe('the type the app reads each site field as', () => {
  it.each<[string, FieldDetails, JiraFieldType | null]>([
    ['a radio button field', custom('Risk', `${T}radiobuttons`), 'option'],
    ['a cascading select', custom('Risk', `${T}cascadingselect`), 'cascadingoption'],
    ['checkboxes', custom('Systems', `${T}multicheckboxes`), 'multioption'],
    ['a multi-user picker (JSM Approvers)', custom('Approvers', `${T}multiuserpicker`), 'multiuser'],
    ['a group picker', custom('Approver group', `${T}grouppicker`), 'group'],
    ['a date picker', custom('Change start date', `${T}datepicker`), 'date'],
    ['JSM Affected services', custom('Affected services', 'com.atlassian.jira.plugins.service-entity:service-entity-field-cftype'), 'services'],
    ['Components', { id: 'components', name: 'Components', custom: false, schema: { type: 'array', system: 'components' } }, 'components'],
    ['a number field', custom('Score', `${T}float`), null],
    ['a multi-group picker', custom('Groups', `${T}multigrouppicker`), null],
  ])('%s', (_name, field, type) => {
    expect(jiraFieldTypeOf(field)).toBe(type);
  });

  it('a group picker can hold the approver and the verifier, never the implementer or requester', () => {
    expect(suitableFieldKeys(custom('Approver group', `${T}grouppicker`))).toEqual(['approver', 'verifier']);
    expect(suitableFieldKeys(custom('People', `${T}multiuserpicker`))).toEqual(['requester', 'implementer', 'approver', 'verifier']);
    expect(suitableFieldKeys(custom('Start', `${T}datepicker`))).toEqual(['windowStart', 'windowEnd']);
  });
});

describe('why a field cannot hold a CC8.1 field, in words for the admin page', () => {
  it.each<[string, FieldDetails, FieldKey, string | null]>([
    ['a checkbox for the implementer', custom('Implementer', `${T}multicheckboxes`), 'implementer', '"Implementer" is a checkboxes field, which cannot hold Implementer: it needs a user picker or multi-user picker field.'],
    ['a group for the implementer', custom('Implementer group', `${T}grouppicker`), 'implementer', '"Implementer group" is a group picker: Implementer must be one person, because segregation of duties compares who acted with who approved and verified. Use a user picker.'],
    ['a number for the risk', custom('Risk rating', `${T}float`), 'risk', '"Risk rating" is a float field, which the app does not read. Risk rating needs a select list or cascading select field.'],
    ['a system field no workflow rule reads', { id: 'duedate', name: 'Due date', custom: false, schema: { type: 'date', system: 'duedate' } }, 'windowEnd', 'Jira workflow rules cannot read the system field "Due date".'],
    ['a group for the approver: fine', custom('Approver', `${T}grouppicker`), 'approver', null],
  ])('%s', (_name, field, key, why) => {
    expect(whyFieldCannotHold(field, key)).toBe(why);
  });

  it('names the types a field takes in a sentence that reads ("a short text, …, labels … field")', () => {
    expect(holdersInWords('targetSystems')).toBe('a short text, paragraph, multi-select list, labels, components or affected services field');
    expect(holdersInWords('approver')).toBe('a user picker, multi-user picker or group picker field');
    expect(holdersInWords('implementer')).toBe('a user picker or multi-user picker field');
  });

  it('flags a site field by its name as meant for a CC8.1 field it cannot hold, and only then', () => {
    expect(unsuitableLookalikes(custom('Implementer', `${T}multicheckboxes`))).toEqual({ implementer: expect.stringMatching(/checkboxes field, which cannot hold Implementer/) });
    expect(unsuitableLookalikes(custom('Implementer', `${T}userpicker`))).toEqual({});
    expect(unsuitableLookalikes(custom('Sprint goal', `${T}multicheckboxes`))).toEqual({});
  });
});
