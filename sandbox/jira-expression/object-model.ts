/**
 * Test-only object model of the values a Jira expression sees in a workflow condition/validator.
 *
 * Shapes follow the research in FACTS.md:
 *  - system fields are typed objects: `issue.description` is RichText, `issue.reporter` is User, ...;
 *  - CUSTOM fields are their REST v3 JSON (official: "returned in the exact same form as in the Get issue
 *    REST API, regardless of their type"): a textarea is an ADF *Map*, a select is a Map `{self, value, id}`,
 *    a user picker is a Map of the REST user JSON (not a User), a date-time is a *String*.
 *
 * Every value is tagged so the interpreter can reject members a type does not have.
 */

/** Jira's `User` (context `user`, `issue.reporter`, `issue.assignee`). */
export class JiraUser {
  readonly jiraType = 'User';
  constructor(
    readonly accountId: string,
    readonly displayName: string | null,
    readonly active: boolean,
    readonly groups: readonly string[],
  ) {}
}

/** Jira's `RichText` (system rich-text fields; `new RichText(adfMap)`). */
export class JiraRichText {
  readonly jiraType = 'RichText';
  constructor(readonly plainText: string) {}
}

/** Jira's `Date` (an instant). */
export class JiraDate {
  readonly jiraType = 'Date';
  constructor(readonly epochMillis: number) {
    if (!Number.isFinite(epochMillis)) throw new Error(`JiraDate: invalid instant ${String(epochMillis)}`);
  }
}

/**
 * Jira's `Map` (a JSON object). `closed` maps model a REST shape with a known key set (an option, a REST user,
 * an ADF document): reading a key they do not have throws in the interpreter. That is stricter than Jira, which
 * (per [SECONDARY]) returns null, but such a read is always a compiler bug. Open maps (entity property values,
 * `config`) return null for a missing key.
 */
export class JiraMap {
  readonly jiraType = 'Map';
  constructor(
    readonly entries: ReadonlyMap<string, JiraValue>,
    readonly shape: { name: string; closed: boolean },
  ) {}
}

/** `issue.properties` (EntityProperties). Values are stored as JSON. */
export class JiraEntityProperties {
  readonly jiraType = 'EntityProperties';
  constructor(readonly values: ReadonlyMap<string, unknown>) {}
}

/** Jira's `Issue`, restricted to the members the builder sets. */
export class JiraIssue {
  readonly jiraType = 'Issue';
  constructor(
    /** System fields by name (summary, description, reporter, ...). */
    readonly systemFields: ReadonlyMap<string, JiraValue>,
    /** Custom fields by id (`customfield_10010`), already in their REST shape. */
    readonly customFields: ReadonlyMap<string, JiraValue>,
    readonly properties: JiraEntityProperties,
  ) {}
}

export type JiraObject = JiraUser | JiraRichText | JiraDate | JiraMap | JiraEntityProperties | JiraIssue;
export type JiraValue = null | string | number | boolean | JiraObject | readonly JiraValue[];

export function isJiraObject(value: unknown): value is JiraObject {
  return (
    value instanceof JiraUser ||
    value instanceof JiraRichText ||
    value instanceof JiraDate ||
    value instanceof JiraMap ||
    value instanceof JiraEntityProperties ||
    value instanceof JiraIssue
  );
}

/** Jira's `typeof` name of a value (for error messages). */
export function jiraTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  if (Array.isArray(value)) return 'List';
  if (value instanceof JiraMap) return value.shape.name === 'Map' ? 'Map' : `Map (${value.shape.name})`;
  if (isJiraObject(value)) return value.jiraType;
  return 'Function';
}

// ---------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------

export const SITE = 'https://example.atlassian.net';

export function jiraUser(
  accountId: string,
  options: { displayName?: string | null; active?: boolean; groups?: readonly string[] } = {},
): JiraUser {
  return new JiraUser(accountId, options.displayName ?? null, options.active ?? true, [...(options.groups ?? [])]);
}

export function jiraRichText(plainText: string): JiraRichText {
  return new JiraRichText(plainText);
}

/** A Date from a JS Date, an ISO/REST timestamp string or epoch milliseconds. */
export function jiraDate(date: Date | string | number): JiraDate {
  if (date instanceof Date) return new JiraDate(date.getTime());
  if (typeof date === 'number') return new JiraDate(date);
  const parsed = parseJiraTimestamp(date);
  if (parsed === null) throw new Error(`jiraDate: not an ISO/REST timestamp: ${date}`);
  return new JiraDate(parsed);
}

/** A select-list / radio custom field value as Jira presents it: the REST Map `{self, value, id}` (id is a string). */
export function jiraOption(value: string, id: string | number): JiraMap {
  const idText = String(id);
  return closedMap('Option', { self: `${SITE}/rest/api/3/customFieldOption/${idText}`, value, id: idText });
}

