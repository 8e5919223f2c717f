/**
 * Atlassian's personal data reporting for the account ids the app keeps in its storage: collect
 * them, report them (at most 90 per call), then act on the answer:
 *   - `closed`: the id is replaced everywhere by one anonymous token (`erased-account:<random>`), and
 *     the stored name and e-mail are cleared. Records stay: the policy history still shows that a
 *     version was saved, when, why and what changed, and one token links all of that person's
 *     entries, so the change-control trail keeps its shape without identifying anyone. Export packs
 *     (copies of Jira data, rebuilt by running the export again) that mention the account are deleted.
 *   - `updated`: the stored copy of the name is cleared (the id stays; names are read live).
 * What was reported when is kept in `PRIVACY_STATE_KEY`. Never throws for a Jira/API failure: what
 * was answered is applied, the rest is reported again on the next run. Pure over its ports.
 */
import { z } from 'zod';
import { AppError } from '../shared/app-error';
import { collectAccountIds, ERASED_PREFIX, mentionsAny, rewriteAccounts } from './account-references';

/** Every key the app writes starts with this. */
export const APP_KEY_PREFIX = 'cc81:';
export const PRIVACY_STATE_KEY = 'cc81:privacy:reported';
/** The reporting API takes at most 90 accounts per call. */
export const REPORT_BATCH_LIMIT = 90;
/** Rebuildable copies of Jira data: deleted, not rewritten, when they mention a closed account. */
const REBUILDABLE_KEY = /^cc81:export:[^:]+:pack:/;

export interface StoredRecord {
  key: string;
  value: unknown;
}

/** The app's storage as this job needs it: every record under a prefix, page by page. */
export interface RecordStore {
  list(prefix: string, cursor: string | null): Promise<{ records: StoredRecord[]; nextCursor: string | null }>;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface ReportedAccount {
  accountId: string;
  /** When the app last stored or refreshed this account's data (ISO). */
  updatedAt: string;
}
export interface AccountUpdate {
  accountId: string;
  status: 'closed' | 'updated';
}
/** One call of the reporting API (≤ 90 accounts); only accounts that need action come back. */
export type ReportAccounts = (accounts: readonly ReportedAccount[]) => Promise<AccountUpdate[]>;

/** The reporting API refused or failed (status when it answered). */
export class PersonalDataReportError extends AppError {
  readonly code = 'PERSONAL_DATA_REPORT_FAILED';
  constructor(
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(`The personal data reporting API ${status === null ? 'could not be reached' : `answered ${status}`}`, options);
  }
}

const StateSchema = z.object({ accounts: z.record(z.string(), z.string()) });

export interface PersonalDataReportDeps {
  store: RecordStore;
  report: ReportAccounts;
  clock: () => Date;
  /** A fresh random token for one closed account (tests pass a counter). */
  newToken: () => string;
}

export interface PersonalDataReportOutcome {
  records: number;
  accounts: number;
  reported: number;
  closed: number;
  updated: number;
  rewritten: number;
  deleted: number;
  /** Code of the failure that stopped reporting early, if any (the rest is reported next run). */
  failed: string | null;
}

const readAll = async (store: RecordStore): Promise<StoredRecord[]> => {
  const records: StoredRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list(APP_KEY_PREFIX, cursor);
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  return records.filter((r) => r.key !== PRIVACY_STATE_KEY);
};

/** One run: collect, report in batches, erase closed accounts, forget updated names, keep the state. */
export const runPersonalDataReport = async (deps: PersonalDataReportDeps): Promise<PersonalDataReportOutcome> => {
  const now = deps.clock().toISOString();
  const records = await readAll(deps.store);
  const stored = new Set<string>();
  for (const record of records) collectAccountIds(record.value, stored);

  const previous = StateSchema.safeParse(await deps.store.get(PRIVACY_STATE_KEY));
  const since: Record<string, string> = previous.success ? previous.data.accounts : {};
  const accounts = [...stored].sort().map((accountId) => ({ accountId, updatedAt: since[accountId] ?? now }));

  const closed = new Map<string, string>();
  const updated = new Set<string>();
  let reported = 0;
  let failed: string | null = null;
  for (let i = 0; i < accounts.length && failed === null; i += REPORT_BATCH_LIMIT) {
    const batch = accounts.slice(i, i + REPORT_BATCH_LIMIT);
    try {
      for (const update of await deps.report(batch)) {
        if (!stored.has(update.accountId)) continue; // only act on what was asked
        if (update.status === 'closed') closed.set(update.accountId, `${ERASED_PREFIX}${deps.newToken()}`);
        else updated.add(update.accountId);
      }
      reported += batch.length;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failed = error.code;
    }
  }

  let rewritten = 0;
  let deleted = 0;
  for (const record of records) {
    if (REBUILDABLE_KEY.test(record.key) && mentionsAny(record.value, closed)) {
      await deps.store.delete(record.key);
      deleted += 1;
      continue;
    }
    const next = rewriteAccounts(record.value, { closed, updated });
    if (next.changes > 0) {
      await deps.store.set(record.key, next.value);
      rewritten += 1;
    }
  }

  // Last, so a run stopped part-way reports the same accounts (with the same dates) again.
  const state: Record<string, string> = {};
  for (const { accountId, updatedAt } of accounts) if (!closed.has(accountId)) state[accountId] = updated.has(accountId) ? now : updatedAt;
  await deps.store.set(PRIVACY_STATE_KEY, { accounts: state });

  return { records: records.length, accounts: accounts.length, reported, closed: closed.size, updated: updated.size, rewritten, deleted, failed };
};
