/**
 * Zod schemas for the Jira REST v3 responses the app reads, derived from Atlassian's OpenAPI
 * document (IssueBean, BulkChangelogResponseBean, IssueChangeLog, Changelog, ChangeDetails,
 * UserDetails, EntityProperty) and loosened where real Jira differs from it:
 *   - `ChangeDetails.from/to/fromString/toString` are documented as strings; Jira sends null;
 *   - timestamps come as `2026-03-15T23:10:00.000+0000` (no colon in the offset), and the
 *     bulk changelog example even shows epoch seconds;
 *   - a deleted user keeps its accountId with `active: false`; a corrupted one has accountId "unknown";
 *   - anonymous or automation changes may have no `author` at all.
 * Objects are not strict: Jira adds properties freely, and unknown ones are dropped.
 */
import { z } from 'zod';

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH_MS_THRESHOLD = 1e11; // below: seconds (as in the OpenAPI example), above: milliseconds

const digits = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i += 1) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

/**
 * The usual form, `2026-03-15T23:10:00.000+0000` (or `Z`, or `+00:00`), read without Date's string
 * parser, which costs microseconds per call (an export holds hundreds of thousands). Epoch ms, or
 * null for anything else (then the general path decides). Days above 28 take the general path, so
 * no date rolls over differently.
 */
const fastJiraTimestamp = (s: string): number | null => {
  if (s.length !== 24 && s.length !== 28 && s.length !== 29) return null;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.') return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return null;
  const sign = s[23];
  let offsetMinutes = 0;
  if (s.length === 24) {
    if (sign !== 'Z') return null;
  } else {
    if ((sign !== '+' && sign !== '-') || (s.length === 29 && s[26] !== ':')) return null;
    const oh = digits(s, 24, 2);
    const om = digits(s, s.length === 29 ? 27 : 26, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offsetMinutes = (sign === '+' ? 1 : -1) * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
};

/** Parses the timestamp forms Jira uses; null when it is not one of them. */
export const parseJiraTimestamp = (value: string | number): Date | null => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    return new Date(value < EPOCH_MS_THRESHOLD ? value * 1000 : value);
  }
  const s = value.trim();
  const fast = fastJiraTimestamp(s);
  if (fast !== null) return new Date(fast);
  if (!ISO_LIKE.test(s)) return null;
  let normalised = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (normalised.includes('T') && !/(Z|[+-]\d{2}:\d{2})$/.test(normalised)) normalised += 'Z'; // Forge runs in UTC
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
};

export const JiraTimestampSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = parseJiraTimestamp(value);
  if (date === null) {
    ctx.addIssue({ code: 'custom', message: 'Not a Jira timestamp' });
    return z.NEVER;
  }
  return date;
});

/** UserDetails. `accountId` may be missing for anonymous/unavailable users. */
export const JiraUserSchema = z.object({
  accountId: z.string().max(128).nullish(),
  displayName: z.string().nullish(),
  active: z.boolean().nullish(),
  accountType: z.string().nullish(),
});
export type JiraUser = z.infer<typeof JiraUserSchema>;

/**
 * ChangeDetails: every value may be null in practice. `toString` is also the name of an inherited
 * method: when Jira omits the property, a plain read finds `Object.prototype.toString`, so only an
 * own property counts.
 */
export const ChangeItemSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, toString: Object.hasOwn(value, 'toString') ? Reflect.get(value, 'toString') : undefined } : value),
  z.object({
    field: z.string().nullish(),
    fieldId: z.string().nullish(),
    fieldtype: z.string().nullish(),
    from: z.string().nullish(),
    fromString: z.string().nullish(),
    to: z.string().nullish(),
    toString: z.string().nullish(),
  }),
);
export type ChangeItem = z.infer<typeof ChangeItemSchema>;

/** Changelog (one history: who, when, which items). */
export const ChangelogSchema = z.object({
  id: z.string(),
  author: JiraUserSchema.nullish(),
  created: JiraTimestampSchema,
  items: z.array(ChangeItemSchema).default([]),
});
export type Changelog = z.infer<typeof ChangelogSchema>;

/** BulkChangelogRequestBean limits (OpenAPI): 1..1000 issues, at most 10 unique field ids, maxResults 1..10000 (default 1000). */
export const BULK_CHANGELOG_LIMITS = { maxIssues: 1000, maxFieldIds: 10, maxResults: 10_000, defaultMaxResults: 1000 } as const;

