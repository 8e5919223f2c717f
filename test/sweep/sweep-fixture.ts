/** A sandbox (no demo data unless asked) with a settable clock, the app's real sweep, quiet logs and a counting sleep. */
import { addBusinessHours } from '../../src/domain';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import type { FaultPlan } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/start-sandbox';
import type { SandboxIssue } from '../../sandbox/state/sandbox-state';
import type { JiraRequest, JiraResponse, JiraTransport } from '../../src/jira/transport';
import type { LedgerStore } from '../../src/ports/ledger-store';
import { sealMirror, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import type { EvidencePropertyRecord } from '../../src/jira/evidence-property';
import { ContinuationEvent, LAST_RUN_KEY, runPostHocSweep, SweepDeps, SweepInvocation, SweepSummary } from '../../src/sweep/sweep';

export const T0 = new Date('2026-03-02T08:00:00.000Z');
const quiet = () => undefined;

export interface FixtureOptions {
  demo?: boolean;
  budgetMs?: number;
  pageSize?: number;
  /** Each read of the budget timer advances it by this many ms (default: real time). */
  elapsedStepMs?: number;
  faults?: Partial<FaultPlan>;
  concurrency?: number;
  maxContinuations?: number;
}

export interface LogLine {
  event: string;
  fields: Record<string, unknown>;
}

export const sweepSandbox = async (options: FixtureOptions = {}) => {
  let now = T0;
  const sleeps: number[] = [];
  let tick = 0;
  const logs: LogLine[] = [];
  const capture = (event: string, fields: Record<string, unknown> = {}) => void logs.push({ event, fields });
  const sandbox = await startSandbox({
    port: 0,
    demo: options.demo ?? false,
    clock: () => now,
    triggerIntervalMs: 0,
    eventsIntervalMs: 0,
    routerLog: quiet,
    forgeRuntime: {
      log: capture,
      ...(options.concurrency !== undefined ? { sweepConcurrency: options.concurrency } : {}),
      ...(options.maxContinuations !== undefined ? { sweepMaxContinuations: options.maxContinuations } : {}),
      sleep: async (ms) => void sleeps.push(ms),
      ...(options.elapsedStepMs !== undefined ? { elapsed: () => (tick += options.elapsedStepMs!) } : {}),
      ...(options.budgetMs !== undefined ? { sweepBudgetMs: options.budgetMs } : {}),
      ...(options.pageSize !== undefined ? { sweepPageSize: options.pageSize } : {}),
    },
  });
  if (options.faults) sandbox.router.faults.update(options.faults);
  const run = async (): Promise<SweepSummary> => {
    sandbox.router.stats.reset();
    const invocation = await sandbox.runtime.runScheduledTrigger('posthoc-sweep');
    expect(invocation).toMatchObject({ errorName: null, validResponse: true, result: { statusCode: 204 } });
    return (await sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary;
  };
  return {
    sandbox,
    state: sandbox.state,
    sleeps,
    logs,
    /** The sweep's `run` log lines (one per invocation that swept) and `skipped` lines. */
    sweepRuns: () => logs.filter((l) => l.event === 'cc81-posthoc-sweep' && l.fields.event === 'run').map((l) => l.fields),
    sweepSkips: () => logs.filter((l) => l.event === 'cc81-posthoc-sweep' && l.fields.event === 'skipped').map((l) => l.fields),
    now: () => now,
    setNow: (date: Date) => {
      now = date;
    },
    run,
    /** What the sweep can have changed, per issue key: labels, comment count, the cc81.posthoc property. */
    snapshot: () =>
      Object.fromEntries(
        sandbox.state.issues.map((issue) => [issue.key, { labels: [...((issue.fields.labels as string[]) ?? [])].sort(), comments: issue.comments.length, posthoc: issue.properties['cc81.posthoc'] ?? null }]),
      ),
    /** Records a post-hoc approval by the demo approver at the current time, as the evidence recorder would: in the app's log, mirrored on the issue. */
    approve: (issue: SandboxIssue) => {
      const evidence = (issue.properties['cc81.evidence'] as { version: 1; records: unknown[] } | undefined) ?? { version: 1 as const, records: [] };
      const record = { edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: DEMO_USERS.approver.accountId, at: now.toISOString(), executionId: `test-${issue.key}-${evidence.records.length}` } as const;
      sandbox.state.appEvidence.push({ issueId: issue.id, ...record });
      evidence.records.push(record);
      // The recorder rewrites the mirror whole, sealed with the app's key.
      issue.properties['cc81.evidence'] = sealMirror({ version: 1, records: evidence.records as EvidencePropertyRecord[] }, issue.id, 0, signingKeyOf(sandbox.state.appSigningKey));
    },
    /** Due and warn times of an emergency implemented at `implementedAt` under the sandbox policy. */
    clockOf: (implementedAt: Date) => {
      const { postHoc, businessHours } = sandbox.state.policy;
      return { dueAt: addBusinessHours(implementedAt, postHoc.windowHours, businessHours), warnAt: addBusinessHours(implementedAt, postHoc.windowHours - postHoc.warnBeforeHours, businessHours) };
    },
    close: () => sandbox.close(),
  };
};

export type SweepSandbox = Awaited<ReturnType<typeof sweepSandbox>>;

/** The append-only log operations of a store, passed through unchanged (for store wrappers). */
export const ledgerOps = (inner: LedgerStore): Pick<LedgerStore, 'setIfAbsent' | 'listByPrefix' | 'delete' | 'listPage'> => ({
  listPage: (prefix, cursor, limit) => inner.listPage(prefix, cursor, limit),
  setIfAbsent: (key, value) => inner.setIfAbsent(key, value),
  delete: (key) => inner.delete(key),
  listByPrefix: (prefix) => inner.listByPrefix(prefix),
});

export interface DirectOptions {
  /** Sits between the sweep and the sandbox's Jira: answer, alter or pass on (`next`) each request. */
  intercept?: (request: JiraRequest, next: JiraTransport) => Promise<JiraResponse>;
  /** Wraps the sandbox's KVS (failures, a rival writer). */
  store?: (inner: LedgerStore) => LedgerStore;
  /** Any other dependency (budget, concurrency, elapsed, queue, ...). */
  deps?: Partial<SweepDeps>;
}

/**
 * The sweep core called directly on a sandbox, every port injected: the sandbox as Jira (through
 * `intercept`), its KVS, business time at `f.now()`, a budget timer that moves only when the test
 * moves it (`timer.ms`), numbered ids (`id-1`, `id-2`, ...), a recording queue and captured logs.
 */
export const directSweep = (f: SweepSandbox, options: DirectOptions = {}) => {
  const requests: JiraRequest[] = [];
  const pushes: ContinuationEvent[] = [];
  const logs: LogLine[] = [];
  const timer = { ms: 1_000 };
  let ids = 0;
  const jira = f.sandbox.runtime.asApp();
  const intercept = options.intercept ?? ((request, next) => next(request));
  const deps: SweepDeps = {
    transport: (request) => {
      requests.push(request);
      return intercept(request, jira);
    },
    store: options.store ? options.store(f.sandbox.runtime.store) : f.sandbox.runtime.store,
    clock: () => f.now(),
    sleep: async () => undefined,
    elapsed: () => timer.ms,
    log: (event, fields) => void logs.push({ event, fields }),
    newId: () => `id-${(ids += 1)}`,
    queue: { push: async (event) => void pushes.push(event) },
    ...options.deps,
  };
  return {
    deps,
    requests,
    pushes,
    timer,
    run: (invocation?: SweepInvocation) => runPostHocSweep(deps, invocation),
    /** The sweep's log lines of one event (`run`, `skipped`, `ticket-skipped`, ...). */
    logged: (event: string) => logs.filter((l) => l.event === 'cc81-posthoc-sweep' && l.fields.event === event).map((l) => l.fields),
  };
};

/** A response with the same status and headers whose JSON body is rewritten. */
export const rewriteBody = (response: JiraResponse, rewrite: (body: Record<string, unknown>) => unknown): JiraResponse => ({
  status: response.status,
  header: (name) => response.header(name),
  json: async () => rewrite((await response.json()) as Record<string, unknown>),
});

/** A bare Jira answer (an injected fault). */
export const jiraAnswer = (status: number, body: unknown = {}, headers: Record<string, string> = {}): JiraResponse => ({
  status,
  header: (name) => headers[name] ?? null,
  json: async () => body,
});
