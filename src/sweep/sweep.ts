/**
 * The emergency post-hoc approval sweep (dependency-injected core of the hourly scheduled trigger).
 *
 * Per run:
 *   1. KVS: the policy, the cursor (`cc81:sweep:cursor`) and the app-only index of open
 *      obligations (`posthoc-index.ts`, opened by the evidence recorder at Implemented);
 *   2. the index's issues (one GET issue each, their changelogs in bulk), then the candidate JQL
 *      (`candidateJql`, no issue property in it) for what the recorder never saw, paged with
 *      `nextPageToken`; an issue is processed once per run;
 *   3. per page, the changelogs of all its issues in one bulkfetch call (more only if the page has
 *      over 10,000 matching histories);
 *   4. per issue, `postHocStatus` decides from the changelog and the evidence log; an action (warn /
 *      flag / record a late approval / mark resolved / report tampering) runs only when the sweep's
 *      own state in KVS (`cc81:posthoc:<issue id>`) says it has not happened yet. Writes: one PUT
 *      issue (labels via `update`), one comment, the KVS state, then its `cc81.posthoc` mirror;
 *   5. stops inside the time budget, saving the cursor at the page being worked on (re-reading it
 *      is safe: finished issues show their new state); the next run resumes there;
 *   6. records the run summary under `cc81:sweep:last-run`.
 * Issues of a page run through a small worker pool (`concurrency`, default 8): one issue's actions
 * stay sequential (label, comment, property), several issues are in flight at once. When the budget
 * runs out no new issue starts; the cursor is saved only after every in-flight issue finished.
 * A 429 is retried after `Retry-After` (capped backoff), and while that request waits the whole pool
 * pauses (no new request starts). A 500 or malformed ticket is logged by id, counted and skipped;
 * it is retried next run since nothing was recorded for it. A mirror write Jira refuses is logged
 * and redone next run (the state is in KVS). Never throws.
 *
 * Continuation: a run stopped by its budget with a cursor left pushes one event `{ runId, continuation }` to the
 * `cc81-sweep-continuation` queue (injected `queue` port); its consumer runs the same core as a
 * continuation of that run. At most `maxContinuations` (20) per trigger run. The lease
 * (`sweep-lease.ts`, with expiry and a conditional claim) lets one invocation at a time sweep: a trigger or continuation
 * that finds it held exits at once; it also holds the run id and chain count, so a stale or
 * duplicated continuation event exits too.
 */
import { randomUUID } from 'node:crypto';
import { Policy, postHocStatus, PostHocStatus } from '../domain';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { createJiraClient, JiraClient } from '../jira/jira-client';
import { mapChange, STATUS_FIELD_ID } from '../jira/map-change';
import { Changelog, IssueJson, BULK_CHANGELOG_LIMITS } from '../jira/schemas';
import { createSearchClient, SearchClient } from '../jira/search';
import { countingTransport, JiraTransport } from '../jira/transport';
import { consoleLogger, Logger } from '../ports/logger';
import { loadPolicy } from '../policy/policy-store';
import { AppError, JiraHttpError } from '../shared/app-error';
import { candidateJql } from './candidate-jql';
import { lateApprovalComment, overdueComment, tamperComment, warningComment } from './comments';
import { LATE_LABEL, OVERDUE_LABEL, POSTHOC_PROPERTY_KEY, PostHocProperty, TAMPERED_LABEL } from './posthoc-property';
import type { LedgerStore } from '../ports/ledger-store';
import { emergencyDeploymentTimes, readGateRecords } from '../deployments/gate-record';
import { logEvidence, readEvidenceWithNote } from '../evidence-log/evidence-log';
import { accountIdsOnlyOnIssue, compareEvidence, currentDifferences } from '../evidence-log/evidence-integrity';
import { EMPTY_NOTE, noteTamper } from '../evidence-log/tamper-note';
import { LEASE_KEY, LeaseRequest, pruneClaims, releaseLease, SweepLease, takeLease } from './sweep-lease';
import { closePostHocEntry, listOpenPostHoc, readSweepState, stateKey } from './posthoc-index';
import { gateChangelogFieldIds } from '../jira/changelog-fields';

