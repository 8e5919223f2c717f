/**
 * Which Jira fields can hold which CC8.1 field (by the Jira field's type, and only fields the
 * compiled rules can read), and the custom field type the "create recommended fields" action uses
 * for each CC8.1 field.
 */
import { canHold, FIELD_DEFS, FIELD_KEYS, type FieldKey, type JiraFieldType } from '../domain';
import { issueMember } from '../domain/expression/field-access';
import type { CreateCustomField, FieldDetails } from '../jira/workflow-schemas';

const TYPES = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** The custom field type and searcher each CC8.1 field type gets when the app creates it. */
export const RECOMMENDED_FIELD_TYPES: Readonly<Record<JiraFieldType, { type: string; searcherKey: string; label: string }>> = {
  string: { type: `${TYPES}textfield`, searcherKey: `${TYPES}textsearcher`, label: 'short text' },
  richtext: { type: `${TYPES}textarea`, searcherKey: `${TYPES}textsearcher`, label: 'paragraph' },
  option: { type: `${TYPES}select`, searcherKey: `${TYPES}multiselectsearcher`, label: 'select list' },
  user: { type: `${TYPES}userpicker`, searcherKey: `${TYPES}userpickergroupsearcher`, label: 'user picker' },
  labels: { type: `${TYPES}labels`, searcherKey: `${TYPES}labelsearcher`, label: 'labels' },
  datetime: { type: `${TYPES}datetime`, searcherKey: `${TYPES}datetimerange`, label: 'date time' },
  multioption: { type: `${TYPES}multiselect`, searcherKey: `${TYPES}multiselectsearcher`, label: 'multi-select list' },
};

/** The CC8.1 field type a Jira field's schema can hold, if any. */
export const jiraFieldTypeOf = (field: FieldDetails): JiraFieldType | null => {
  const schema = field.schema;
  if (!schema) return null;
  const custom = schema.custom ?? '';
  if (custom) {
    const match = (Object.keys(RECOMMENDED_FIELD_TYPES) as JiraFieldType[]).find((t) => RECOMMENDED_FIELD_TYPES[t].type === custom);
    if (match) return match;
    if (custom === `${TYPES}radiobuttons`) return 'option';
    if (custom === `${TYPES}multicheckboxes`) return 'multioption';
    return null;
  }
  switch (schema.system) {
    case 'summary':
      return 'string';
    case 'description':
      return 'richtext';
    case 'reporter':
    case 'assignee':
      return 'user';
    case 'labels':
      return 'labels';
    default:
      return null;
  }
};

/** The CC8.1 fields `field` can hold (its type is one that holds their kind), readable by the compiled rules. */
export const suitableFieldKeys = (field: FieldDetails): FieldKey[] => {
  const type = jiraFieldTypeOf(field);
  if (!type || issueMember(field.id) === null) return [];
  return FIELD_KEYS.filter((key) => canHold(type, key));
};

/** The Jira field type in words, for the admin page's pickers. */
export const fieldTypeLabel = (field: FieldDetails): string => {
  const type = jiraFieldTypeOf(field);
  if (type) return RECOMMENDED_FIELD_TYPES[type].label;
  return field.schema?.type ?? 'unknown type';
};

/** The `POST /rest/api/3/field` body for a CC8.1 field. */
export const recommendedFieldDefinition = (key: FieldKey): CreateCustomField => {
  const def = FIELD_DEFS[key];
  const type = RECOMMENDED_FIELD_TYPES[def.jira];
  return { name: def.label, description: `CC8.1 change control: ${def.label}. Created by the CC8.1 Change Control app.`, type: type.type, searcherKey: type.searcherKey };
};
