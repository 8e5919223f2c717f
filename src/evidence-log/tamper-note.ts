/**
 * What the app has seen of an issue's mirror, kept in app storage beside its log:
 * - `noted`: differences from the log seen once. The recorder rewrites the mirror whole at every
 *   step and a user can put back what they changed, so a difference, once seen, keeps being
 *   reported (`EVIDENCE_TAMPERED`). Notes are only added, never removed.
 * - `mirrorStaleSince`: the recorder's last mirror write failed (a 429, a 500); until a write
 *   succeeds, records missing from the mirror are the app's doing, not tampering.
 * - `accountIds`: the account ids the noted texts name that only the mirror held (a forged step's
 *   actor), so the personal data report finds them (it collects ids by property name).
 */
import { z } from 'zod';
import type { KeyValueStore } from '../ports/key-value-store';

export const tamperNoteKey = (issueId: string): string => `cc81:tamper:${issueId}`;
/** Differences kept per issue (the first ones seen). */
export const MAX_NOTED = 50;

const NotedSchema = z.object({ difference: z.string().min(1), seenAt: z.iso.datetime({ offset: true }), seenBy: z.enum(['recorder', 'sweep']) });
export const TamperNoteSchema = z.object({
  v: z.literal(1),
  noted: z.array(NotedSchema),
  mirrorStaleSince: z.iso.datetime({ offset: true }).nullable(),
  accountIds: z.array(z.string()).default([]),
});
export type TamperNote = z.infer<typeof TamperNoteSchema>;
export type Noted = z.infer<typeof NotedSchema>;

export const EMPTY_NOTE: TamperNote = { v: 1, noted: [], mirrorStaleSince: null, accountIds: [] };
export const UNREADABLE_NOTE = "the app's own record of this issue's mirror is unreadable";

/** A stored value that is not a note is itself reported as a difference, never dropped. */
export const parseTamperNote = (value: unknown): TamperNote => {
  if (value === undefined || value === null) return EMPTY_NOTE;
  const parsed = TamperNoteSchema.safeParse(value);
  return parsed.success ? parsed.data : { v: 1, noted: [{ difference: UNREADABLE_NOTE, seenAt: new Date(0).toISOString(), seenBy: 'recorder' }], mirrorStaleSince: null, accountIds: [] };
};

export const readTamperNote = async (store: KeyValueStore, issueId: string): Promise<TamperNote> => parseTamperNote(await store.get(tamperNoteKey(issueId)));

export interface NoteUpdate {
  differences?: readonly string[];
  /** Account ids the new differences name that only the mirror held. */
  accountIds?: readonly string[];
  /** true: the mirror write just failed; false: it just succeeded; absent: unchanged. */
  mirrorStale?: boolean;
  seenBy: Noted['seenBy'];
}

/** The note after `update`, or null when nothing changes. Pure. */
export const updateTamperNote = (note: TamperNote, update: NoteUpdate, now: Date): TamperNote | null => {
  const known = new Set(note.noted.map((n) => n.difference));
  const fresh = [...new Set(update.differences ?? [])].filter((d) => !known.has(d)).slice(0, Math.max(0, MAX_NOTED - note.noted.length));
  const stale = update.mirrorStale === undefined ? note.mirrorStaleSince : update.mirrorStale ? (note.mirrorStaleSince ?? now.toISOString()) : null;
  const named = fresh.length === 0 ? [] : (update.accountIds ?? []).filter((id) => fresh.some((d) => d.includes(id)) && !note.accountIds.includes(id));
  if (fresh.length === 0 && stale === note.mirrorStaleSince) return null;
  return {
    v: 1,
    noted: [...note.noted, ...fresh.map((difference) => ({ difference, seenAt: now.toISOString(), seenBy: update.seenBy }))],
    mirrorStaleSince: stale,
    accountIds: [...note.accountIds, ...new Set(named)],
  };
};

/** Applies `update` to `note` (as the caller read it) and stores the result, only if it changes: at most one write. */
export const noteTamper = async (store: KeyValueStore, issueId: string, note: TamperNote, update: NoteUpdate, now: Date): Promise<boolean> => {
  const next = updateTamperNote(note, update, now);
  if (next) await store.set(tamperNoteKey(issueId), next);
  return next !== null;
};
