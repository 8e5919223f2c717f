/**
 * The daily scheduled trigger (`cc81-personal-data`): every 7 days a cycle reports the account ids
 * the app keeps in KVS (carried over several days when it outlasts one invocation) to Atlassian's personal data reporting API (`privacy.reportPersonalData` of @forge/api, the
 * `/app/report-accounts` call made as the app) and erases closed accounts (src/privacy). Runs as
 * the app, so no user-consent prompt (NeedsAuthenticationError) can arise. Never throws: a failed
 * run is logged (counts and codes only, never an account id) and the next run reports again.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { privacy } from '@forge/api';
import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { consoleLogger, type Logger } from '../ports/logger';
import { KVS_QUERY_PAGE } from './kvs-store';
import { PersonalDataReportError, runPersonalDataReport, type PersonalDataReportDeps, type RecordStore, type ReportAccounts } from '../privacy/personal-data-report';

const LOG_EVENT = 'cc81-personal-data';

/** `@forge/kvs` as the job's record store (needs `storage:app`). */
export const kvsRecordStore = (): RecordStore => ({
  list: async (prefix, cursor) => {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(KVS_QUERY_PAGE);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany<unknown>();
    return { records: page.results.map((r) => ({ key: r.key, value: r.value })), nextCursor: page.nextCursor ?? null };
  },
  get: (key) => kvs.get<unknown>(key),
  set: (key, value) => kvs.set(key, value),
  delete: (key) => kvs.delete(key),
});

const UpdatesSchema = z.array(z.object({ accountId: z.string().min(1), status: z.enum(['closed', 'updated']) }));
const StatusSchema = z.object({ status: z.number().int() });

/** One reporting call; a refusal (the helper rejects with the HTTP response) becomes PersonalDataReportError. */
export const forgeReportAccounts: ReportAccounts = async (accounts) => {
  let answer: unknown;
  try {
    answer = await privacy.reportPersonalData(accounts.map((a) => ({ accountId: a.accountId, updatedAt: a.updatedAt })));
  } catch (cause) {
    const answered = StatusSchema.safeParse(cause);
    throw new PersonalDataReportError(answered.success ? answered.data.status : null, { cause: cause instanceof Error ? cause : undefined });
  }
  const parsed = UpdatesSchema.safeParse(answer);
  if (!parsed.success) throw new PersonalDataReportError(200, { cause: parsed.error });
  return parsed.data;
};

export const createPersonalDataTrigger =
  (deps: PersonalDataReportDeps & { log?: Logger }) =>
  async (): Promise<{ statusCode: 204 }> => {
    const log = deps.log ?? consoleLogger;
    try {
      const outcome = await runPersonalDataReport(deps);
      log(LOG_EVENT, { outcome: outcome.failed ? 'partial' : 'ok', ...outcome });
    } catch (error) {
      log(LOG_EVENT, { outcome: 'error', errorName: error instanceof Error ? error.name : typeof error });
    }
    return { statusCode: 204 };
  };

/** The function's `timeoutSeconds` (900) less a margin for the last page and the saved progress. */
export const PERSONAL_DATA_BUDGET_MS = 840_000;

export const productionPersonalDataDeps = (): PersonalDataReportDeps => {
  const started = performance.now();
  return {
    store: kvsRecordStore(),
    report: forgeReportAccounts,
    clock: () => new Date(),
    newToken: randomUUID,
    elapsed: () => performance.now() - started,
    budgetMs: PERSONAL_DATA_BUDGET_MS,
  };
};
