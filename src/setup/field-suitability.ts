/**
 * Which Jira fields can hold which CC8.1 field (by the Jira field's type, and only fields the
 * compiled rules can read), and the custom field type the "create recommended fields" action uses
 * for each CC8.1 field.
 */
import { canHold, FIELD_DEFS, FIELD_KEYS, holdersInWords, JIRA_FIELD_TYPE_WORDS, whyCannotHold, type FieldKey, type JiraFieldType } from '../domain';
import { issueMember } from '../domain/expression/field-access';
import type { CreateCustomField, FieldDetails } from '../jira/workflow-schemas';

const TYPES = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** The Jira field types the app creates fields of: each CC8.1 field's own. */
type CreatedType = (typeof FIELD_DEFS)[FieldKey]['jira'];

/** The custom field type and searcher each CC8.1 field type gets when the app creates it. */
export const RECOMMENDED_FIELD_TYPES: Readonly<Record<CreatedType, { type: string; searcherKey: string }>> = {
  string: { type: `${TYPES}textfield`, searcherKey: `${TYPES}textsearcher` },
  richtext: { type: `${TYPES}textarea`, searcherKey: `${TYPES}textsearcher` },
  option: { type: `${TYPES}select`, searcherKey: `${TYPES}multiselectsearcher` },
  user: { type: `${TYPES}userpicker`, searcherKey: `${TYPES}userpickergroupsearcher` },
  labels: { type: `${TYPES}labels`, searcherKey: `${TYPES}labelsearcher` },
  datetime: { type: `${TYPES}datetime`, searcherKey: `${TYPES}datetimerange` },
};

/** Site custom field types (schema.custom) → the type the app reads them as. */
const CUSTOM_TYPES: Readonly<Record<string, JiraFieldType>> = {
  [`${TYPES}textfield`]: 'string',
  [`${TYPES}textarea`]: 'richtext',
  [`${TYPES}select`]: 'option',
  [`${TYPES}radiobuttons`]: 'option',
  [`${TYPES}cascadingselect`]: 'cascadingoption',
  [`${TYPES}multiselect`]: 'multioption',
  [`${TYPES}multicheckboxes`]: 'multioption',
  [`${TYPES}userpicker`]: 'user',
  [`${TYPES}multiuserpicker`]: 'multiuser',
  [`${TYPES}grouppicker`]: 'group',
  [`${TYPES}labels`]: 'labels',
  [`${TYPES}datetime`]: 'datetime',
  [`${TYPES}datepicker`]: 'date',
  // Jira Service Management's Affected services.
  'com.atlassian.jira.plugins.service-entity:service-entity-field-cftype': 'services',
};

/** System fields (schema.system) the compiled rules can read → their type. */
const SYSTEM_TYPES: Readonly<Record<string, JiraFieldType>> = {
  summary: 'string',
  description: 'richtext',
  environment: 'richtext',
  reporter: 'user',
  assignee: 'user',
  labels: 'labels',
  components: 'components',
};

/** The CC8.1 field type a Jira field's schema can hold, if any. */
export const jiraFieldTypeOf = (field: FieldDetails): JiraFieldType | null => {
  const schema = field.schema;
  if (!schema) return null;
  if (schema.custom) return CUSTOM_TYPES[schema.custom] ?? null;
  return SYSTEM_TYPES[schema.system ?? ''] ?? null;
};

/**
 * Why `field` cannot hold the CC8.1 field `key`, in words for the admin page; null when it can.
 * A type the app does not read (a checkbox, a number) or a field no Jira expression reads says so.
 */
export const whyFieldCannotHold = (field: FieldDetails, key: FieldKey): string | null => {
  const label = FIELD_DEFS[key].label;
  if (issueMember(field.id) === null) return `Jira workflow rules cannot read the system field "${field.name}".`;
  const type = jiraFieldTypeOf(field);
  const needs = `${label} needs ${holdersInWords(key)}`;
  if (!type) return `"${field.name}" is a ${fieldTypeLabel(field)} field, which the app does not read. ${needs}.`;
  switch (whyCannotHold(type, key)) {
    case null:
      return null;
    case 'group-role':
      return `"${field.name}" is a group picker: ${label} must be one person, because segregation of duties compares who acted with who approved and verified. Use a user picker.`;
    case 'type':
      return `"${field.name}" is a ${fieldTypeLabel(field)} field, which cannot hold ${label}: it needs ${holdersInWords(key)}.`;
  }
};

/**
 * For each CC8.1 field `field` looks meant for (its name contains the field's label) but cannot
 * hold, why not: the admin page shows it under that field's picker, which does not offer it.
 */
export const unsuitableLookalikes = (field: FieldDetails): Partial<Record<FieldKey, string>> => {
  const name = field.name.toLowerCase();
  const out: Partial<Record<FieldKey, string>> = {};
  for (const key of FIELD_KEYS) {
    if (!name.includes(FIELD_DEFS[key].label.toLowerCase())) continue;
    const why = whyFieldCannotHold(field, key);
    if (why !== null) out[key] = why;
  }
  return out;
};

/** The CC8.1 fields `field` can hold (its type is one that holds their kind), readable by the compiled rules. */
export const suitableFieldKeys = (field: FieldDetails): FieldKey[] => {
  const type = jiraFieldTypeOf(field);
  if (!type || issueMember(field.id) === null) return [];
  return FIELD_KEYS.filter((key) => canHold(type, key));
};

/** Custom field types the app reads as another type's, named as Jira names them. */
const CUSTOM_LABELS: Readonly<Record<string, string>> = {
  [`${TYPES}radiobuttons`]: 'radio buttons',
  [`${TYPES}multicheckboxes`]: 'checkboxes',
};

/** The Jira field type in words, for the admin page's pickers. */
export const fieldTypeLabel = (field: FieldDetails): string => {
  const custom = field.schema?.custom;
  if (custom && CUSTOM_LABELS[custom]) return CUSTOM_LABELS[custom];
  const type = jiraFieldTypeOf(field);
  if (type) return JIRA_FIELD_TYPE_WORDS[type];
  if (custom) return custom.split(':').pop() ?? custom;
  return field.schema?.type ?? 'unknown type';
};

/** The `POST /rest/api/3/field` body for a CC8.1 field. */
export const recommendedFieldDefinition = (key: FieldKey): CreateCustomField => {
  const def = FIELD_DEFS[key];
  const type = RECOMMENDED_FIELD_TYPES[def.jira];
  return { name: def.label, description: `CC8.1 change control: ${def.label}. Created by the CC8.1 Change Control app.`, type: type.type, searcherKey: type.searcherKey };
};
