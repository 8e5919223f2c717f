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
import { scanKeys } from './key-scan';
import { deleteLargeValue, readLargeValue, writeLargeValue } from './large-value';

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

const StateSchema = z.object({ accounts: z.record(z.string(), z.string()), completedAt: z.string().optional() });

/** A cycle under way: what is left to scan, and what was learnt so far. */
export const PRIVACY_SCAN_KEY = 'cc81:privacy:scan';
const ScanSchema = z.object({
  v: z.literal(1),
  phase: z.enum(['collect', 'apply']),
  startedAt: z.string(),
  todo: z.array(z.string()),
  ids: z.array(z.string()),
  closed: z.record(z.string(), z.string()),
  updated: z.array(z.string()),
  records: z.number().int().min(0),
  reported: z.number().int().min(0),
  failed: z.string().nullable(),
  rewritten: z.number().int().min(0),
  deleted: z.number().int().min(0),
});
type Scan = z.infer<typeof ScanSchema>;

/** A new cycle starts this long after the last complete one (the reporting API's 7-day cycle). */
export const REPORT_CYCLE_DAYS = 7;
/** The job's own keys (the state, the cycle's progress, and their parts): never scanned. */
const isOwnKey = (key: string): boolean => key.startsWith('cc81:privacy:');

export interface PersonalDataReportDeps {
  store: RecordStore;
  report: ReportAccounts;
  clock: () => Date;
  /** A fresh random token for one closed account (tests pass a counter). */
  newToken: () => string;
  /** Milliseconds since the invocation started, and how many it may use; absent: no limit. */
  elapsed?: () => number;
  budgetMs?: number;
}

export interface PersonalDataReportOutcome {
  /** idle: the last cycle completed under 7 days ago; partial: time ran out, the next run carries on. */
  phase: 'idle' | 'partial' | 'complete';
  pages: number;
  /** KVS answered keys out of key order: a scan stopped part-way re-reads its prefix (see key-scan.ts). */
  outOfOrder: boolean;
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

const newScan = (now: string): Scan => ({ v: 1, phase: 'collect', startedAt: now, todo: [APP_KEY_PREFIX], ids: [], closed: {}, updated: [], records: 0, reported: 0, failed: null, rewritten: 0, deleted: 0 });

/** Reports the collected ids in batches of 90; what each answer says is kept in the scan. */
const reportAccounts = async (deps: PersonalDataReportDeps, scan: Scan, accounts: readonly ReportedAccount[]): Promise<void> => {
  const asked = new Set(scan.ids);
  for (let i = 0; i < accounts.length && scan.failed === null; i += REPORT_BATCH_LIMIT) {
    const batch = accounts.slice(i, i + REPORT_BATCH_LIMIT);
    try {
      for (const update of await deps.report(batch)) {
        if (!asked.has(update.accountId)) continue; // only act on what was asked
        if (update.status === 'closed') scan.closed[update.accountId] ??= `${ERASED_PREFIX}${deps.newToken()}`;
        else if (!scan.updated.includes(update.accountId)) scan.updated.push(update.accountId);
      }
      scan.reported += batch.length;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      scan.failed = error.code;
    }
  }
};

/**
 * One invocation's share of a cycle: collect the ids (a scan of every `cc81:` key), report them,
 * then, if any account was closed or updated, rewrite (a second scan). The cycle's progress is kept
 * under `PRIVACY_SCAN_KEY`, so a site whose storage takes longer than one invocation to read is
 * covered over several (the daily trigger carries on).
 */
export const runPersonalDataReport = async (deps: PersonalDataReportDeps): Promise<PersonalDataReportOutcome> => {
  const now = deps.clock();
  const elapsed = deps.elapsed;
  const budget = deps.budgetMs;
  const outOfTime = () => elapsed !== undefined && budget !== undefined && elapsed() >= budget;
  const previous = StateSchema.safeParse(await readLargeValue(deps.store, PRIVACY_STATE_KEY));
  const since: Record<string, string> = previous.success ? previous.data.accounts : {};
  const stored = ScanSchema.safeParse(await readLargeValue(deps.store, PRIVACY_SCAN_KEY));
  let scan: Scan;
  if (stored.success) scan = stored.data;
  else {
    const completedAt = previous.success && previous.data.completedAt ? Date.parse(previous.data.completedAt) : NaN;
    if (now.getTime() - completedAt < REPORT_CYCLE_DAYS * 86_400_000) {
      return { phase: 'idle', pages: 0, outOfOrder: false, records: 0, accounts: Object.keys(since).length, reported: 0, closed: 0, updated: 0, rewritten: 0, deleted: 0, failed: null };
    }
    scan = newScan(now.toISOString());
  }
  const accountsOf = (ids: readonly string[]) => [...ids].sort().map((accountId) => ({ accountId, updatedAt: since[accountId] ?? scan.startedAt }));
  let pages = 0;
  let outOfOrder = false;

  if (scan.phase === 'collect') {
    const ids = new Set(scan.ids);
    const collected = await scanKeys(deps.store, scan.todo, async (record) => {
      if (isOwnKey(record.key)) return;
      scan.records += 1;
      collectAccountIds(record.value, ids);
    }, outOfTime);
    pages += collected.pages;
    outOfOrder ||= collected.outOfOrder;
    scan.ids = [...ids];
    if (scan.todo.length === 0) {
      await reportAccounts(deps, scan, accountsOf(scan.ids));
      scan.phase = 'apply';
      if (Object.keys(scan.closed).length > 0 || scan.updated.length > 0) scan.todo = [APP_KEY_PREFIX];
    }
  }

  if (scan.phase === 'apply') {
    const closed = new Map(Object.entries(scan.closed));
    const rewrite = { closed, updated: new Set(scan.updated) };
    const applied = await scanKeys(deps.store, scan.todo, async (record) => {
      if (isOwnKey(record.key)) return;
      if (REBUILDABLE_KEY.test(record.key) && mentionsAny(record.value, closed)) {
        await deps.store.delete(record.key);
        scan.deleted += 1;
        return;
      }
      const next = rewriteAccounts(record.value, rewrite);
      if (next.changes > 0) {
        await deps.store.set(record.key, next.value);
        scan.rewritten += 1;
      }
    }, outOfTime);
    pages += applied.pages;
    outOfOrder ||= applied.outOfOrder;
  }

  const outcome = { pages, outOfOrder, records: scan.records, accounts: scan.ids.length, reported: scan.reported, closed: Object.keys(scan.closed).length, updated: scan.updated.length, rewritten: scan.rewritten, deleted: scan.deleted, failed: scan.failed };
  if (scan.phase === 'collect' || scan.todo.length > 0) {
    await writeLargeValue(deps.store, PRIVACY_SCAN_KEY, scan);
    return { phase: 'partial', ...outcome };
  }
  // Last, so a cycle stopped part-way reports the same accounts (with the same dates) again. A
  // cycle whose reporting failed is not complete: the next run starts another.
  const state: Record<string, string> = {};
  for (const { accountId, updatedAt } of accountsOf(scan.ids)) if (!(accountId in scan.closed)) state[accountId] = scan.updated.includes(accountId) ? now.toISOString() : updatedAt;
  await writeLargeValue(deps.store, PRIVACY_STATE_KEY, scan.failed === null ? { accounts: state, completedAt: now.toISOString() } : { accounts: state });
  await deleteLargeValue(deps.store, PRIVACY_SCAN_KEY);
  return { phase: 'complete', ...outcome };
};
