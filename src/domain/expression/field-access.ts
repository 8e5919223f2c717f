import { FieldKey, OptionField } from '../change-model';
import { allReadings, readingsOf, type OptionValue } from '../option-labels';
import { fieldTypeOf, type Policy } from '../policy';

/** System fields a Jira expression can read, by REST field id → expression member. */
const SYSTEM_MEMBERS: Record<string, string> = {
  summary: 'summary',
  description: 'description',
  reporter: 'reporter',
  assignee: 'assignee',
  labels: 'labels',
  components: 'components',
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
 * strings, so they are wrapped in a Date; everything else (a date picker's "YYYY-MM-DD" too) is
 * bound as read.
 */
export const bindField = (field: FieldKey, v: string, fieldId: string, policy: Pick<Policy, 'fieldTypes'>): string[] => {
  const read = `issue.${issueMember(fieldId)}`;
  if (fieldTypeOf(policy, field) === 'datetime' && isCustom(fieldId)) return [`let ${v}r = ${read};`, `let ${v} = ${v}r != null ? new Date(${v}r) : null;`];
  return [`let ${v} = ${read};`];
};

/** A label as the domain compares it (`normalizeLabel`): without outer spaces, in lower case. */
const normalized = (label: string): string => `${label}.trim().toLowerCase()`;

/** A cascading select's label as the domain reads it, normalized: the child's where mapped, else the parent's, else "Parent - Child". */
const cascadeLabel = (v: string, all: string): string => {
  const child = normalized(`${v}.child.value`);
  const parent = normalized(`${v}.value`);
  return `(${v}.child != null && ${all}.includes(${child}) ? ${child} : ${v}.child == null || ${all}.includes(${parent}) ? ${parent} : ${normalized(`(${v}.value + ' - ' + ${v}.child.value)`)})`;
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
      return `(${v} != null && ${list(allReadings(policy, field as OptionField))}.includes(${normalized(`${v}.value`)}))`;
    case 'cascadingoption': {
      const all = list(allReadings(policy, field as OptionField));
      return `(${v} != null && ${all}.includes(${cascadeLabel(v, all)}))`;
    }
    case 'components':
    case 'services':
    case 'multiuser':
      return `(${v} != null && ${v}.length > 0)`;
    case 'user':
    case 'group':
    case 'datetime':
    case 'date':
      return `${v} != null`;
  }
};

/** Boolean expression: option field `v` holds one of the given domain values (labels compared as the domain does). */
export const optionIn = <F extends OptionField>(policy: Pick<Policy, 'optionLabels' | 'fieldTypes'>, field: F, v: string, values: readonly OptionValue<F>[]): string => {
  const readings = values.flatMap((value) => readingsOf(policy, field, value));
  if (fieldTypeOf(policy, field) === 'cascadingoption') return `(${v} != null && ${list(readings)}.includes(${cascadeLabel(v, list(allReadings(policy, field)))}))`;
  const label = normalized(`${v}.value`);
  return readings.length === 1 ? `(${v} != null && ${label} == ${str(readings[0]!)})` : `(${v} != null && ${list(readings)}.includes(${label}))`;
};

/** Boolean expression: role field `v` names the current user (the person; one of those listed; a member of the group). */
export const namesUserExpr = (policy: Pick<Policy, 'fieldTypes'>, field: FieldKey, v: string): string => {
  switch (fieldTypeOf(policy, field)) {
    case 'multiuser':
      return `(${v} != null && ${v}.some(u => u.accountId == user.accountId))`;
    case 'group':
      return `(${v} != null && user.groups.includes(${v}.name))`;
    default:
      return `(${v}?.accountId == user.accountId)`;
  }
};
