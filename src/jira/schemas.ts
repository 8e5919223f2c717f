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
  const [year, month, day, hour, minute, second, ms] = [digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2), digits(s, 20, 3)];
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

/** The fields every mapping needs besides the CC8.1 ones. */
export const IssueCoreFieldsSchema = z.object({
  status: JiraStatusSchema,
  created: JiraTimestampSchema,
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
