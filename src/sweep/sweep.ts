/**
 * The emergency post-hoc approval sweep (dependency-injected core of the hourly scheduled trigger).
 *
 * Per run:
 *   1. KVS: the policy, the cursor (`cc81:sweep:cursor`) and marks of actions whose property write
 *      failed (`cc81:sweep:unsaved`);
 *   2. candidates by JQL only (`candidateJql`), paged with `nextPageToken`, fields limited to what
 *      `mapChange` reads plus labels, properties `cc81.posthoc` and `cc81.evidence`;
 *   3. per page, the changelogs of all its issues in one bulkfetch call (more only if the page has
 *      over 10,000 matching histories);
 *   4. per issue, `postHocStatus` decides; an action (warn / flag / record a late approval / mark
 *      resolved) runs only when the stored property says it has not happened yet. Writes: one PUT
 *      issue (labels via `update`), one comment, one PUT property, as the action needs;
 *   5. stops inside the time budget, saving the cursor at the page being worked on (re-reading it
 *      is safe: finished issues show their new property); the next run resumes there;
 *   6. records the run summary under `cc81:sweep:last-run`.
 * A 429 is retried after `Retry-After` (capped backoff). A 500 or malformed ticket is logged by id,
 * counted and skipped; it is retried next run since nothing was recorded for it. Never throws.
 */
import { Policy, postHocStatus, PostHocStatus } from '../domain';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { createJiraClient, JiraClient } from '../jira/jira-client';
import { mapChange, STATUS_FIELD_ID } from '../jira/map-change';
import { Changelog, IssueJson, BULK_CHANGELOG_LIMITS } from '../jira/schemas';
import { createSearchClient, SearchClient } from '../jira/search';
import { countingTransport, JiraTransport } from '../jira/transport';
import { changelogFieldIds } from '../forge/history-gate';
import { consoleLogger, Logger } from '../forge/log';
import { KeyValueStore, loadPolicy } from '../forge/policy-store';
import { AppError, JiraHttpError } from '../shared/app-error';
import { candidateJql } from './candidate-jql';
import { lateApprovalComment, overdueComment, warningComment } from './comments';
import { LATE_LABEL, OVERDUE_LABEL, parsePostHocProperty, POSTHOC_PROPERTY_KEY, PostHocProperty } from './posthoc-property';

export const CURSOR_KEY = 'cc81:sweep:cursor';
export const LAST_RUN_KEY = 'cc81:sweep:last-run';
export const UNSAVED_KEY = 'cc81:sweep:unsaved';
/** Forge's scheduled trigger limit is 55 s; the sweep stops well inside it. */
export const DEFAULT_BUDGET_MS = 45_000;
/** Issues per search page: bulkfetch takes at most 1000 issues, so one page is one changelog call. */
export const DEFAULT_PAGE_SIZE = BULK_CHANGELOG_LIMITS.maxIssues;
/** Issue ids of failed tickets kept in the run summary. */
const MAX_ERROR_IDS = 50;
const LOG_EVENT = 'cc81-posthoc-sweep';

export interface SweepDeps {
  transport: JiraTransport;
  store: KeyValueStore;
  /** Business time: what `postHocStatus` is evaluated at and what is recorded. */
  clock: () => Date;
  /** How the sweep waits out a 429 (tests and benchmarks inject one that does not really wait). */
  sleep: (ms: number) => Promise<void>;
  /** Monotonic ms for the time budget (default `performance.now`). */
  elapsed?: () => number;
  budgetMs?: number;
  pageSize?: number;
  /** Retries of one request after 429 (default 5). */
  retries?: number;
  log?: Logger;
}

export interface SweepCursor {
  version: 1;
  jql: string;
  /** The token of the page to read next; null: start from the first page. */
  nextPageToken: string | null;
  savedAt: string;
}

