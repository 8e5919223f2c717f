/**
 * Transition-screen values: what a client sends with `POST /issue/{key}/transitions` (`fields`, by
 * field id, in REST v3 input shapes) normalized to the shapes the issue then holds (what GET issue
 * and Jira expressions see), with Jira's per-field errors for what it would refuse. And the
 * `modifiedFields` a Forge function validator receives for them.
 */
import { AdfNodeSchema, parseJiraTimestamp } from '../../src/jira/schemas';
import { adf, jiraTimestamp } from '../state/jira-json';
import { fieldById, fieldOptions, findUser, optionJson, SandboxField, SandboxState, userJson } from '../state/sandbox-state';

export type ScreenFieldsResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** Fields no transition screen can set. */
const READ_ONLY = new Set(['status', 'created', 'creator', 'updated', 'issuetype', 'project']);

/** Forge leaves these out of `modifiedFields` (FORGE-NOTES.md: Summary is not among the listed types). */
const NOT_IN_MODIFIED_FIELDS = new Set(['summary']);

export const notOnScreen = (fieldId: string): string => `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;

type Normalized = { ok: true; value: unknown } | { ok: false; error: string };
const ok = (value: unknown): Normalized => ({ ok: true, value });
const bad = (error: string): Normalized => ({ ok: false, error });

const isRichText = (field: SandboxField): boolean => field.schema.system === 'description' || (field.schema.custom ?? '').endsWith(':textarea');

const richText = (value: unknown): Normalized => {
  if (typeof value === 'string') return ok(adf(value)); // lenient: a plain string becomes a one-paragraph-per-line document
  const doc = AdfNodeSchema.safeParse(value);
  return doc.success && doc.data.type === 'doc' ? ok(value) : bad('Operation value must be an Atlassian Document (see the Atlassian Document Format).');
};

/** A select-list value by option id or value, from the field's own (enabled) options. */
const option = (state: SandboxState, field: SandboxField, value: unknown): Normalized => {
  const wanted = typeof value === 'string' ? { value } : value && typeof value === 'object' ? (value as { id?: unknown; value?: unknown }) : null;
  const found = wanted ? fieldOptions(state, field.id).find((o) => (wanted.id !== undefined ? String(wanted.id) === o.id : wanted.value === o.value)) : undefined;
  return found ? ok(optionJson(found)) : bad(`Specify a valid 'id' or 'name' for ${field.name}`);
};

const user = (state: SandboxState, field: SandboxField, value: unknown): Normalized => {
  const accountId = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { accountId?: unknown }).accountId : undefined;
  const found = typeof accountId === 'string' ? findUser(state, accountId) : undefined;
  return found ? ok(userJson(found)) : bad(`Specify a valid user for ${field.name}.`);
};

const labels = (value: unknown): Normalized => {
  if (!Array.isArray(value) || !value.every((label) => typeof label === 'string')) return bad('Operation value must be an array of strings.');
  const spaced = value.find((label: string) => /\s/.test(label));
  return spaced === undefined ? ok([...value]) : bad(`The label '${spaced}' contains spaces which is invalid.`);
};

const dateTime = (field: SandboxField, value: unknown): Normalized => {
  const date = typeof value === 'string' ? parseJiraTimestamp(value) : null;
  return date ? ok(jiraTimestamp(date)) : bad(`Specify a valid date and time for ${field.name}, e.g. 2026-03-15T23:10:00.000+0000.`);
};

const people = (state: SandboxState, field: SandboxField, value: unknown): Normalized => {
  if (!Array.isArray(value)) return bad(`Specify a list of users for ${field.name}.`);
  const out = [];
  for (const entry of value) {
    const one = user(state, field, entry);
    if (!one.ok) return one;
    out.push(one.value);
  }
  return ok(out);
};

/** Components by id or name, from the project's own. */
const components = (state: SandboxState, value: unknown): Normalized => {
  if (!Array.isArray(value)) return bad('Operation value must be an array of components.');
  const out = [];
  for (const entry of value) {
    const wanted: { id?: unknown; name?: unknown } = entry && typeof entry === 'object' ? (entry as { id?: unknown; name?: unknown }) : { name: entry };
    const found = state.components.find((c) => (wanted.id !== undefined ? String(wanted.id) === c.id : wanted.name === c.name));
    if (!found) return bad(`Component name '${String(wanted.name ?? wanted.id)}' is not valid`);
    out.push({ self: `http://localhost/rest/api/3/component/${found.id}`, id: found.id, name: found.name });
  }
  return ok(out);
};

/** A group by name, from the groups the site's users are in. */
const group = (state: SandboxState, field: SandboxField, value: unknown): Normalized => {
  const name = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { name?: unknown }).name : undefined;
  const known = typeof name === 'string' && state.users.some((u) => u.groups.includes(name));
  return known ? ok({ name, groupId: `group-${name}`, self: `http://localhost/rest/api/3/group?groupname=${name}` }) : bad(`Specify a valid group for ${field.name}.`);
};

/** A date picker's day, YYYY-MM-DD. */
const day = (field: SandboxField, value: unknown): Normalized =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? ok(value) : bad(`Specify a valid date for ${field.name}, e.g. 2026-03-15.`);

const normalize = (state: SandboxState, field: SandboxField, value: unknown): Normalized => {
  if (field.id === 'summary') return typeof value === 'string' && value.trim() ? ok(value) : bad('You must specify a summary of the issue.');
  if (value === null) return ok(null);
  if (isRichText(field)) return richText(value);
  switch (field.schema.type) {
    case 'string':
      return typeof value === 'string' ? ok(value) : bad('Operation value must be a string');
    case 'option':
      return option(state, field, value);
    case 'user':
      return user(state, field, value);
    case 'array':
      if (field.schema.items === 'user') return people(state, field, value);
      if (field.schema.items === 'component') return components(state, value);
      if (field.schema.items === 'option') {
        if (!Array.isArray(value)) return bad('Operation value must be an array of options.');
        const picked = value.map((v) => option(state, field, v));
        const wrong = picked.find((r) => !r.ok);
        return wrong ?? ok(picked.map((r) => (r.ok ? r.value : null)));
      }
      return labels(value);
    case 'group':
      return group(state, field, value);
    case 'date':
      return day(field, value);
    case 'datetime':
      return dateTime(field, value);
    default:
      return bad(notOnScreen(field.id));
  }
};

/** Normalizes screen values; any invalid or unknown field fails the whole request, as in Jira. */
export const normalizeScreenFields = (state: SandboxState, input: Record<string, unknown>): ScreenFieldsResult => {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [id, value] of Object.entries(input)) {
    const field = fieldById(state, id);
    if (!field || READ_ONLY.has(id)) {
      errors[id] = notOnScreen(id);
      continue;
    }
    const result = normalize(state, field, value === undefined ? null : value);
    if (result.ok) values[id] = result.value;
    else errors[id] = result.error;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
};

/** The function validator's `modifiedFields` for normalized screen values: user fields as bare account ids, no summary. */
export const modifiedFieldsOf = (state: SandboxState, values: Record<string, unknown>): Record<string, unknown> => {
  const modified: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(values)) {
    if (NOT_IN_MODIFIED_FIELDS.has(id)) continue;
    const schema = fieldById(state, id)?.schema;
    if (schema?.type === 'array' && schema.items === 'user') modified[id] = Array.isArray(value) ? (value as { accountId: string }[]).map((u) => u.accountId) : null;
    else if (schema?.type === 'user') modified[id] = (value as { accountId?: string } | null)?.accountId ?? null;
    else modified[id] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return modified;
};