export const BulkChangelogRequestSchema = z.object({
  issueIdsOrKeys: z.array(z.string().min(1)).min(1).max(BULK_CHANGELOG_LIMITS.maxIssues),
  fieldIds: z
    .array(z.string().min(1))
    .max(BULK_CHANGELOG_LIMITS.maxFieldIds)
    .refine((ids) => new Set(ids).size === ids.length, 'Field ids must be unique')
    .optional(),
  maxResults: z.number().int().min(1).max(BULK_CHANGELOG_LIMITS.maxResults).optional(),
  nextPageToken: z.string().min(1).optional(),
});
export type BulkChangelogRequest = z.infer<typeof BulkChangelogRequestSchema>;

/** IssueChangeLog. */
export const IssueChangeLogSchema = z.object({
  issueId: z.string(),
  changeHistories: z.array(ChangelogSchema).default([]),
});

/** BulkChangelogResponseBean. `nextPageToken` is null (or absent) on the last page. */
export const BulkChangelogResponseSchema = z.object({
  issueChangeLogs: z.array(IssueChangeLogSchema).default([]),
  nextPageToken: z.string().nullish(),
});
export type BulkChangelogPage = z.infer<typeof BulkChangelogResponseSchema>;

export const JiraStatusSchema = z.object({ id: z.string(), name: z.string().nullish() });

/**
 * IssueBean, as far as the app reads it. Field values stay `unknown` here: their shape depends on
 * the field's type and is parsed per type when mapping (see `field-value.ts`).
 */
export const IssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()),
  properties: z.record(z.string(), z.unknown()).nullish(),
});
export type IssueJson = z.infer<typeof IssueSchema>;

/** IssueBean with `expand=changelog`: PageOfChangelogs (Jira embeds at most 100 histories; `total` says how many there are). */
export const IssueWithChangelogSchema = IssueSchema.extend({
  changelog: z.object({ total: z.number().int().nonnegative(), histories: z.array(ChangelogSchema).default([]) }),
});

/** The fields every mapping needs besides the CC8.1 ones. `creator` (no one can edit it) set the fields the issue was created with. */
export const IssueCoreFieldsSchema = z.object({
  status: JiraStatusSchema,
  created: JiraTimestampSchema,
  creator: JiraUserSchema.nullish(),
});

/** EntityProperty. */
export const EntityPropertySchema = z.object({
  key: z.string(),
  value: z.unknown(),
});

// ---- Field values (IssueBean.fields[id]) by Jira field type -------------------------------------

/** An Atlassian Document Format node (rich text in REST v3). */
export interface AdfNode {
  type: string;
  text?: string | undefined;
  attrs?: Record<string, unknown> | undefined;
  content?: AdfNode[] | undefined;
}
export const AdfNodeSchema: z.ZodType<AdfNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    text: z.string().optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(AdfNodeSchema).optional(),
  }),
);

/** Select-list option: `{ value, id }` (cascading selects add `child`, which the app ignores). */
export const OptionValueSchema = z.object({ value: z.string(), id: z.string().nullish() });

/** A user-picker value as the issue returns it. */
export const UserValueSchema = z.object({
  accountId: z.string().min(1),
  displayName: z.string().nullish(),
  active: z.boolean().nullish(),
});

export const LabelsValueSchema = z.array(z.string());

/** A component (REST `{id, name}`), a JSM affected service (`{id}`, a name where given), or a group (`{name, groupId}`). */
export const NamedEntitySchema = z.object({ id: z.union([z.string(), z.number()]).nullish(), name: z.string().nullish() }).refine((e) => Boolean(e.name?.trim()) || e.id !== null && e.id !== undefined, 'expected a name or an id');
/** A cascading select's value: the parent option and, when chosen, its child. */
export const CascadingValueSchema = z.object({ value: z.string(), id: z.string().nullish(), child: z.object({ value: z.string(), id: z.string().nullish() }).nullish() });

// ---- Fast paths ---------------------------------------------------------------------------------
//
// An export holds hundreds of thousands of changelog histories, and zod's general machinery (the
// item pre-processing copy, the timestamp union and transform, a result object per property) costs
// more than reading them. These check exactly what the schemas check, build the same output (same
// keys, same order, same values), and give up with FALLBACK on anything they do not handle, so
// the caller runs the schema itself and its error messages stay the schema's own.
// test/jira/schema-fast-path.test.ts holds them to the schemas on generated histories and issues.

/** "Let the schema decide": the value is unusual or invalid. */
export const FALLBACK: unique symbol = Symbol('schema fallback');
export type Fast<T> = T | typeof FALLBACK;

type Bag = Record<string, unknown>;

/** What z.object accepts: any non-null object but an array. */
const isObject = (value: unknown): value is Bag => typeof value === 'object' && value !== null && !Array.isArray(value);