export const CURSOR_KEY = 'cc81:sweep:cursor';
export const LAST_RUN_KEY = 'cc81:sweep:last-run';
/** The `@forge/events` queue of continuation events (the manifest's `consumer` module). */
export const CONTINUATION_QUEUE = 'cc81-sweep-continuation';
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_CONTINUATIONS = 20;
/** A lease outlives its holder's budget by this much (crash safety: a dead holder's lease expires). */
const LEASE_MARGIN_MS = 30_000;
/** Forge's scheduled trigger limit is 55 s; the sweep stops well inside it. */
export const DEFAULT_BUDGET_MS = 45_000;
/** Issues per search page: bulkfetch takes at most 1000 issues, so one page is one changelog call. */
export const DEFAULT_PAGE_SIZE = BULK_CHANGELOG_LIMITS.maxIssues;
/** Issue ids of failed tickets kept in the run summary. */
const MAX_ERROR_IDS = 50;
const LOG_EVENT = 'cc81-posthoc-sweep';

export interface SweepDeps {
  transport: JiraTransport;
  /** App storage: the lease, cursor and run state, and the evidence log each decision reads. */
  store: LedgerStore;
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
  /** Issues processed at once (default 8; 1 = sequential). */
  concurrency?: number;
  /** Where continuation events go; without it a stopped run just waits for the next trigger. */
  queue?: ContinuationQueue;
  /** Continuations per trigger run (default 20). */
  maxContinuations?: number;
  /** Run and invocation ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** The body of a continuation event; the cursor itself stays in KVS. */
export interface ContinuationEvent {
  runId: string;
  /** Which continuation of the run this event starts (1, 2, ...): a duplicated or replayed event is stale. */
  continuation: number;
}

/** The port of the continuation queue (production: `new Queue({ key })` of `@forge/events`). */
export interface ContinuationQueue {
  push(event: ContinuationEvent): Promise<void>;
}

/** What started this invocation: the hourly trigger, or a continuation event of run `runId`. */
export type SweepInvocation = { kind: 'trigger' } | ({ kind: 'continuation' } & ContinuationEvent);


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
  /** Tickets whose evidence mirror differs from the app's log, reported this run (label and comment). */
  tampered: number;
  /** Tickets whose sweep labels someone removed, labelled again this run. */
  relabelled: number;
  /** Open entries of the app-only index visited this run (each read with one GET issue). */
  indexed: number;
  errors: number;
  /** Ids of the tickets that failed (at most 50), with the error code. */
  errorIssues: { issueId: string; code: string }[];
  restCalls: number;
  kvsOps: number;
  invocation: 'trigger' | 'continuation';
  runId: string | null;
  /** 0 for the trigger's own run, n for its n-th continuation. */
  continuation: number;
  /** Set when this invocation did not sweep: the lease is held, or the event is stale or duplicated. */
  skipped: null | 'lease-held' | 'stale-continuation';
  continuationPushed: boolean;
  /** True when the budget ran out and the chain cap stopped another continuation. */
  chainCapped: boolean;
}

const errorCode = (error: unknown): string => (error instanceof AppError ? error.code : error instanceof Error ? error.name : 'UNKNOWN');

/** The fields the sweep reads: what `mapChange` needs (status, created, the mapped fields) and labels (to set again any it set that someone removed). */
export const sweepFieldIds = (policy: Policy): string[] => [
  ...new Set([STATUS_FIELD_ID, 'created', 'labels', ...Object.values(policy.fields).filter((id): id is string => Boolean(id))]),
];

