/**
 * What the sweep has done on a ticket, so a second run never repeats a comment, label or flag. The
 * sweep keeps it in app storage (`posthoc-index.ts`) and mirrors it to the `cc81.posthoc` issue
 * property, indexed for JQL by the `jira:entityProperty` module (`issue.property[cc81.posthoc].status`,
 * `.dueAt`, `.flaggedAt`, `.resolvedAt`). Anyone who can edit the issue can write the property, so
 * the sweep never reads it back.
 */
import { z } from 'zod';
import { MalformedResponseError } from '../shared/app-error';

export const POSTHOC_PROPERTY_KEY = 'cc81.posthoc';

/** The property's values Jira indexes for JQL (manifest.yml, `jira:entityProperty` cc81-posthoc-property, must match). */
export const POSTHOC_SEARCH_ALIASES = [
  { path: 'status', type: 'string', searchAlias: 'cc81PosthocStatus' },
  { path: 'dueAt', type: 'date', searchAlias: 'cc81PosthocDue' },
  { path: 'flaggedAt', type: 'date', searchAlias: 'cc81PosthocFlagged' },
  { path: 'resolvedAt', type: 'date', searchAlias: 'cc81PosthocResolved' },
] as const;
export const OVERDUE_LABEL = 'cc81-posthoc-overdue';
export const LATE_LABEL = 'cc81-posthoc-late';
export const TAMPERED_LABEL = 'cc81-evidence-tampered';

export const PostHocPropertySchema = z.object({
  version: z.literal(1),
  /** The status at the last write (`postHocStatus`'s status). */
  status: z.enum(['not-needed', 'pending', 'warning', 'overdue', 'satisfied-on-time', 'satisfied-late']),
  dueAt: z.iso.datetime({ offset: true }).nullable(),
  warnAt: z.iso.datetime({ offset: true }).nullable(),
  warnedAt: z.iso.datetime({ offset: true }).nullable(),
  flaggedAt: z.iso.datetime({ offset: true }).nullable(),
  approvedAt: z.iso.datetime({ offset: true }).nullable(),
  approverAccountId: z.string().nullable(),
  /** Set once a late approval is recorded: the exception stays, it is never erased. */
  lateByMs: z.number().int().nonnegative().nullable(),
  lateRecordedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Set once nothing more can happen (approved, or no post-hoc approval needed): the candidate JQL leaves it out. */
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
  /** When the sweep last reported the mirror differing from the app's log, and how many differences it reported. */
  tamperReportedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  tamperDifferences: z.number().int().nonnegative().default(0),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type PostHocProperty = z.infer<typeof PostHocPropertySchema>;

/** Absent → null; a value of the wrong shape throws (the ticket is skipped and reported, never overwritten blindly). */
export const parsePostHocProperty = (value: unknown, issueKey: string): PostHocProperty | null => {
  if (value === null || value === undefined) return null;
  const parsed = PostHocPropertySchema.safeParse(value);
  if (!parsed.success) throw MalformedResponseError.fromZod(`issue ${issueKey} property ${POSTHOC_PROPERTY_KEY}`, parsed.error);
  return parsed.data;
};
