import { defaultPolicy, FIELD_DEFS, FieldKey, OPTION_LABELS, OptionField, Policy, PolicySchema, STATES, State } from '../../src/domain';
import type { JiraWorkflow } from '../../src/jira/workflow-schemas';
import type { LogEntry } from '../../src/evidence-log/log-record';
import { newStoredKey, type StoredKey } from '../../src/evidence-log/mirror-seal';
import { installAppRules } from './app-rules-install';
import { adf, adfText, jiraTimestamp } from './jira-json';
import { bareWorkflowDocument } from './workflow-document';
import { jsmFields, JSM_COMPONENTS, JSM_FIELDS } from './jsm-site';

export interface SandboxUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
  active: boolean;
  groups: string[];
  timeZone: string;
}

export interface SandboxField {
  id: string;
  key: string;
  name: string;
  custom: boolean;
  schema: { type: string; items?: string; custom?: string; customId?: number; system?: string };
  /** The CC8.1 field this Jira field holds, if any. */
  cc81?: FieldKey;
}

/** One option of a select-list field's context (CustomFieldContextOption). */
export interface SandboxFieldOption {
  id: string;
  value: string;
  disabled: boolean;
}

/** A custom field context (CustomFieldContext plus its scope and options). */
export interface SandboxFieldContext {
  id: string;
  name: string;
  description: string;
  /** Empty: every project (a global context). */
  projectIds: string[];
  /** Empty: every issue type. */
  issueTypeIds: string[];
  options: SandboxFieldOption[];
}

/**
 * `demo`: the CC8.1 fields, tickets, a stored policy and the app's rules; `bare`: a fresh
 * company-managed project; `jsm`: a project with its own change fields, built like JSM's (issue 16).
 */
export type SandboxSite = 'demo' | 'bare' | 'jsm';
export const SANDBOX_SITES: readonly SandboxSite[] = ['demo', 'bare', 'jsm'];

export interface SandboxStatus {
  id: string;
  name: State;
  statusCategory: { id: number; key: string; name: string };
}

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface UserJson {
  accountId: string;
  displayName: string;
  active: boolean;
  emailAddress?: string;
  accountType: 'atlassian';
}

export interface ChangeHistory {
  id: string;
  author: UserJson | null;
  created: string;
  items: ChangeItem[];
}

export interface SandboxComment {
  id: string;
  author: UserJson;
  body: unknown;
  created: string;
  updated: string;
}

export interface SandboxIssue {
  id: string;
  key: string;
  /** REST v3 field values by field id (status, summary, description ADF, customfield_*, ...). */
  fields: Record<string, unknown>;
  changelog: ChangeHistory[];
  comments: SandboxComment[];
  properties: Record<string, unknown>;
}

export interface SandboxState {
  users: SandboxUser[];
  fields: SandboxField[];
  statuses: SandboxStatus[];
  project: { id: string; key: string; name: string };
  /** `classic`: company-managed (Forge workflow rules run); `next-gen`: team-managed. */
  projectStyle: 'classic' | 'next-gen';
  issueType: { id: string; name: string };
  /** The project's workflow for the Change issue type, as the workflows REST API holds it. */
  workflow: JiraWorkflow;
  /** Other projects and issue types (in the CHG project) using the same workflow: the shared-workflow scenario. */
  workflowAlsoUsedBy?: { projectIds: string[]; issueTypeIds: string[] };
  /** Whether the app's Marketplace license is active on this site. */
  licensed: boolean;
  /** Custom field contexts (with their options) by field id. */
  fieldContexts: Record<string, SandboxFieldContext[]>;
  issues: SandboxIssue[];
  /**
   * What the app's evidence log holds for tickets imported with their history (steps taken before
   * the sandbox ran); the workflow engine seeds the Forge runtime's app storage with it.
   */
  appEvidence: LogEntry[];
  /** The app's mirror-sealing key (app storage, `cc81:mirror-signing-key`): imported tickets' mirrors are sealed with it, as the recorder would. */
  appSigningKey: StoredKey;
  /**
   * The CC8.1 policy the sandbox's pages and screens use: the one the app stored in its KVS (kept
   * in sync by the workflow engine), else the defaults.
   */
  policy: Policy;
  /** The policy the app's KVS holds when the site starts (demo); null for none (bare). */
  initialStoredPolicy: Policy | null;
  site: SandboxSite;
  /** The project's components (the `jsm` site keeps target systems in them). */
  components: { id: string; name: string }[];
  counters: { issue: number; history: number; comment: number; field: number; context: number; option: number };
}

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress' },
  done: { id: 3, key: 'done', name: 'Done' },
};