const countingStore = (store: LedgerStore) => {
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
      setIfAbsent: (key: string, value: unknown) => {
        ops += 1;
        return store.setIfAbsent(key, value);
      },
      listByPrefix: (prefix: string) => {
        ops += 1;
        return store.listByPrefix(prefix);
      },
      delete: (key: string) => {
        ops += 1;
        return store.delete(key);
      },
      listPage: (prefix: string, cursor: string | null, limit: number) => {
        ops += 1;
        return store.listPage(prefix, cursor, limit);
      },
    } satisfies LedgerStore,
    ops: () => ops,
  };
};

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

interface Ports {
  store: LedgerStore;
  jira: JiraClient;
  search: SearchClient;
  policy: Policy;
  now: Date;
  log: Logger;
}

type Outcome = 'warned' | 'flagged' | 'late' | 'resolved' | 'none';
interface IssueResult {
  outcome: Outcome;
  /** The mirror differs from the log and this run reported it (label and comment). */
  tamperReported: boolean;
  /** Labels the sweep had set and someone removed, set again (no new comment). */
  relabelled: boolean;
}

const labelsOf = (issue: IssueJson): Set<string> => {
  const labels = issue.fields.labels;
  return new Set(Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : []);
};

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

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One ticket. Everything that decides is app-only or Jira's own: the sweep's state and the
 * evidence log in KVS, the changelog. The issue's properties are only compared (the evidence
 * mirror, for tampering) or rewritten (the `cc81.posthoc` mirror, whenever it differs).
 */
const processIssue = async (ports: Ports, issue: IssueJson, histories: readonly Changelog[], fromIndex: boolean): Promise<IssueResult> => {
  const { policy, now } = ports;
  const [state, { note = EMPTY_NOTE, ...reading }, gateCalls] = await Promise.all([
    readSweepState(ports.store, issue.id),
    readEvidenceWithNote(ports.store, issue.id),
    readGateRecords(ports.store, issue.id),
  ]);
  if (state === 'unreadable') ports.log(LOG_EVENT, { event: 'state-unreadable', issueId: issue.id });
  const prior = state === 'unreadable' ? null : state;
  // Post-hoc approvals come from the app's log, never from the issue property users can edit.
  const { change, history } = mapChange({ issue, histories, evidence: logEvidence(reading) }, policy);
  // An emergency deployment the gate let through starts the clock too (issue 19).
  const status = postHocStatus(change, history, policy, now, emergencyDeploymentTimes(gateCalls.records));
  const action = planAction(status, prior);

  const mirrorValue = issue.properties?.[EVIDENCE_PROPERTY_KEY];
  const seenNow = currentDifferences(reading, mirrorValue, now, note.mirrorStaleSince !== null);
  const { differences } = compareEvidence(reading, mirrorValue, now, note);
  const reportTamper = differences.length > (prior?.tamperDifferences ?? 0);

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
    tamperReportedAt: prior?.tamperReportedAt ?? null,
    tamperDifferences: Math.max(prior?.tamperDifferences ?? 0, differences.length),
    updatedAt: prior?.updatedAt ?? now.toISOString(),
  };
  // Noted first: once a difference is seen, it stays reported after the mirror is put back.
  await noteTamper(ports.store, issue.id, note, { differences: seenNow, accountIds: accountIdsOnlyOnIssue(reading, mirrorValue), seenBy: 'sweep' }, now);
  if (reportTamper) {
    await ports.search.addLabels(issue.id, [TAMPERED_LABEL]);
    await ports.search.addComment(issue.id, tamperComment(differences));
    next.tamperReportedAt = now.toISOString();
  }
  if (action === 'warn' && clock) {
    await ports.search.addComment(issue.id, warningComment(change, policy, clock.dueAt, clock.implementerAccountId));
    next.warnedAt = now.toISOString();
  } else if (action === 'flag' && clock) {
    await ports.search.addLabels(issue.id, [OVERDUE_LABEL]);
    await ports.search.addComment(issue.id, overdueComment(change, policy, clock.dueAt, clock.implementerAccountId));
    next.flaggedAt = now.toISOString();
  } else if (action === 'record-late' && status.status === 'satisfied-late') {
    await ports.search.addLabels(issue.id, [LATE_LABEL]);
    await ports.search.addComment(issue.id, lateApprovalComment(status.dueAt, status.approvedAt, status.approverAccountId));
    next.lateRecordedAt = now.toISOString();
    next.resolvedAt = now.toISOString();
  } else if (action === 'resolve') {
    next.resolvedAt = now.toISOString();
  }
  // Labels it set earlier and a user removed: set again, without a new comment.
  const shown = labelsOf(issue);
  const lost = [prior?.flaggedAt ? OVERDUE_LABEL : null, prior?.lateRecordedAt ? LATE_LABEL : null, prior?.tamperReportedAt && !reportTamper ? TAMPERED_LABEL : null].filter(
    (l): l is string => l !== null && !shown.has(l),
  );
  if (lost.length) {
    await ports.search.addLabels(issue.id, lost);
    ports.log(LOG_EVENT, { event: 'labels-restored', issueId: issue.id, labels: lost.join(',') });
  }
  const acted = action !== 'none' || reportTamper;
  if (acted) next.updatedAt = now.toISOString();
  if (acted || state === 'unreadable') await ports.store.set(stateKey(issue.id), next);
  // The mirror: rewritten whenever it differs from the app's state (a failed write, or a user's edit).
  const stored = prior && !acted ? prior : next;
  if ((acted || prior) && !sameJson(issue.properties?.[POSTHOC_PROPERTY_KEY], stored)) {
    try {
      await ports.jira.setIssueProperty(issue.id, POSTHOC_PROPERTY_KEY, stored);
    } catch (error) {
      // The state is in KVS; the mirror is rewritten next run.
      ports.log(LOG_EVENT, { event: 'mirror-not-written', issueId: issue.id, errorCode: errorCode(error) });
    }
  }
  if (fromIndex && next.resolvedAt) await closePostHocEntry(ports.store, issue.id);
  const outcome: Outcome = action === 'warn' ? 'warned' : action === 'flag' ? 'flagged' : action === 'record-late' ? 'late' : action === 'resolve' ? 'resolved' : 'none';
  return { outcome, tamperReported: reportTamper, relabelled: lost.length > 0 };
};

