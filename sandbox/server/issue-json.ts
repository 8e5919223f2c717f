/**
 * Issues as REST v3 returns them (`IssueBean`): the fields a `fields` list selects (`*all`,
 * `*navigable`, ids, `-id` to exclude; fields without a value as null), `properties`, and the
 * `changelog` and `names` expansions. Values are copies: a response never shares objects with the state.
 */
import { adfText, isAdfDoc } from '../state/jira-json';
import type { SandboxIssue, SandboxState } from '../state/sandbox-state';
import { restFieldValue, restUser } from './rest-values';

export interface FieldSelection {
  all: boolean;
  include: Set<string>;
  exclude: Set<string>;
}

export interface IssueView {
  fields: FieldSelection;
  expand: Set<string>;
  /** Property keys to include, or all of them. */
  properties: string[] | 'all';
}

/** The items of comma lists (`fields`, `expand`, `properties`), trimmed, without empties. */
export const commaList = (...lists: (string | string[] | undefined)[]): string[] =>
  lists
    .flatMap((list) => (list === undefined ? [] : Array.isArray(list) ? list : [list]))
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);

export const parseFieldSelection = (items: string[]): FieldSelection => {
  const selection: FieldSelection = { all: false, include: new Set(), exclude: new Set() };
  for (const item of items) {
    if (item === '*all' || item === '*navigable') selection.all = true;
    else if (item.startsWith('-')) selection.exclude.add(item.slice(1));
    else selection.include.add(item);
  }
  return selection;
};

export const parseView = (fields: string[], expand: string[], properties: string[]): IssueView => ({
  fields: parseFieldSelection(fields),
  expand: new Set(expand),
  properties: properties.includes('*all') ? 'all' : properties,
});

/** `fields=id` (the search default): the issue is only its id. */
export const isIdOnly = (selection: FieldSelection): boolean => !selection.all && [...selection.include].every((id) => id === 'id');

const copy = <T>(value: T): T => (value === undefined ? value : (structuredClone(value) as T));

export const selectFields = (state: SandboxState, issue: SandboxIssue, selection: FieldSelection): Record<string, unknown> => {
  const known = new Set([...state.fields.map((f) => f.id), ...Object.keys(issue.fields)]);
  const ids = selection.all ? [...known] : [...selection.include].filter((id) => known.has(id));
  return Object.fromEntries(ids.filter((id) => !selection.exclude.has(id)).map((id) => [id, copy(issue.fields[id] ?? null)]));
};

/** At most this many histories come with `expand=changelog` (the changelog endpoint pages the rest). */
export const EXPANDED_CHANGELOG_LIMIT = 100;

export const EXPANDABLE = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

export const issueSelf = (baseUrl: string, issue: SandboxIssue): string => `${baseUrl}/rest/api/3/issue/${issue.id}`;

/** `names`: each field's name. */
export const fieldNames = (state: SandboxState, fieldIds: readonly string[]): Record<string, string> =>
  Object.fromEntries(fieldIds.map((id) => [id, state.fields.find((f) => f.id === id)?.name ?? id]));

/** `schema`: each field's `JsonTypeBean` (as `/field` reports it). */
export const fieldSchemas = (state: SandboxState, fieldIds: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(
    fieldIds.flatMap((id) => {
      const schema = state.fields.find((f) => f.id === id)?.schema;
      return schema ? [[id, { ...schema }]] : [];
    }),
  );

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `renderedFields`: rich text as HTML paragraphs, date-times as Jira shows them; other fields null (as Jira leaves them). */
const renderedFields = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([id, value]) => {
      if (isAdfDoc(value)) return [id, adfText(value).split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join('')];
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        return [id, Number.isNaN(date.getTime()) ? value : date.toUTCString()];
      }
      return [id, null];
    }),
  );


export interface BeanOptions {
  /** `names`, `schema` and `renderedFields` in the bean (GET issue); search puts `names` and `schema` at its own top level. */
  topLevel?: boolean;
}

export const issueBean = (state: SandboxState, issue: SandboxIssue, view: IssueView, baseUrl: string, options: BeanOptions = {}): Record<string, unknown> => {
  const bean: Record<string, unknown> = { expand: EXPANDABLE, id: issue.id, self: issueSelf(baseUrl, issue), key: issue.key };
  const fields = Object.fromEntries(Object.entries(selectFields(state, issue, view.fields)).map(([id, value]) => [id, restFieldValue(state, id, value, baseUrl)]));
  bean.fields = fields;
  if (options.topLevel !== false) {
    if (view.expand.has('names')) bean.names = fieldNames(state, Object.keys(fields));
    if (view.expand.has('schema')) bean.schema = fieldSchemas(state, Object.keys(fields));
  }
  if (view.expand.has('renderedFields')) bean.renderedFields = renderedFields(fields);
  const propertyKeys = view.properties === 'all' ? Object.keys(issue.properties) : view.properties;
  if (view.properties === 'all' || propertyKeys.length) {
    bean.properties = Object.fromEntries(propertyKeys.filter((key) => key in issue.properties).map((key) => [key, copy(issue.properties[key])]));
  }
  if (view.expand.has('changelog')) {
    // As the document says: the most recent first.
    const histories = [...issue.changelog].reverse().slice(0, EXPANDED_CHANGELOG_LIMIT);
    const withAuthors = copy(histories).map((h) => (h.author ? { ...h, author: restUser(state, h.author as unknown as Record<string, unknown>, baseUrl) } : h));
    bean.changelog = { startAt: 0, maxResults: histories.length, total: issue.changelog.length, histories: withAuthors };
  }
  return bean;
};