/** A user-picker custom field value: the REST user JSON as a Map (NOT a `User`: no `groups`, no methods). */
export function restUser(user: JiraUser): JiraMap {
  return closedMap('RestUser', {
    self: `${SITE}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    displayName: user.displayName,
    active: user.active,
    accountType: 'atlassian',
  });
}

/** A multi-line text custom field value in REST v3: an ADF document Map (one paragraph per line). */
export function adfDocument(plainText: string): JiraMap {
  const paragraphs = plainText === '' ? [] : plainText.split('\n');
  return closedMap('ADF', {
    type: 'doc',
    version: 1,
    content: paragraphs.map((line) =>
      closedMap('ADFNode', {
        type: 'paragraph',
        content: line === '' ? [] : [closedMap('ADFNode', { type: 'text', text: line })],
      }),
    ),
  });
}

/** Plain text of an ADF document Map (what `new RichText(adf).plainText` gives). */
export function adfPlainText(doc: JiraMap): string {
  const blocks: string[] = [];
  const textOf = (node: JiraValue): string => {
    if (!(node instanceof JiraMap)) return '';
    const text = node.entries.get('text');
    if (typeof text === 'string') return text;
    const content = node.entries.get('content');
    return Array.isArray(content) ? (content as readonly JiraValue[]).map(textOf).join('') : '';
  };
  const content = doc.entries.get('content');
  if (Array.isArray(content)) for (const block of content as readonly JiraValue[]) blocks.push(textOf(block));
  return blocks.join('\n');
}

/** The REST timestamp format Jira uses for date-time custom fields: `2026-03-15T23:10:00.000+0000` (UTC here). */
export function restDateTime(date: JiraDate | Date | string): string {
  const millis = date instanceof JiraDate ? date.epochMillis : jiraDate(date).epochMillis;
  return new Date(millis).toISOString().replace('Z', '+0000');
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses ISO 8601 / Jira REST timestamps with an explicit zone; anything else gives null. */
export function parseJiraTimestamp(text: string): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const zone = m[8] ?? 'Z';
  const normalizedZone = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0')}${normalizedZone}`;
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : millis;
}

function closedMap(name: string, entries: Record<string, JiraValue>): JiraMap {
  return new JiraMap(new Map(Object.entries(entries)), { name, closed: true });
}

/**
 * Converts a JS value into a Jira value. Plain objects become Maps (`closed` decides missing-key behaviour),
 * arrays become Lists, `undefined` becomes null. JS Dates must be wrapped with `jiraDate` first.
 */
export function toJiraValue(value: unknown, closed: boolean, shapeName = 'Map'): JiraValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`toJiraValue: non-finite number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJiraValue(item, closed, shapeName));
  if (isJiraObject(value)) return value;
  if (value instanceof Date) throw new Error('toJiraValue: wrap JS Dates with jiraDate()');
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = new Map<string, JiraValue>();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      entries.set(key, toJiraValue(item, closed, shapeName));
    }
    return new JiraMap(entries, { name: shapeName, closed });
  }
  throw new Error(`toJiraValue: unsupported value ${String(value)}`);
}

/**
 * A custom field value as Jira presents it to an expression (REST v3 JSON):
 *  - string / number / boolean / null: as is (text, number, ...);
 *  - string[]: List<String> (labels);
 *  - JiraRichText: an ADF Map (textarea);
 *  - JiraUser: the REST user Map (user picker); JiraUser[]: List of them (multi-user picker);
 *  - JiraDate: the REST timestamp String (date-time picker);
 *  - JiraMap (e.g. `jiraOption`): as is; plain objects: closed Maps.
 */
export function restCustomFieldValue(value: unknown): JiraValue {
  if (value instanceof JiraRichText) return adfDocument(value.plainText);
  if (value instanceof JiraUser) return restUser(value);
  if (value instanceof JiraDate) return restDateTime(value);
  if (Array.isArray(value)) return value.map(restCustomFieldValue);
  return toJiraValue(value, true, 'RestJson');
}

export interface IssueSpec {
  key?: string;
  summary?: string;
  /** Plain text or RichText; omitted or null → null. */
  description?: string | JiraRichText | null;
  reporter?: JiraUser | null;
  assignee?: JiraUser | null;
  labels?: readonly string[];
  /** Component names: `issue.components` is a List of Component (`{id, name}`; the id a Number). */
  components?: readonly { id: number; name: string }[];
  /** By id (`customfield_10010` or `10010`); values converted with `restCustomFieldValue`. Missing fields read as null. */
  customFields?: Record<string, unknown>;
  /** Issue entity properties by key; values are JSON. */
  properties?: Record<string, unknown>;
}

export function buildIssue(spec: IssueSpec = {}): JiraIssue {
  const system = new Map<string, JiraValue>();
  system.set('key', spec.key ?? 'CHG-1');
  system.set('summary', spec.summary ?? '');
  const description = spec.description;
  system.set(
    'description',
    description === undefined || description === null
      ? null
      : typeof description === 'string'
        ? jiraRichText(description)
        : description,
  );
  system.set('reporter', spec.reporter ?? null);
  system.set('assignee', spec.assignee ?? null);
  system.set('labels', [...(spec.labels ?? [])]);
  system.set('components', (spec.components ?? []).map((c) => closedMap('Component', { id: c.id, name: c.name })));

  const custom = new Map<string, JiraValue>();
  for (const [id, value] of Object.entries(spec.customFields ?? {})) {
    const key = /^\d+$/.test(id) ? `customfield_${id}` : id;
    if (!/^customfield_\d+$/.test(key)) throw new Error(`buildIssue: not a custom field id: ${id}`);
    custom.set(key, restCustomFieldValue(value));
  }
  return new JiraIssue(system, custom, new JiraEntityProperties(new Map(Object.entries(spec.properties ?? {}))));
}