export interface SweepSummary {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** False when the budget ran out or the search failed: the cursor holds where to resume. */
  complete: boolean;
  resumed: boolean;
  pages: number;
  scanned: number;
  warned: number;
  flagged: number;
  lateApprovals: number;
  /** Marked resolved (approved on time, or no post-hoc approval needed). */
  resolved: number;
  errors: number;
  /** Ids of the tickets that failed (at most 50), with the error code. */
  errorIssues: { issueId: string; code: string }[];
  restCalls: number;
  kvsOps: number;
}

type Unsaved = Record<string, Partial<Pick<PostHocProperty, 'warnedAt' | 'flaggedAt' | 'lateRecordedAt'>>>;

const errorCode = (error: unknown): string => (error instanceof AppError ? error.code : error instanceof Error ? error.name : 'UNKNOWN');

/** The fields the sweep reads: what `mapChange` needs (status, created, the mapped fields) and labels. */
export const sweepFieldIds = (policy: Policy): string[] => [
  ...new Set([STATUS_FIELD_ID, 'created', 'labels', ...Object.values(policy.fields).filter((id): id is string => Boolean(id))]),
];

const countingStore = (store: KeyValueStore) => {
  let ops = 0;
  return {
    store: {
      get: (key: string) => {
        ops += 1;
        return store.get(key);
      },
      set: (key: string, value: unknown) => {
        ops += 1;
        return store.set(key, value);
      },
    } satisfies KeyValueStore,
    ops: () => ops,
  };
};

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

interface Ports {
  jira: JiraClient;
  search: SearchClient;
  policy: Policy;
  now: Date;
  log: Logger;
  unsaved: Unsaved;
}

type Outcome = 'warned' | 'flagged' | 'late' | 'resolved' | 'none';

/** What to do for one ticket, from its status and what is already recorded. Pure. */
export const planAction = (status: PostHocStatus, prior: Partial<PostHocProperty> | null): 'warn' | 'flag' | 'record-late' | 'resolve' | 'none' => {
  switch (status.status) {
    case 'not-needed':
    case 'satisfied-on-time':
      return prior?.resolvedAt ? 'none' : 'resolve';
    case 'pending':
      return 'none';
    case 'warning':
      return prior?.warnedAt || prior?.flaggedAt ? 'none' : 'warn';
    case 'overdue':
      return prior?.flaggedAt ? 'none' : 'flag';
    case 'satisfied-late':
      return prior?.lateRecordedAt ? (prior.resolvedAt ? 'none' : 'resolve') : 'record-late';
  }
};

