/**
 * Realistic Jira REST v3 JSON for CC8.1 tickets, written the way Jira sends it (not the way the
 * app would like it): ADF rich text, option objects, full user objects, `+0000` timestamps,
 * changelog items with null `from`/`to`, histories in any order.
 */
import { ChangeFields, FIELD_DEFS, FIELD_KEYS, FieldKey, OPTION_LABELS, Policy, State, StateSchema } from '../../src/domain';
import { aPolicy } from '../builders/policy.builder';
import type { PolicyInput } from '../../src/domain';
import { at } from '../builders/clock';

export const SITE = 'https://acme-corp.atlassian.net';

/** Jira status ids of the lifecycle states on the fake site. */
export const STATUS_IDS: Record<State, string> = {
  Draft: '10000',
  Assessment: '10001',
  Approved: '10002',
  Scheduled: '10003',
  Implemented: '10004',
  Closed: '10005',
};
/** A workflow status the policy does not map ("On hold"). */
export const UNMAPPED_STATUS_ID = '10099';

/** Jira field ids of the CC8.1 fields on the fake site (system fields where the defaults use them). */
export const FIELD_IDS: Record<FieldKey, string> = {
  summary: 'summary',
  justification: 'description',
  changeType: 'customfield_10040',
  risk: 'customfield_10041',
  requester: 'reporter',
  implementer: 'customfield_10042',
  approver: 'customfield_10043',
  verifier: 'customfield_10044',
  cabReference: 'customfield_10045',
  targetSystems: 'customfield_10046',
  windowStart: 'customfield_10047',
  windowEnd: 'customfield_10048',
  recurringWindow: 'customfield_10049',
  testPlan: 'customfield_10050',
  rollbackPlan: 'customfield_10051',
  implementationEvidence: 'customfield_10052',
  verificationResult: 'customfield_10053',
  rollbackOutcome: 'customfield_10054',
  standardTemplate: 'customfield_10055',
  emergencyJustification: 'customfield_10056',
  cancellationReason: 'customfield_10057',
};

/** The policy of the fake site: every state and field mapped. */
export const aSitePolicy = (overrides: PolicyInput = {}): Policy => aPolicy({ statuses: STATUS_IDS, fields: FIELD_IDS, ...overrides });

const OPTION_IDS: Record<string, string> = {
  standard: '10100',
  normal: '10101',
  emergency: '10102',
  low: '10110',
  medium: '10111',
  high: '10112',
  passed: '10120',
  'failed-rolled-back': '10121',
};

/** Jira's timestamp format: milliseconds and an offset without a colon. */
export const jiraTime = (date: Date): string => date.toISOString().replace('Z', '+0000');

export interface JiraUserOptions {
  active?: boolean;
  displayName?: string;
}

/** A UserDetails object as Jira sends it. Deleted users keep the id, `active: false`, "Former user". */
export const jiraUser = (accountId: string, options: JiraUserOptions = {}) => ({
  self: `${SITE}/rest/api/3/user?accountId=${accountId}`,
  accountId,
  avatarUrls: {
    '48x48': 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/XX-5.png?size=48&s=48',
    '24x24': 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/XX-5.png?size=24&s=24',
  },
  displayName: options.displayName ?? (options.active === false ? 'Former user' : `Person ${accountId}`),
  active: options.active ?? true,
  timeZone: 'Europe/Berlin',
  accountType: 'atlassian',
});

/** Plain text as an ADF document, one paragraph per line, the way the v3 API returns rich text. */
export const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: text.split('\n').map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
});

const labelsOf = (field: FieldKey): Record<string, string> => {
  for (const [key, labels] of Object.entries(OPTION_LABELS)) if (key === field) return labels;
  return {};
};

const optionJson = (field: FieldKey, value: string) => {
  const labels = labelsOf(field);
  return { self: `${SITE}/rest/api/3/customFieldOption/${OPTION_IDS[value]}`, value: labels[value], id: OPTION_IDS[value] };
};

/** The REST value of one CC8.1 field, by its Jira type. */
export const fieldJson = (field: FieldKey, value: ChangeFields[FieldKey], users: Record<string, JiraUserOptions> = {}): unknown => {
  if (value === null || value === undefined) return null;
  switch (FIELD_DEFS[field].jira) {
    case 'string':
      return value;
    case 'richtext':
      return typeof value === 'string' ? adf(value) : null;
    case 'option':
      return typeof value === 'string' ? optionJson(field, value) : null;
    case 'user':
      return typeof value === 'object' && 'accountId' in value ? jiraUser(value.accountId, users[value.accountId]) : null;
    case 'labels':
      return value;
    case 'datetime':
      return value instanceof Date ? jiraTime(value) : null;
  }
};

export interface IssueJsonSpec {
  key?: string;
  id?: string;
  state: State;
  fields: ChangeFields;
  created?: Date;
  evidence?: unknown;
  /** Per-account user options (e.g. deleted users). */
  users?: Record<string, JiraUserOptions>;
  /** Raw overrides by Jira field id (for malformed values). */
  raw?: Record<string, unknown>;
}

