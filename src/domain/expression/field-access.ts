import { FIELD_DEFS, FieldKey, OptionField } from '../change-model';
import { allLabels, labelsFor, type OptionValue } from '../option-labels';
import { fieldTypeOf, type Policy } from '../policy';

/** System fields a Jira expression can read, by REST field id → expression member. */
const SYSTEM_MEMBERS: Record<string, string> = {
  summary: 'summary',
  description: 'description',
  reporter: 'reporter',
  assignee: 'assignee',
  labels: 'labels',
  environment: 'environment',
};

/** `issue.<member>` for a mapped Jira field id, or null when expressions cannot read it. */
export const issueMember = (fieldId: string): string | null => {
  if (/^customfield_\d+$/.test(fieldId)) return fieldId;
  return SYSTEM_MEMBERS[fieldId] ?? null;
};

/** Custom fields (and entity properties) are the expensive operations Jira counts. */
export const isExpensiveField = (fieldId: string): boolean => fieldId.startsWith('customfield_');

/** A single-quoted Jira expression string literal. */
export const str = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const list = (items: readonly string[]): string => `[${items.map(str).join(', ')}]`;

/** Custom fields reach expressions as REST returns them (rich text as an ADF map, date-times as strings). */
const isCustom = (fieldId: string): boolean => fieldId.startsWith('customfield_');

/**
 * The `let` bindings that read a field into variable `v`, read once. Custom date-times are REST
 * strings, so they are wrapped in a Date; everything else is bound as read.
 */
export const bindField = (field: FieldKey, v: string, fieldId: string): string[] => {
  const read = `issue.${issueMember(fieldId)}`;
  if (FIELD_DEFS[field].jira === 'datetime' && isCustom(fieldId)) return [`let ${v}r = ${read};`, `let ${v} = ${v}r != null ? new Date(${v}r) : null;`];
  return [`let ${v} = ${read};`];
};

/** Boolean expression: the field held in variable `v` has a usable value (mirrors `hasValue`). */
export const presentExpr = (field: FieldKey, v: string, fieldId: string, policy: Pick<Policy, 'optionLabels' | 'fieldTypes'>): string => {
  switch (fieldTypeOf(policy, field)) {
    case 'string':
      return `(${v} != null && ${v}.trim() != '')`;
    case 'multioption':
      return `(${v} != null && ${v}.some(o => o.value.trim() != ''))`;
    case 'richtext':
      return isCustom(fieldId) ? `(${v} != null && new RichText(${v}).plainText.trim() != '')` : `(${v} != null && ${v}.plainText.trim() != '')`;
    case 'labels':
      return `(${v} != null && ${v}.some(x => x.trim() != ''))`;
    case 'option':
      return `(${v} != null && ${list(allLabels(policy, field as OptionField))}.includes(${v}.value))`;
    case 'user':
    case 'datetime':
      return `${v} != null`;
  }
};

/** Boolean expression: option field `v` holds one of the given domain values. */
export const optionIn = <F extends OptionField>(policy: Pick<Policy, 'optionLabels'>, field: F, v: string, values: readonly OptionValue<F>[]): string => {
  const labels = values.flatMap((value) => labelsFor(policy, field, value));
  return labels.length === 1 ? `(${v}?.value == ${str(labels[0]!)})` : `(${v} != null && ${list(labels)}.includes(${v}.value))`;
};
