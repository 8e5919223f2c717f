/**
 * What a JQL field reference means on the sandbox site, and an issue's current value of it in a
 * canonical form the evaluator compares: ids for projects, issue types, statuses, issues, options
 * and users; labels as they are; epoch ms for dates; lower-cased leaves for issue properties.
 */
import { parseJiraTimestamp } from '../../src/jira/schemas';
import { adfText } from '../state/jira-json';
import type { SandboxField, SandboxIssue, SandboxState } from '../state/sandbox-state';
import type { FieldRef } from './jql-ast';
import { unknownField } from './jql-errors';
import { POSTHOC_PROPERTY_KEY, POSTHOC_SEARCH_ALIASES } from '../../src/sweep/posthoc-property';

export type JqlFieldKind = 'project' | 'issuetype' | 'status' | 'key' | 'labels' | 'user' | 'option' | 'datetime' | 'text' | 'property';

export interface JqlField {
  kind: JqlFieldKind;
  /** How messages name the field: the clause name for system fields, the field name for custom ones. */
  label: string;
  /** The key in `issue.fields` (unused for `key` and `property`). */
  fieldId: string;
  field?: SandboxField;
  property?: { key: string; path: string[] };
}

const SYSTEM: Record<string, { kind: JqlFieldKind; fieldId: string }> = {
  project: { kind: 'project', fieldId: 'project' },
  issuetype: { kind: 'issuetype', fieldId: 'issuetype' },
  type: { kind: 'issuetype', fieldId: 'issuetype' },
  status: { kind: 'status', fieldId: 'status' },
  key: { kind: 'key', fieldId: 'key' },
  issuekey: { kind: 'key', fieldId: 'key' },
  issue: { kind: 'key', fieldId: 'key' },
  id: { kind: 'key', fieldId: 'key' },
  labels: { kind: 'labels', fieldId: 'labels' },
  reporter: { kind: 'user', fieldId: 'reporter' },
  created: { kind: 'datetime', fieldId: 'created' },
  createddate: { kind: 'datetime', fieldId: 'created' },
  updated: { kind: 'datetime', fieldId: 'updated' },
  updateddate: { kind: 'datetime', fieldId: 'updated' },
  summary: { kind: 'text', fieldId: 'summary' },
  description: { kind: 'text', fieldId: 'description' },
};

const KIND_BY_SCHEMA: Record<string, JqlFieldKind> = {
  option: 'option',
  user: 'user',
  array: 'labels',
  datetime: 'datetime',
  string: 'text',
  status: 'status',
  issuetype: 'issuetype',
  project: 'project',
};

const fromSandboxField = (field: SandboxField): JqlField | null => {
  const kind = KIND_BY_SCHEMA[field.schema.type];
  return kind ? { kind, label: field.custom ? field.name : field.id, fieldId: field.id, field } : null;
};

/** The app's indexed entity-property values by search alias (Jira knows them once the app's module is installed). */
const ALIASES = new Map(POSTHOC_SEARCH_ALIASES.map((alias) => [alias.searchAlias.toLowerCase(), alias]));

/** The field a reference names, or the message Jira gives for an unknown one. */
export const resolveField = (state: SandboxState, ref: FieldRef): JqlField | string => {
  if (ref.kind === 'property') return { kind: 'property', label: `issue.property[${ref.key}]`, fieldId: ref.key, property: { key: ref.key, path: ref.path } };
  const alias = ref.kind === 'name' ? ALIASES.get(ref.name.toLowerCase()) : undefined;
  if (alias) return { kind: alias.type === 'date' ? 'datetime' : 'property', label: alias.searchAlias, fieldId: POSTHOC_PROPERTY_KEY, property: { key: POSTHOC_PROPERTY_KEY, path: [alias.path] } };
  if (ref.kind === 'cf') {
    const field = state.fields.find((f) => f.custom && String(f.schema.customId) === ref.id);
    return (field && fromSandboxField(field)) ?? unknownField(`cf[${ref.id}]`);
  }
  const name = ref.name.toLowerCase();
  const system = SYSTEM[name];
  if (system) return { ...system, label: ref.name, field: state.fields.find((f) => f.id === system.fieldId) };
  const field = state.fields.find((f) => f.id.toLowerCase() === name) ?? state.fields.find((f) => f.name.toLowerCase() === name);
  return (field && fromSandboxField(field)) ?? unknownField(ref.name);
};

const propertyLeaves = (value: unknown, path: string[]): string[] => {
  let nodes: unknown[] = [value];
  for (const segment of path) {
    nodes = nodes.flatMap((node) => (Array.isArray(node) ? node : [node])).flatMap((node) => (node && typeof node === 'object' && segment in node ? [(node as Record<string, unknown>)[segment]] : []));
  }
  return nodes
    .flatMap((node) => (Array.isArray(node) ? node : [node]))
    .filter((leaf): leaf is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof leaf))
    .map((leaf) => String(leaf).toLowerCase());
};

/** A property's value at a path, as stored. */
const propertyValue = (issue: SandboxIssue, property: { key: string; path: string[] }): unknown => {
  let node: unknown = issue.properties[property.key];
  for (const segment of property.path) node = node && typeof node === 'object' && segment in node ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
};

const idOf = (value: unknown, prop: 'id' | 'accountId'): string[] => {
  if (!value || typeof value !== 'object') return [];
  const id = (value as Record<string, unknown>)[prop];
  return typeof id === 'string' || typeof id === 'number' ? [String(id)] : [];
};

/** The issue's value of `field` as canonical tokens; empty when the field is empty. */
export const valuesOf = (issue: SandboxIssue, field: JqlField): string[] => {
  const raw = issue.fields[field.fieldId];
  switch (field.kind) {
    case 'key':
      return [issue.id];
    case 'property':
      return field.property && field.property.key in issue.properties ? propertyLeaves(issue.properties[field.property.key], field.property.path) : [];
    case 'project':
    case 'issuetype':
    case 'status':
    case 'option':
      return idOf(raw, 'id');
    case 'user':
      return idOf(raw, 'accountId');
    case 'labels':
      return Array.isArray(raw) ? raw.filter((label): label is string => typeof label === 'string') : [];
    case 'datetime': {
      // A date alias of an issue property reads the property's value.
      const source = field.property ? propertyValue(issue, field.property) : raw;
      const date = typeof source === 'string' || typeof source === 'number' ? parseJiraTimestamp(source) : null;
      return date ? [String(date.getTime())] : [];
    }
    case 'text': {
      const text = typeof raw === 'string' ? raw : raw ? adfText(raw) : '';
      return text.trim() ? [text] : [];
    }
  }
};