/** One run of the sweep; never throws. */
export const runPostHocSweep = async (deps: SweepDeps, invocation: SweepInvocation = { kind: 'trigger' }): Promise<SweepSummary> => {
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
    pages: 0, scanned: 0, warned: 0, flagged: 0, lateApprovals: 0, resolved: 0, tampered: 0, relabelled: 0, indexed: 0, errors: 0, errorIssues: [], restCalls: 0, kvsOps: 0,
    invocation: invocation.kind, runId: null, continuation: 0, skipped: null, continuationPushed: false, chainCapped: false,
  };
  const fail = (issueId: string, error: unknown) => {
    const code = errorCode(error);
    summary.errors += 1;
    if (summary.errorIssues.length < MAX_ERROR_IDS) summary.errorIssues.push({ issueId, code });
    log(LOG_EVENT, { event: 'ticket-skipped', issueId, errorCode: code });
  };

  const concurrency = Math.max(1, Math.floor(deps.concurrency ?? DEFAULT_CONCURRENCY));
  const maxContinuations = deps.maxContinuations ?? DEFAULT_MAX_CONTINUATIONS;
  const newId = deps.newId ?? (() => randomUUID());
  const me = newId();

  // The lease: one invocation sweeps at a time (a conditional write decides between rivals).
  let lease: SweepLease | undefined;
  try {
    const now = deps.clock();
    const expiresAt = new Date(now.getTime() + budgetMs + LEASE_MARGIN_MS).toISOString();
    const request: LeaseRequest['invocation'] = invocation.kind === 'trigger' ? { kind: 'trigger', runId: newId() } : invocation;
    const outcome = await takeLease(kv.store, { me, now, expiresAt, invocation: request });
    if (outcome.unreadable) log(LOG_EVENT, { event: 'lease-unreadable', key: LEASE_KEY });
    if ('skipped' in outcome) summary.skipped = outcome.skipped;
    else lease = outcome.lease;
  } catch (error) {
    // No KVS: nothing can be swept safely; reported as a failed run (errors: 1), not as a skip.
    fail('(lease)', error);
    lease = undefined;
  }
  if (summary.skipped) {
    summary.kvsOps = kv.ops();
    summary.durationMs = Math.round(elapsed() - t0);
    log(LOG_EVENT, { event: 'skipped', reason: summary.skipped, invocation: invocation.kind, kvsOps: summary.kvsOps });
    return summary;
  }
  summary.runId = lease?.runId ?? null;
  summary.continuation = lease?.continuations ?? 0;

  let cursorLeft = false;
  if (lease) try {
    const { policy } = await loadPolicy(kv.store);
    const jql = candidateJql(policy);
    const storedCursor = (await kv.store.get(CURSOR_KEY)) as Partial<SweepCursor> | undefined | null;
    let token: string | null = storedCursor?.jql === jql && typeof storedCursor.nextPageToken === 'string' ? storedCursor.nextPageToken : null;
    summary.resumed = token !== null;
    // A 429 pauses the pool: while any request waits out its Retry-After, no other request starts.
    let paused: Promise<unknown> = Promise.resolve();
    const pausingSleep = (ms: number) => {
      const wait = deps.sleep(ms);
      paused = Promise.all([paused, wait]);
      return wait;
    };
    const gated: JiraTransport = async (request) => {
      await paused;
      return counted.transport(request);
    };
    const opts = { sleep: pausingSleep, retries: deps.retries ?? 5, now: deps.clock };
    const ports: Ports = {
      store: kv.store,
      jira: createJiraClient(gated, { ...opts, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults }),
      search: createSearchClient(gated, opts),
      policy, now, log,
    };
    const fields = sweepFieldIds(policy);
    const changelogFields = gateChangelogFieldIds(policy);

    const saveCursor = (nextPageToken: string | null) => kv.store.set(CURSOR_KEY, { version: 1, jql, nextPageToken, savedAt: deps.clock().toISOString() } satisfies SweepCursor);

    let stopped = false;
    // Jira failed the search after its retries: the next hourly trigger resumes, no continuation now.
    let searchFailed = false;
    const count = (result: IssueResult) => {
      if (result.outcome === 'warned') summary.warned += 1;
      else if (result.outcome === 'flagged') summary.flagged += 1;
      else if (result.outcome === 'late') summary.lateApprovals += 1;
      else if (result.outcome === 'resolved') summary.resolved += 1;
      if (result.tamperReported) summary.tampered += 1;
      if (result.relabelled) summary.relabelled += 1;
    };
    /** Runs `work` over `items` with the worker pool; stops taking new items when the budget is spent. */
    const pool = async <T>(items: readonly T[], work: (item: T) => Promise<void>) => {
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          if (overBudget()) {
            stopped = true;
            return;
          }
          await work(items[next++]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    };
    const changelogsOf = async (ids: readonly string[]) => {
      const histories = new Map<string, Changelog[]>();
      let changelogToken: string | undefined;
      do {
        const part = await ports.jira.bulkFetchChangelogs(ids, changelogFields, changelogToken);
        for (const entry of part.issueChangeLogs) histories.set(entry.issueId, [...(histories.get(entry.issueId) ?? []), ...entry.changeHistories]);
        changelogToken = part.nextPageToken ?? undefined;
      } while (changelogToken);
      return histories;
    };

    // 1. The app-only index of open obligations, every run: no field or property can hide an entry.
    const visited = new Set<string>();
    const open = await listOpenPostHoc(kv.store);
    for (let i = 0; i < open.length && !stopped; i += pageSize) {
      const ids = open.slice(i, i + pageSize);
      const issues: IssueJson[] = [];
      await pool(ids, async (id) => {
        try {
          issues.push(await ports.jira.getIssue(id, { fields, properties: [POSTHOC_PROPERTY_KEY, EVIDENCE_PROPERTY_KEY] }));
        } catch (error) {
          // A deleted issue: nothing more can happen to it.
          if (error instanceof JiraHttpError && error.status === 404) {
            await closePostHocEntry(kv.store, id);
            log(LOG_EVENT, { event: 'index-entry-closed', issueId: id, reason: 'issue-not-found' });
          } else fail(id, error);
        }
      });
      if (!issues.length) continue;
      let histories: Map<string, Changelog[]>;
      try {
        histories = await changelogsOf(issues.map((issue) => issue.id));
      } catch (error) {
        for (const issue of issues) fail(issue.id, error);
        continue;
      }
      await pool(issues, async (issue) => {
        visited.add(issue.id);
        summary.indexed += 1;
        try {
          count(await processIssue(ports, issue, histories.get(issue.id) ?? [], true));
        } catch (error) {
          fail(issue.id, error);
        }
      });
    }

    // 2. The candidate JQL, for what the recorder never saw (before the upgrade, off-lifecycle moves).
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
        searchFailed = true;
        break;
      }
      summary.pages += 1;
      const fresh = page.issues.filter((issue) => !visited.has(issue.id));
      let histories = new Map<string, Changelog[]>();
      let changelogError: unknown = null;
      if (fresh.length) {
        try {
          histories = await changelogsOf(fresh.map((i) => i.id));
        } catch (error) {
          changelogError = error;
        }
      }
      await pool(fresh, async (issue) => {
        summary.scanned += 1;
        if (changelogError) return fail(issue.id, changelogError);
        try {
          count(await processIssue(ports, issue, histories.get(issue.id) ?? [], false));
        } catch (error) {
          fail(issue.id, error);
        }
      });
      // Resume at this page next run (every in-flight issue has finished; those done show their new property).
      if (stopped) break pages;
      token = page.nextPageToken ?? null;
      if (!token || page.isLast === true) {
        token = null;
        break;
      }
    }
    summary.complete = !stopped;
    if (stopped || storedCursor?.nextPageToken || storedCursor?.jql !== jql) await saveCursor(stopped ? token : null);
    cursorLeft = stopped && token !== null && !searchFailed;
  } catch (error) {
    fail('(run)', error);
  }
  // Release the lease (recording whether a continuation is queued), then push it: the consumer must find the lease free.
  if (lease) {
    const canContinue = cursorLeft && !!deps.queue && lease.continuations < maxContinuations;
    summary.chainCapped = cursorLeft && !!deps.queue && !canContinue;
    try {
      await releaseLease(kv.store, lease, deps.clock(), canContinue);
      if (canContinue) {
        await deps.queue!.push({ runId: lease.runId, continuation: lease.continuations + 1 });
        summary.continuationPushed = true;
      }
    } catch (error) {
      // Nothing lost: the cursor is saved, the next hourly trigger resumes there.
      fail('(continuation)', error);
    }
    if (summary.chainCapped) log(LOG_EVENT, { event: 'chain-capped', runId: lease.runId, continuations: lease.continuations });
    try {
      await pruneClaims(kv.store, lease);
    } catch (error) {
      fail('(lease-claims)', error);
    }
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
    flagged: summary.flagged, lateApprovals: summary.lateApprovals, resolved: summary.resolved, tampered: summary.tampered, relabelled: summary.relabelled, indexed: summary.indexed, errors: summary.errors,
    durationMs: summary.durationMs, restCalls: summary.restCalls, kvsOps: summary.kvsOps, invocation: summary.invocation, runId: summary.runId,
    continuation: summary.continuation, continuationPushed: summary.continuationPushed, chainCapped: summary.chainCapped,
  });
  return summary;
};
