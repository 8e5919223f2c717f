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
      return labels(value);
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
    const isUser = fieldById(state, id)?.schema.type === 'user';
    modified[id] = isUser ? ((value as { accountId?: string } | null)?.accountId ?? null) : JSON.parse(JSON.stringify(value)) as unknown;
  }
  return modified;
};