/** Jira field type per CC8.1 field type, as /rest/api/3/field reports custom fields. */
const CUSTOM_SCHEMA: Record<string, SandboxField['schema']> = {
  string: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  richtext: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
  option: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
  user: { type: 'user', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker' },
  labels: { type: 'array', items: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:labels' },
  datetime: { type: 'datetime', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datetime' },
};

const SYSTEM_FIELDS: SandboxField[] = [
  { id: 'summary', key: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'description', key: 'description', name: 'Description', custom: false, schema: { type: 'string', system: 'description' } },
  { id: 'reporter', key: 'reporter', name: 'Reporter', custom: false, schema: { type: 'user', system: 'reporter' } },
  { id: 'status', key: 'status', name: 'Status', custom: false, schema: { type: 'status', system: 'status' } },
  { id: 'labels', key: 'labels', name: 'Labels', custom: false, schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'created', key: 'created', name: 'Created', custom: false, schema: { type: 'datetime', system: 'created' } },
  { id: 'creator', key: 'creator', name: 'Creator', custom: false, schema: { type: 'user', system: 'creator' } },
  { id: 'updated', key: 'updated', name: 'Updated', custom: false, schema: { type: 'datetime', system: 'updated' } },
  { id: 'issuetype', key: 'issuetype', name: 'Issue Type', custom: false, schema: { type: 'issuetype', system: 'issuetype' } },
  { id: 'project', key: 'project', name: 'Project', custom: false, schema: { type: 'project', system: 'project' } },
];

/** CC8.1 fields that live in system fields in the sandbox; the rest get custom fields. */
const SYSTEM_MAPPED: Partial<Record<FieldKey, string>> = { summary: 'summary', justification: 'description', requester: 'reporter' };

/** The demo site's option ids per CC8.1 option field and domain value (stable across restarts). */
export const optionId = (field: OptionField, value: string): string => {
  const base = { changeType: 10100, risk: 10200, verificationResult: 10300 }[field];
  return String(base + Object.keys(OPTION_LABELS[field]).indexOf(value));
};

/** First ids the site hands out for new custom fields, contexts and options (after the demo's). */
const FIRST_ID = { field: 10040, context: 10500, option: 10400 } as const;

export const CHANGE_PROJECT = { id: '10000', key: 'CHG', name: 'Change Management' } as const;
export const CHANGE_ISSUE_TYPE = { id: '10005', name: 'Change' } as const;

/** The name Jira gives the context it creates with a custom field. */
export const defaultContextName = (fieldName: string): string => `Default Configuration Scheme for ${fieldName}`;

export interface SandboxStateOptions {
  /** Default `demo`. */
  site?: SandboxSite;
}

/**
 * A site with project CHG (company-managed), issue type Change and the six lifecycle statuses.
 * `demo` (default): the CC8.1 custom fields with their options, a matching policy (also stored in
 * the app's KVS at start) and the app's rules installed on the workflow. `bare`: system fields
 * only, the default policy, nothing stored, a workflow without app rules. No tickets either way.
 */
export const createSandboxState = (users: SandboxUser[], policyOverrides: Record<string, unknown> = {}, options: SandboxStateOptions = {}): SandboxState => {
  const site = options.site ?? 'demo';
  const statuses: SandboxStatus[] = STATES.map((name, i) => ({
    id: String(10000 + i),
    name,
    statusCategory: i === 0 ? CATEGORY.new : name === 'Closed' ? CATEGORY.done : CATEGORY.indeterminate,
  }));
  const base: SandboxState = {
    users,
    fields: [...SYSTEM_FIELDS],
    statuses,
    project: { ...CHANGE_PROJECT },
    projectStyle: 'classic',
    issueType: { ...CHANGE_ISSUE_TYPE },
    workflow: bareWorkflowDocument(statuses),
    licensed: true,
    fieldContexts: {},
    issues: [],
    appEvidence: [],
    appSigningKey: newStoredKey(new Date(0)),
    policy: PolicySchema.parse({ ...defaultPolicy(), ...policyOverrides }),
    initialStoredPolicy: null,
    site,
    components: [],
    counters: { issue: 0, history: 0, comment: 0, field: FIRST_ID.field, context: FIRST_ID.context, option: FIRST_ID.option },
  };
  if (site === 'bare') return base;
  if (site === 'jsm') {
    const jsm = jsmFields(base.counters.field, base.counters);
    base.fields.push(...jsm.fields);
    base.counters.field += JSM_FIELDS.length;
    Object.assign(base.fieldContexts, jsm.contexts);
    base.components = JSM_COMPONENTS.map((c) => ({ ...c }));
    return base;
  }

  const custom: SandboxField[] = (Object.keys(FIELD_DEFS) as FieldKey[])
    .filter((key) => !SYSTEM_MAPPED[key])
    .map((key, i) => ({
      id: `customfield_${FIRST_ID.field + i}`,
      key: `customfield_${FIRST_ID.field + i}`,
      name: FIELD_DEFS[key].label,
      custom: true,
      schema: { ...CUSTOM_SCHEMA[FIELD_DEFS[key].jira]!, customId: FIRST_ID.field + i },
      cc81: key,
    }));
  base.fields.push(...custom);
  base.counters.field += custom.length;
  for (const field of custom) {
    if (!field.cc81 || !(field.cc81 in OPTION_LABELS)) continue;
    const key = field.cc81 as OptionField;
    const options = Object.entries(OPTION_LABELS[key] as Record<string, string>).map(([value, label]) => ({ id: optionId(key, value), value: label, disabled: false }));
    base.fieldContexts[field.id] = [{ id: String(base.counters.context++), name: defaultContextName(field.name), description: '', projectIds: [], issueTypeIds: [], options }];
  }
  const fieldIds = Object.fromEntries([...Object.entries(SYSTEM_MAPPED), ...custom.map((f) => [f.cc81!, f.id])]);
  const cab = users.filter((u) => u.groups.includes('cab-members'));
  base.policy = PolicySchema.parse({
    version: 1,
    scope: { projectId: base.project.id, projectKey: base.project.key, issueTypeId: base.issueType.id, issueTypeName: base.issueType.name },
    statuses: Object.fromEntries(statuses.map((s) => [s.name, s.id])),
    fields: fieldIds,
    cab: { requiredForRisks: ['medium', 'high'], groupName: 'cab-members', memberAccountIds: cab.map((u) => u.accountId) },
    // The compliance lead exports evidence on the project's CC8.1 evidence page without being a Jira admin.
    exporters: { groupName: 'compliance' },
    ...policyOverrides,
  });
  base.initialStoredPolicy = base.policy;
  installAppRules(base);
  return base;
};

export const userJson = (user: SandboxUser): UserJson => ({
  accountId: user.accountId,
  displayName: user.displayName,
  active: user.active,
  emailAddress: user.emailAddress,
  accountType: 'atlassian',
});

export const findUser = (state: SandboxState, accountId: string): SandboxUser | undefined => state.users.find((u) => u.accountId === accountId);
export const findIssue = (state: SandboxState, keyOrId: string): SandboxIssue | undefined =>
  state.issues.find((i) => i.key.toLowerCase() === keyOrId.toLowerCase() || i.id === keyOrId);
export const statusById = (state: SandboxState, id: string): SandboxStatus | undefined => state.statuses.find((s) => s.id === id);
export const statusOf = (state: SandboxState, state_: State): SandboxStatus => state.statuses.find((s) => s.name === state_)!;
export const fieldById = (state: SandboxState, id: string): SandboxField | undefined => state.fields.find((f) => f.id === id);

/** The enabled options of a select-list field (over its contexts; the sandbox has one project). */
export const fieldOptions = (state: SandboxState, fieldId: string): SandboxFieldOption[] =>
  (state.fieldContexts[fieldId] ?? []).flatMap((context) => context.options).filter((option) => !option.disabled);

/** An option field value as REST v3 returns it. */
export const optionJson = (option: SandboxFieldOption) => ({ self: `http://localhost/rest/api/3/customFieldOption/${option.id}`, value: option.value, id: option.id });

/** A changelog item for one field edit, shaped as Jira records it for that field type. */
export const changeItem = (state: SandboxState, fieldId: string, before: unknown, after: unknown): ChangeItem => {
  const field = fieldById(state, fieldId);
  const name = field?.name ?? fieldId;
  const fieldtype = field?.custom ? 'custom' : 'jira';
  const side = (value: unknown): { id: string | null; text: string | null } => {
    if (value === null || value === undefined) return { id: null, text: null };
    if (fieldId === 'status') {
      const s = value as { id: string; name: string };
      return { id: s.id, text: s.name };
    }
    const type = field?.schema.type;
    if (type === 'array' && field?.schema.items === 'user') {
      // Assumed: account ids and names comma-joined (not confirmed against a real site).
      const people = value as UserJson[];
      return people.length ? { id: people.map((u) => u.accountId).join(', '), text: people.map((u) => u.displayName).join(', ') } : { id: null, text: null };
    }
    if (type === 'group') {
      const g = value as { name: string };
      return { id: g.name, text: g.name };
    }
    if (type === 'user') {
      const u = value as UserJson;
      return { id: u.accountId, text: u.displayName };
    }
    if (type === 'option') {
      const o = value as { id: string; value: string };
      return { id: o.id, text: o.value };
    }
    if (type === 'array') return { id: null, text: (value as string[]).join(' ') };
    if (type === 'datetime') return { id: String(value), text: String(value) };
    if (typeof value === 'string') return { id: null, text: value };
    return { id: null, text: adfText(value) };
  };
  const [from, to] = [side(before), side(after)];
  return { field: name, fieldtype, fieldId, from: from.id, fromString: from.text, to: to.id, toString: to.text };
};

/** Components change one item per component added or removed, as Jira records them. */
const componentItems = (before: unknown, after: unknown): ChangeItem[] => {
  const list = (value: unknown) => (Array.isArray(value) ? (value as { id: string; name: string }[]) : []);
  const [was, now] = [list(before), list(after)];
  const item = (from: { id: string; name: string } | null, to: { id: string; name: string } | null): ChangeItem => ({
    field: 'Component',
    fieldtype: 'jira',
    fieldId: 'components',
    from: from?.id ?? null,
    fromString: from?.name ?? null,
    to: to?.id ?? null,
    toString: to?.name ?? null,
  });
  return [...was.filter((c) => !now.some((n) => n.id === c.id)).map((c) => item(c, null)), ...now.filter((c) => !was.some((w) => w.id === c.id)).map((c) => item(null, c))];
};

/**
 * Sets fields on an issue as `author` at `at`, recording one changelog history with an item per
 * field whose value really changed (as Jira does). Returns the history, or null if nothing changed.
 */
export const applyFieldChanges = (
  state: SandboxState,
  issue: SandboxIssue,
  patch: Record<string, unknown>,
  author: SandboxUser | null,
  at: Date,
): ChangeHistory | null => {
  const items: ChangeItem[] = [];
  for (const [fieldId, value] of Object.entries(patch)) {
    const before = issue.fields[fieldId] ?? null;
    const after = value ?? null;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (fieldId === 'components') items.push(...componentItems(before, after));
    else items.push(changeItem(state, fieldId, before, after));
    issue.fields[fieldId] = after;
  }
  if (!items.length) return null;
  state.counters.history += 1;
  const history: ChangeHistory = { id: String(state.counters.history), author: author ? userJson(author) : null, created: jiraTimestamp(at), items };
  issue.changelog.push(history);
  issue.fields.updated = history.created;
  return history;
};

/** A CC8.1 field value in the REST v3 shape its Jira field type uses. */
export const restValue = (state: SandboxState, field: FieldKey, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  switch (FIELD_DEFS[field].jira) {
    case 'richtext':
      return typeof value === 'string' ? adf(value) : value;
    case 'option': {
      const label = (OPTION_LABELS[field as OptionField] as Record<string, string>)[String(value)] ?? String(value);
      const fieldId = state.policy.fields[field];
      const option = fieldId ? fieldOptions(state, fieldId).find((candidate) => candidate.value === label) : undefined;
      if (!option) throw new Error(`The Jira field for ${field} (${fieldId ?? 'unmapped'}) has no option '${label}'.`);
      return optionJson(option);
    }
    case 'user': {
      const accountId = typeof value === 'object' && 'accountId' in value ? String(value.accountId) : String(value);
      const user = findUser(state, accountId);
      return user ? userJson(user) : { accountId, displayName: 'Former user', active: false, accountType: 'atlassian' };
    }
    case 'datetime':
      return value instanceof Date ? jiraTimestamp(value) : String(value);
    case 'labels':
    case 'string':
      return value;
  }
};
