/**
 * Lifecycle steps the recorder could not write to the evidence log (a 429 or 500 from app storage
 * or Jira): kept in app storage until a retry (`evidence-retry.ts`, through `@forge/events`)
 * records them. The panel shows an issue's, the self-test all of them. No decision reads these:
 * the checks decide from the changelog and the log, so a missing record never opens a gate.
 * Kept: ids, the edge and times; never issue content.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EdgeIdSchema } from '../domain';
import type { LedgerStore } from '../ports/ledger-store';

export const UNRECORDED_PREFIX = 'cc81:unrecorded:';

/** Per issue (its id, else its key when Jira sent no id), one key per transition execution. */
export const unrecordedIssuePrefix = (issueRef: string): string => `${UNRECORDED_PREFIX}${issueRef}:`;
export const unrecordedKey = (issueRef: string, executionId: string): string =>
  `${unrecordedIssuePrefix(issueRef)}${createHash('sha256').update(executionId).digest('hex').slice(0, 24)}`;

export const UnrecordedStepSchema = z.object({
  v: z.literal(1),
  issueId: z.string().nullable(),
  issueKey: z.string(),
  /** Null when the failure came before the step was known (the policy could not be read). */
  edge: EdgeIdSchema.nullable(),
  /** When the step was taken (the record keeps this time when a retry writes it). */
  at: z.iso.datetime({ offset: true }),
  /** `retrying`: a retry is queued; `lost`: the retries ran out (the changelog still has the status change). */
  state: z.enum(['retrying', 'lost']),
  attempts: z.number().int().min(1),
  lastErrorCode: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type UnrecordedStep = z.infer<typeof UnrecordedStepSchema>;

export const noteUnrecordedStep = (store: LedgerStore, executionId: string, step: UnrecordedStep): Promise<void> =>
  store.set(unrecordedKey(step.issueId ?? step.issueKey, executionId), step);

export const clearUnrecordedStep = async (store: LedgerStore, issueRefs: readonly string[], executionId: string): Promise<void> => {
  await Promise.all([...new Set(issueRefs)].map((ref) => store.delete(unrecordedKey(ref, executionId))));
};

/** A stored value that is not a step is shown as such, never dropped. */
export type UnrecordedReading = { key: string; step: UnrecordedStep | null };

const readAll = (entries: Array<{ key: string; value: unknown }>): UnrecordedReading[] =>
  entries.map(({ key, value }) => {
    const parsed = UnrecordedStepSchema.safeParse(value);
    return { key, step: parsed.success ? parsed.data : null };
  });

/** An issue's unrecorded steps, under its id and its key (one KVS query each). */
export const unrecordedStepsOf = async (store: LedgerStore, issueId: string, issueKey: string): Promise<UnrecordedReading[]> => {
  const pages = await Promise.all([...new Set([issueId, issueKey])].map((ref) => store.listByPrefix(unrecordedIssuePrefix(ref))));
  return readAll(pages.flat());
};

/** How many the self-test reads (it lists ten and says whether there are more). */
export const UNRECORDED_LISTED = 50;

/** The site's unrecorded steps, at most `limit` (the self-test shows a few and the count read). */
export const listUnrecordedSteps = async (store: LedgerStore, limit: number): Promise<{ readings: UnrecordedReading[]; more: boolean }> => {
  const page = await store.listPage(UNRECORDED_PREFIX, null, limit);
  return { readings: readAll(page.entries), more: page.nextCursor !== null };
};
