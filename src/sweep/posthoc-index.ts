/**
 * The sweep's own records in app storage, beyond any Jira user's reach:
 * - the open-obligation index (`cc81:posthoc-open:<issueId>`): the evidence recorder opens an entry
 *   when an issue moves into Implemented; the sweep visits every open entry each run, whatever the
 *   issue's fields or properties now say, and closes it once nothing more can happen;
 * - its state per issue (`cc81:posthoc:<issueId>`): what it has done (warned, flagged, recorded a late
 *   approval, reported tampering). The `cc81.posthoc` issue property is only a mirror of it for JQL.
 */
import type { KeyValueStore } from '../ports/key-value-store';
import type { LedgerStore } from '../ports/ledger-store';
import { PostHocPropertySchema } from './posthoc-property';

export const OPEN_PREFIX = 'cc81:posthoc-open:';
export const openKey = (issueId: string): string => `${OPEN_PREFIX}${issueId}`;
export const stateKey = (issueId: string): string => `cc81:posthoc:${issueId}`;

/** An open entry's value: when the obligation was opened (kept for support; the sweep decides from the changelog). */
interface OpenEntry {
  v: 1;
  openedAt: string;
}

/** Opens the issue's entry (the first opening stays). One KVS write. */
export const openPostHocEntry = async (store: LedgerStore, issueId: string, at: Date): Promise<void> => {
  await store.setIfAbsent(openKey(issueId), { v: 1, openedAt: at.toISOString() } satisfies OpenEntry);
};

/** The issue ids with an open entry, in key order. A key that names no issue id is skipped. */
export const listOpenPostHoc = async (store: LedgerStore): Promise<string[]> =>
  (await store.listByPrefix(OPEN_PREFIX)).map((e) => e.key.slice(OPEN_PREFIX.length)).filter((id) => /^\d+$/.test(id));

export const closePostHocEntry = (store: LedgerStore, issueId: string): Promise<void> => store.delete(openKey(issueId));

/** The sweep's stored state of an issue; absent → null, unreadable → 'unreadable' (the sweep then acts as if nothing was done). */
export const readSweepState = async (store: KeyValueStore, issueId: string) => {
  const value = await store.get(stateKey(issueId));
  if (value === undefined || value === null) return null;
  const parsed = PostHocPropertySchema.safeParse(value);
  return parsed.success ? parsed.data : ('unreadable' as const);
};
