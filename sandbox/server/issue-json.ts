/**
 * Issues as REST v3 returns them (`IssueBean`): the fields a `fields` list selects (`*all`,
 * `*navigable`, ids, `-id` to exclude; fields without a value as null), `properties`, and the
 * `changelog` and `names` expansions. Values are copies: a response never shares objects with the state.
 */
import type { SandboxIssue, SandboxState } from '../state/sandbox-state';

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

export const issueBean = (state: SandboxState, issue: SandboxIssue, view: IssueView, baseUrl: string): Record<string, unknown> => {
  const bean: Record<string, unknown> = { expand: EXPANDABLE, id: issue.id, self: issueSelf(baseUrl, issue), key: issue.key };
  bean.fields = selectFields(state, issue, view.fields);
  if (view.expand.has('names')) {
    bean.names = Object.fromEntries(Object.keys(bean.fields as object).map((id) => [id, state.fields.find((f) => f.id === id)?.name ?? id]));
  }
  const propertyKeys = view.properties === 'all' ? Object.keys(issue.properties) : view.properties;
  if (view.properties === 'all' || propertyKeys.length) {
    bean.properties = Object.fromEntries(propertyKeys.filter((key) => key in issue.properties).map((key) => [key, copy(issue.properties[key])]));
  }
  if (view.expand.has('changelog')) {
    // As the document says: the most recent first.
    const histories = [...issue.changelog].reverse().slice(0, EXPANDED_CHANGELOG_LIMIT);
    bean.changelog = { startAt: 0, maxResults: histories.length, total: issue.changelog.length, histories: copy(histories) };
  }
  return bean;
};