const processIssue = async (ports: Ports, issue: IssueJson, histories: readonly Changelog[]): Promise<Outcome> => {
  const { policy, now } = ports;
  const stored = parsePostHocProperty(issue.properties?.[POSTHOC_PROPERTY_KEY], issue.key);
  const marks = ports.unsaved[issue.id] ?? {};
  const prior: Partial<PostHocProperty> | null = stored || Object.keys(marks).length ? { ...stored, ...marks } : null;
  const { change, history } = mapChange({ issue, histories }, policy);
  const status = postHocStatus(change, history, policy, now);
  const action = planAction(status, prior);
  // An action already taken whose property write failed last time: record it now, without repeating it.
  const recordOnly = action === 'none' && Object.keys(marks).length > 0;
  if (action === 'none' && !recordOnly) return 'none';

  const clock = status.status === 'not-needed' ? null : status;
  const approved = status.status === 'satisfied-on-time' || status.status === 'satisfied-late' ? status : null;
  const next: PostHocProperty = {
    version: 1,
    status: status.status,
    dueAt: iso(clock?.dueAt),
    warnAt: iso(clock?.warnAt),
    warnedAt: prior?.warnedAt ?? null,
    flaggedAt: prior?.flaggedAt ?? null,
    approvedAt: iso(approved?.approvedAt),
    approverAccountId: approved?.approverAccountId ?? null,
    lateByMs: status.status === 'satisfied-late' ? status.lateByMs : (prior?.lateByMs ?? null),
    lateRecordedAt: prior?.lateRecordedAt ?? null,
    resolvedAt: prior?.resolvedAt ?? null,
    updatedAt: now.toISOString(),
  };
  const mark: Unsaved[string] = {};
  if (action === 'warn' && clock) {
    await ports.search.addComment(issue.id, warningComment(change, policy, clock.dueAt, clock.implementerAccountId));
    next.warnedAt = mark.warnedAt = now.toISOString();
  } else if (action === 'flag' && clock) {
    await ports.search.addLabels(issue.id, [OVERDUE_LABEL]);
    await ports.search.addComment(issue.id, overdueComment(change, policy, clock.dueAt, clock.implementerAccountId));
    next.flaggedAt = mark.flaggedAt = now.toISOString();
  } else if (action === 'record-late' && status.status === 'satisfied-late') {
    await ports.search.addLabels(issue.id, [LATE_LABEL]);
    await ports.search.addComment(issue.id, lateApprovalComment(status.dueAt, status.approvedAt, status.approverAccountId));
    next.lateRecordedAt = mark.lateRecordedAt = now.toISOString();
    next.resolvedAt = now.toISOString();
  } else if (action === 'resolve') {
    next.resolvedAt = now.toISOString();
  }
  try {
    await ports.jira.setIssueProperty(issue.id, POSTHOC_PROPERTY_KEY, next);
    delete ports.unsaved[issue.id];
  } catch (error) {
    // The comment is out but not recorded: remember it in KVS so the next run does not repeat it.
    if (Object.keys(mark).length) ports.unsaved[issue.id] = { ...marks, ...mark };
    throw error;
  }
  if (recordOnly) return 'none';
  return action === 'warn' ? 'warned' : action === 'flag' ? 'flagged' : action === 'record-late' ? 'late' : 'resolved';
};