/** A full issue as GET /rest/api/3/issue returns it with `fields=*all`. */
export const issueJson = (spec: IssueJsonSpec) => {
  const id = spec.id ?? '10042';
  const key = spec.key ?? 'CHG-42';
  const fields: Record<string, unknown> = {
    status: {
      self: `${SITE}/rest/api/3/status/${STATUS_IDS[spec.state]}`,
      description: '',
      name: spec.state,
      id: STATUS_IDS[spec.state],
      statusCategory: { self: `${SITE}/rest/api/3/statuscategory/4`, id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
    },
    created: jiraTime(spec.created ?? at(0)),
    updated: jiraTime(at(1)),
    issuetype: { id: '10005', name: 'Change', subtask: false },
    project: { id: '10000', key: key.split('-')[0], name: 'Change Management' },
    priority: { id: '3', name: 'Medium' },
  };
  for (const field of FIELD_KEYS) fields[FIELD_IDS[field]] = fieldJson(field, spec.fields[field], spec.users);
  Object.assign(fields, spec.raw ?? {});
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id,
    self: `${SITE}/rest/api/3/issue/${id}`,
    key,
    fields,
    ...(spec.evidence === undefined ? {} : { properties: { 'cc81.evidence': spec.evidence } }),
  };
};

/** A changelog item (ChangeDetails). `toString` is data here, not the method. */
export interface Item {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}
export interface JiraHistory {
  id: string;
  author?: ReturnType<typeof jiraUser> | { accountId: string; active: boolean; displayName: string };
  created: string;
  items: Item[];
}

const fieldName = (field: FieldKey) => FIELD_DEFS[field].label;

/** A changelog item for a CC8.1 field edit, from raw domain values, as Jira would record it. */
export const fieldItem = (field: FieldKey, from: string | null, to: string | null): Item => {
  const base = { field: fieldName(field), fieldtype: field === 'summary' || field === 'justification' ? 'jira' : 'custom', fieldId: FIELD_IDS[field] };
  switch (FIELD_DEFS[field].jira) {
    case 'user':
      return { ...base, from, fromString: from ? `Person ${from}` : null, to, toString: to ? `Person ${to}` : null };
    case 'option': {
      const labels = labelsOf(field);
      return {
        ...base,
        from: from ? OPTION_IDS[from] ?? null : null,
        fromString: from ? labels[from] ?? from : null,
        to: to ? OPTION_IDS[to] ?? null : null,
        toString: to ? labels[to] ?? to : null,
      };
    }
    case 'labels':
      return { ...base, from: null, fromString: from ? from.split(',').join(' ') : '', to: null, toString: to ? to.split(',').join(' ') : '' };
    case 'datetime': {
      const pretty = (iso: string | null) => (iso ? new Date(iso).toUTCString() : null);
      return {
        ...base,
        from: from ? jiraTime(new Date(from)) : null,
        fromString: pretty(from),
        to: to ? jiraTime(new Date(to)) : null,
        toString: pretty(to),
      };
    }
    case 'string':
    case 'richtext':
      return { ...base, from: null, fromString: from, to: null, toString: to };
  }
};

/** Who acted: an account id (active user), a deleted user, a corrupted record, or nobody. */
export type Author = string | { deleted: string } | 'corrupted' | null;

const authorJson = (author: Author) => {
  if (author === null) return undefined;
  if (author === 'corrupted') return { accountId: 'unknown', active: false, displayName: 'Unknown user' };
  if (typeof author === 'object') return jiraUser(author.deleted, { active: false });
  return jiraUser(author);
};

/** Fluent changelog: `.move(...)` and `.edit(...)` at hours after T0; `.build()` shuffles nothing unless asked. */
export class JiraChangelogBuilder {
  private readonly histories: JiraHistory[] = [];
  private nextId = 20000;

  private push(author: Author, hour: number, items: Item[]): this {
    const author_ = authorJson(author);
    this.histories.push({ id: String(this.nextId++), ...(author_ ? { author: author_ } : {}), created: jiraTime(at(hour)), items });
    return this;
  }

  move(from: State | string, to: State | string, by: Author, hour: number): this {
    const state = (s: string) => StateSchema.safeParse(s).data;
    const id = (s: string) => {
      const known = state(s);
      return known ? STATUS_IDS[known] : s;
    };
    const name = (s: string) => (state(s) ? s : 'On hold');
    return this.push(by, hour, [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: id(from), fromString: name(from), to: id(to), toString: name(to) }]);
  }

  edit(field: FieldKey, from: string | null, to: string | null, by: Author, hour: number): this {
    return this.push(by, hour, [fieldItem(field, from, to)]);
  }

  /** An edit of a field the app does not track (noise the bulk filter or the mapper must drop). */
  noise(by: Author, hour: number): this {
    return this.push(by, hour, [{ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }]);
  }

  /** Histories newest first, as some endpoints return them. */
  buildNewestFirst(): JiraHistory[] {
    return [...this.histories].reverse();
  }

  build(): JiraHistory[] {
    return [...this.histories];
  }
}

export const aJiraChangelog = () => new JiraChangelogBuilder();

/** The changelog of a normal change approved by the approver and scheduled: ready for Mark implemented. */
export const approvedAndScheduled = (approvedBy: Author = 'acc-approver') =>
  aJiraChangelog().move('Draft', 'Assessment', 'acc-requester', 1).move('Assessment', 'Approved', approvedBy, 2).move('Approved', 'Scheduled', 'acc-requester', 3);