const isOwnEnumerable = (value: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(value, key);

/** zod's `isPlainObject`, which z.record requires. */
const isPlainObject = (value: unknown): value is Bag => {
  if (!isObject(value)) return false;
  const ctor: unknown = value.constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = (ctor as { prototype?: unknown }).prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
};

/**
 * z.record(z.string(), z.unknown()): a copy of the own enumerable string-keyed properties but
 * `__proto__`. A symbol key (z.string() rejects it) falls back.
 */
export const fastRecord = (value: unknown): Fast<Bag> => {
  if (!isPlainObject(value)) return FALLBACK;
  if (Object.getOwnPropertySymbols(value).length) return FALLBACK;
  const out: Bag = {};
  for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = value[key];
  return out;
};

/**
 * A `.nullish()` property as z.object reads it: absent (not `in` the input) → ABSENT, left out of
 * the output; present → its value, `undefined` included; FALLBACK when the value is neither
 * nullish nor `ok`.
 */
const ABSENT: unique symbol = Symbol('absent');
const nullish = <T>(input: Bag, key: string, ok: (value: unknown) => value is T): Fast<T | null | undefined | typeof ABSENT> => {
  const value = input[key];
  if (value === undefined) return key in input ? undefined : ABSENT;
  return value === null || ok(value) ? value : FALLBACK;
};

const isString = (value: unknown): value is string => typeof value === 'string';
const isAccountId = (value: unknown): value is string => typeof value === 'string' && value.length <= 128;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** JiraUserSchema. */
export const fastJiraUser = (input: unknown): Fast<JiraUser> => {
  if (!isObject(input)) return FALLBACK;
  const accountId = nullish(input, 'accountId', isAccountId);
  const displayName = nullish(input, 'displayName', isString);
  const active = nullish(input, 'active', isBoolean);
  const accountType = nullish(input, 'accountType', isString);
  if (accountId === FALLBACK || displayName === FALLBACK || active === FALLBACK || accountType === FALLBACK) return FALLBACK;
  const out: JiraUser = {};
  if (accountId !== ABSENT) out.accountId = accountId;
  if (displayName !== ABSENT) out.displayName = displayName;
  if (active !== ABSENT) out.active = active;
  if (accountType !== ABSENT) out.accountType = accountType;
  return out;
};

const ITEM_KEYS = ['field', 'fieldId', 'fieldtype', 'from', 'fromString', 'to'] as const;

/**
 * ChangeItemSchema. Its pre-processing copies the item's own enumerable properties and sets
 * `toString` to the own property or undefined; so here a property counts when it is own and
 * enumerable, and `toString` is always in the output.
 */
export const fastChangeItem = (input: unknown): Fast<ChangeItem> => {
  if (!isObject(input)) return FALLBACK;
  const out = {} as ChangeItem; // (typed so: TypeScript sees Object.prototype.toString on `{}`)
  for (const key of ITEM_KEYS) {
    const value = input[key];
    if (value === undefined) {
      if (isOwnEnumerable(input, key)) out[key] = undefined;
    } else if (isOwnEnumerable(input, key)) {
      if (value !== null && typeof value !== 'string') return FALLBACK;
      out[key] = value;
    }
  }
  const toString: unknown = Object.hasOwn(input, 'toString') ? Reflect.get(input, 'toString') : undefined;
  if (toString !== undefined && toString !== null && typeof toString !== 'string') return FALLBACK;
  out.toString = toString;
  return out;
};

/** JiraTimestampSchema. */
const fastTimestamp = (value: unknown): Fast<Date> => {
  if (typeof value !== 'string' && typeof value !== 'number') return FALLBACK;
  return parseJiraTimestamp(value) ?? FALLBACK;
};

/** ChangelogSchema: one history. */
export const fastChangelog = (input: unknown): Fast<Changelog> => {
  if (!isObject(input)) return FALLBACK;
  const id = input.id;
  if (typeof id !== 'string') return FALLBACK;
  const rawAuthor = input.author;
  let author: JiraUser | null | undefined;
  if (rawAuthor !== undefined && rawAuthor !== null) {
    const user = fastJiraUser(rawAuthor);
    if (user === FALLBACK) return FALLBACK;
    author = user;
  } else {
    author = rawAuthor;
  }
  const created = fastTimestamp(input.created);
  if (created === FALLBACK) return FALLBACK;
  const rawItems = input.items;
  let items: ChangeItem[];
  if (rawItems === undefined) items = [];
  else if (Array.isArray(rawItems)) {
    items = new Array<ChangeItem>(rawItems.length);
    for (let i = 0; i < rawItems.length; i += 1) {
      const item = fastChangeItem(rawItems[i]);
      if (item === FALLBACK) return FALLBACK;
      items[i] = item;
    }
  } else return FALLBACK;
  return rawAuthor !== undefined || 'author' in input ? { id, author, created, items } : { id, created, items };
};

/** z.array(ChangelogSchema). */
export const fastChangelogs = (input: unknown): Fast<Changelog[]> => {
  if (!Array.isArray(input)) return FALLBACK;
  const out = new Array<Changelog>(input.length);
  for (let i = 0; i < input.length; i += 1) {
    const history = fastChangelog(input[i]);
    if (history === FALLBACK) return FALLBACK;
    out[i] = history;
  }
  return out;
};

/** IssueSchema. */
export const fastIssue = (input: unknown): Fast<IssueJson> => {
  if (!isObject(input)) return FALLBACK;
  const { id, key } = input;
  if (typeof id !== 'string' || typeof key !== 'string') return FALLBACK;
  const fields = fastRecord(input.fields);
  if (fields === FALLBACK) return FALLBACK;
  const rawProperties = input.properties;
  if (rawProperties === undefined) return 'properties' in input ? { id, key, fields, properties: undefined } : { id, key, fields };
  if (rawProperties === null) return { id, key, fields, properties: null };
  const properties = fastRecord(rawProperties);
  return properties === FALLBACK ? FALLBACK : { id, key, fields, properties };
};

/** AdfNodeSchema, as a check: true only when the schema accepts the node, and then its output reads the same as the input. */
export const isAdfNode = (input: unknown): input is AdfNode => {
  if (!isObject(input) || typeof input.type !== 'string') return false;
  const { text, attrs, content } = input;
  if (text !== undefined && typeof text !== 'string') return false;
  if (attrs !== undefined && (!isPlainObject(attrs) || Object.getOwnPropertySymbols(attrs).length)) return false;
  if (content === undefined) return true;
  if (!Array.isArray(content)) return false;
  for (let i = 0; i < content.length; i += 1) if (!isAdfNode(content[i])) return false;
  return true;
};

/** OptionValueSchema's `value`. */
export const fastOptionLabel = (input: unknown): Fast<string> => {
  if (!isObject(input) || typeof input.value !== 'string') return FALLBACK;
  const id = nullish(input, 'id', isString);
  return id === FALLBACK ? FALLBACK : input.value;
};

/** UserValueSchema. */
export const fastUserValue = (input: unknown): Fast<z.infer<typeof UserValueSchema>> => {
  if (!isObject(input)) return FALLBACK;
  const accountId = input.accountId;
  if (typeof accountId !== 'string' || accountId.length < 1) return FALLBACK;
  const displayName = nullish(input, 'displayName', isString);
  const active = nullish(input, 'active', isBoolean);
  if (displayName === FALLBACK || active === FALLBACK) return FALLBACK;
  const out: z.infer<typeof UserValueSchema> = { accountId };
  if (displayName !== ABSENT) out.displayName = displayName;
  if (active !== ABSENT) out.active = active;
  return out;
};

/** LabelsValueSchema. */
export const fastLabels = (input: unknown): Fast<string[]> => {
  if (!Array.isArray(input)) return FALLBACK;
  const out = new Array<string>(input.length);
  for (let i = 0; i < input.length; i += 1) {
    const label: unknown = input[i];
    if (typeof label !== 'string') return FALLBACK;
    out[i] = label;
  }
  return out;
};

/** JiraStatusSchema. */
const fastJiraStatus = (input: unknown): Fast<z.infer<typeof JiraStatusSchema>> => {
  if (!isObject(input) || typeof input.id !== 'string') return FALLBACK;
  const name = nullish(input, 'name', isString);
  if (name === FALLBACK) return FALLBACK;
  return name === ABSENT ? { id: input.id } : { id: input.id, name };
};

/** IssueCoreFieldsSchema. */
export const fastCoreFields = (input: unknown): Fast<z.infer<typeof IssueCoreFieldsSchema>> => {
  if (!isObject(input)) return FALLBACK;
  const status = fastJiraStatus(input.status);
  if (status === FALLBACK) return FALLBACK;
  const created = fastTimestamp(input.created);
  if (created === FALLBACK) return FALLBACK;
  if (!('creator' in input)) return { status, created };
  const creator = input.creator === null || input.creator === undefined ? input.creator : fastJiraUser(input.creator);
  return creator === FALLBACK ? FALLBACK : { status, created, creator };
};

export const IssueTimesSchema = IssueCoreFieldsSchema.extend({ updated: JiraTimestampSchema });

/** IssueTimesSchema: the core fields and `updated`. */
export const fastIssueTimes = (input: unknown): Fast<z.infer<typeof IssueTimesSchema>> => {
  if (!isObject(input)) return FALLBACK;
  const core = fastCoreFields(input);
  if (core === FALLBACK) return FALLBACK;
  const updated = fastTimestamp(input.updated);
  return updated === FALLBACK ? FALLBACK : { ...core, updated };
};