/** One run of the sweep; never throws. */
export const runPostHocSweep = async (deps: SweepDeps): Promise<SweepSummary> => {
  const log = deps.log ?? consoleLogger;
  const elapsed = deps.elapsed ?? (() => performance.now());
  const budgetMs = deps.budgetMs ?? DEFAULT_BUDGET_MS;
  const pageSize = Math.min(deps.pageSize ?? DEFAULT_PAGE_SIZE, BULK_CHANGELOG_LIMITS.maxIssues);
  const t0 = elapsed();
  const overBudget = () => elapsed() - t0 >= budgetMs;
  const counted = countingTransport(deps.transport);
  const kv = countingStore(deps.store);
  const now = deps.clock();
  const summary: SweepSummary = {
    startedAt: now.toISOString(), finishedAt: now.toISOString(), durationMs: 0, complete: false, resumed: false,
    pages: 0, scanned: 0, warned: 0, flagged: 0, lateApprovals: 0, resolved: 0, errors: 0, errorIssues: [], restCalls: 0, kvsOps: 0,
  };
  const fail = (issueId: string, error: unknown) => {
    const code = errorCode(error);
    summary.errors += 1;
    if (summary.errorIssues.length < MAX_ERROR_IDS) summary.errorIssues.push({ issueId, code });
    log(LOG_EVENT, { event: 'ticket-skipped', issueId, errorCode: code });
  };

  let unsavedBefore = '{}';
  let unsaved: Unsaved = {};
  try {
    const { policy } = await loadPolicy(kv.store);
    const jql = candidateJql(policy);
    const storedCursor = (await kv.store.get(CURSOR_KEY)) as Partial<SweepCursor> | undefined | null;
    unsaved = ((await kv.store.get(UNSAVED_KEY)) as Unsaved | undefined | null) ?? {};
    unsavedBefore = JSON.stringify(unsaved);
    let token: string | null = storedCursor?.jql === jql && typeof storedCursor.nextPageToken === 'string' ? storedCursor.nextPageToken : null;
    summary.resumed = token !== null;
    const opts = { sleep: deps.sleep, retries: deps.retries ?? 5, now: deps.clock };
    const ports: Ports = {
      jira: createJiraClient(counted.transport, { ...opts, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults }),
      search: createSearchClient(counted.transport, opts),
      policy, now, log, unsaved,
    };
    const fields = sweepFieldIds(policy);
    const changelogFields = changelogFieldIds(policy);

    const saveCursor = (nextPageToken: string | null) => kv.store.set(CURSOR_KEY, { version: 1, jql, nextPageToken, savedAt: deps.clock().toISOString() } satisfies SweepCursor);

    let stopped = false;
    pages: for (;;) {
      if (overBudget()) {
        stopped = true;
        break;
      }
      let page;
      try {
        page = await ports.search.searchJql(jql, { fields, properties: [POSTHOC_PROPERTY_KEY, EVIDENCE_PROPERTY_KEY], maxResults: pageSize, nextPageToken: token });
      } catch (error) {
        fail('(search)', error);
        // A page token Jira no longer accepts: start over next run rather than fail forever.
        if (error instanceof JiraHttpError && error.status === 400) token = null;
        stopped = true;
        break;
      }
      summary.pages += 1;
      const histories = new Map<string, Changelog[]>();
      let changelogError: unknown = null;
      if (page.issues.length) {
        try {
          let changelogToken: string | undefined;
          do {
            const part = await ports.jira.bulkFetchChangelogs(page.issues.map((i) => i.id), changelogFields, changelogToken);
            for (const entry of part.issueChangeLogs) histories.set(entry.issueId, [...(histories.get(entry.issueId) ?? []), ...entry.changeHistories]);
            changelogToken = part.nextPageToken ?? undefined;
          } while (changelogToken);
        } catch (error) {
          changelogError = error;
        }
      }
      for (const issue of page.issues) {
        if (overBudget()) {
          // Resume at this page next run: the issues already done show their new property.
          stopped = true;
          break pages;
        }
        summary.scanned += 1;
        if (changelogError) {
          fail(issue.id, changelogError);
          continue;
        }
        try {
          const outcome = await processIssue(ports, issue, histories.get(issue.id) ?? []);
          if (outcome === 'warned') summary.warned += 1;
          else if (outcome === 'flagged') summary.flagged += 1;
          else if (outcome === 'late') summary.lateApprovals += 1;
          else if (outcome === 'resolved') summary.resolved += 1;
        } catch (error) {
          fail(issue.id, error);
        }
      }
      token = page.nextPageToken ?? null;
      if (!token || page.isLast === true) {
        token = null;
        break;
      }
    }
    summary.complete = !stopped;
    if (stopped || storedCursor?.nextPageToken || storedCursor?.jql !== jql) await saveCursor(stopped ? token : null);
  } catch (error) {
    fail('(run)', error);
  }
  try {
    if (JSON.stringify(unsaved) !== unsavedBefore) await kv.store.set(UNSAVED_KEY, unsaved);
  } catch (error) {
    fail('(kvs)', error);
  }
  summary.finishedAt = deps.clock().toISOString();
  summary.durationMs = Math.round(elapsed() - t0);
  summary.restCalls = counted.count();
  summary.kvsOps = kv.ops() + 1; // + the summary write below
  try {
    await kv.store.set(LAST_RUN_KEY, summary);
  } catch (error) {
    log(LOG_EVENT, { event: 'summary-not-saved', errorCode: errorCode(error) });
  }
  log(LOG_EVENT, {
    event: 'run', complete: summary.complete, resumed: summary.resumed, pages: summary.pages, scanned: summary.scanned, warned: summary.warned,
    flagged: summary.flagged, lateApprovals: summary.lateApprovals, resolved: summary.resolved, errors: summary.errors,
    durationMs: summary.durationMs, restCalls: summary.restCalls, kvsOps: summary.kvsOps,
  });
  return summary;
};
