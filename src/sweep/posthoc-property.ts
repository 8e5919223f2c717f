/**
 * The `cc81.posthoc` issue property: where the sweep records what it has done on a ticket, so a
 * second run never repeats a comment, label or flag. Indexed for JQL by the `jira:entityProperty`
 * module (`issue.property[cc81.posthoc].status`, `.dueAt`, `.flaggedAt`, `.resolvedAt`).
 */
import { z } from 'zod';
import { MalformedResponseError } from '../shared/app-error';

export const POSTHOC_PROPERTY_KEY = 'cc81.posthoc';
export const OVERDUE_LABEL = 'cc81-posthoc-overdue';
export const LATE_LABEL = 'cc81-posthoc-late';

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
