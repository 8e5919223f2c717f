/**
 * What the sandbox UI needs to know about the site that REST alone does not say: which Jira field
 * holds each CC8.1 field (the app's policy mapping), the option labels, and which CC8.1 fields each
 * transition screen shows. Built from the sandbox state on every page load, so a policy change
 * shows on the next reload.
 */
import { EDGES, EVIDENCE_PROPERTY_KEY, FIELD_DEFS, FIELD_KEYS, FieldKey, fieldTypeOf, JiraFieldType, OPTION_LABELS, OptionField, ruleInputFields } from '../../src/domain';
import { fieldOptions, SandboxState } from '../state/sandbox-state';

export interface PageFieldConfig {
  key: FieldKey;
  label: string;
  /** The Jira field type, which fixes the REST v3 shape (`richtext` is ADF). */
  type: JiraFieldType;
  fieldId: string;
  /** Select options: domain value, Jira label and option id. */
  options?: { value: string; label: string; id: string }[];
}

export interface PageScreenConfig {
  edge: string;
  name: string;
  from: string;
  to: string;
  /** The CC8.1 fields on this transition's screen, in field order. */
  fields: FieldKey[];
  /** The fields the step requires outright (the validators also check conditional ones). */
  required: FieldKey[];
}

export interface PageConfig {
  projectKey: string;
  jql: string;
  evidenceProperty: string;
  fields: PageFieldConfig[];
  screens: PageScreenConfig[];
}

const inFieldOrder = (keys: Iterable<FieldKey>): FieldKey[] => {
  const wanted = new Set(keys);
  return FIELD_KEYS.filter((key) => wanted.has(key));
};

export const buildPageConfig = (state: SandboxState): PageConfig => {
  const ids = state.policy.fields;
  const fields: PageFieldConfig[] = [];
  for (const key of FIELD_KEYS) {
    const fieldId = ids[key];
    if (!fieldId) continue;
    const def = FIELD_DEFS[key];
    const field: PageFieldConfig = { key, label: def.label, type: fieldTypeOf(state.policy, key), fieldId };
    if (key in OPTION_LABELS) {
      // The field's own options (the site's labels, with their ids); an app label's value is its domain value.
      const own = Object.entries(OPTION_LABELS[key as OptionField] as Record<string, string>);
      field.options = fieldOptions(state, fieldId).map((option) => ({ value: own.find(([, label]) => label === option.value)?.[0] ?? option.value, label: option.value, id: option.id }));
    }
    fields.push(field);
  }
  const mapped = new Set(fields.map((f) => f.key));
  const screens = EDGES.map((edge): PageScreenConfig => {
    const extra = state.policy.additionalRequiredFields[edge.id] ?? [];
    const required = [...edge.rules.flatMap((rule) => (rule.kind === 'required' ? [rule.field] : [])), ...extra];
    return {
      edge: edge.id,
      name: edge.name,
      from: edge.from,
      to: edge.to,
      fields: inFieldOrder([...edge.rules.flatMap(ruleInputFields), ...extra]).filter((key) => mapped.has(key)),
      required: inFieldOrder(required),
    };
  });
  return {
    projectKey: state.project.key,
    jql: `project = ${state.project.key} ORDER BY key ASC`,
    evidenceProperty: EVIDENCE_PROPERTY_KEY,
    fields,
    screens,
  };
};
