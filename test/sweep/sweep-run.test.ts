/**
 * One sweep run as an operator sees it: what it records per ticket (never repeating a comment), how
 * failures are reported (ids, codes, log lines), its worker pool, its continuation and summary.
 * The sweep core is called directly, every port injected.
 */
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { seedPolicy } from '../../sandbox/forge-runtime/stored-policy';
import type { JiraRequest } from '../../src/jira/transport';
import type { LedgerStore } from '../../src/ports/ledger-store';
import { LAST_RUN_KEY, sweepFieldIds } from '../../src/sweep/sweep';
import { LEASE_KEY } from '../../src/sweep/sweep-lease';
import { stateKey } from '../../src/sweep/posthoc-index';
import type { PostHocProperty } from '../../src/sweep/posthoc-property';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { directSweep, jiraAnswer, SweepSandbox, sweepSandbox, T0, ledgerOps } from './sweep-fixture';

const H = 3_600_000;
const hoursAgo = (h: number) => new Date(T0.getTime() - h * H).toISOString();
const LATER = new Date(T0.getTime() + H);
const isPropertyWrite = (r: JiraRequest) => r.method === 'PUT' && r.path.includes('/properties/');
const isComment = (r: JiraRequest) => r.method === 'POST' && r.path.endsWith('/comment');
const isLabelEdit = (r: JiraRequest) => r.method === 'PUT' && /\/issue\/[^/]+$/.test(r.path);
const failingOn = (key: string, name: string) => (inner: LedgerStore): LedgerStore => ({
  ...ledgerOps(inner),
  get: (k) => inner.get(k),
  set: async (k, value) => {
    if (k === key) throw Object.assign(new Error('KVS write failed'), { name });
    return inner.set(k, value);
  },
});

/** What the sweep keeps in KVS for a ticket, as an earlier run left it. */
const aSweepState = (overrides: Partial<PostHocProperty>): PostHocProperty => ({
  version: 1, status: 'pending', dueAt: null, warnAt: null, warnedAt: null, flaggedAt: null, approvedAt: null, approverAccountId: null,
  lateByMs: null, lateRecordedAt: null, resolvedAt: null, tamperReportedAt: null, tamperDifferences: 0, updatedAt: hoursAgo(1), ...overrides,
});

let f: SweepSandbox;
beforeEach(async () => {
  f = await sweepSandbox();
});
afterEach(() => f.close());

describe('per ticket', () => {
  it('does not warn again a ticket it warned last run, and mirrors its state onto the issue', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(60)], T0); // in its warning window
    await f.sandbox.runtime.store.set(stateKey(issue!.id), aSweepState({ status: 'warning', warnedAt: hoursAgo(1) }));
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ scanned: 1, warned: 0, resolved: 0, errors: 0 });
    expect(s.requests.filter(isComment)).toEqual([]);
    expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'warning', warnedAt: hoursAgo(1), resolvedAt: null });
  });

  it('trusts what it keeps in KVS, never the issue property: a warnedAt or resolvedAt written by a user changes nothing', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    issue!.properties['cc81.posthoc'] = aSweepState({ status: 'satisfied-on-time', warnedAt: hoursAgo(30), flaggedAt: hoursAgo(2), resolvedAt: hoursAgo(2) });
    expect(await directSweep(f).run()).toMatchObject({ flagged: 1, errors: 0 });
    expect(issue!.fields.labels).toEqual(['cc81-posthoc-overdue']);
    expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'overdue', flaggedAt: T0.toISOString(), resolvedAt: null });
  });

  it('flags a ticket now overdue that it warned earlier, counting the flag', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    await f.sandbox.runtime.store.set(stateKey(issue!.id), aSweepState({ status: 'warning', warnedAt: hoursAgo(30) }));
    expect(await directSweep(f).run()).toMatchObject({ flagged: 1, warned: 0, errors: 0 });
    expect(issue!.comments).toHaveLength(1);
    expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'overdue', warnedAt: hoursAgo(30), flaggedAt: T0.toISOString() });
  });

  it('comments a late approval once: when the mirror write failed, the next run only rewrites the mirror', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(300, 100)], T0); // due 228 h ago, approved 100 h ago
    const failing = directSweep(f, { intercept: async (request, next) => (isPropertyWrite(request) ? jiraAnswer(500) : next(request)) });
    expect(await failing.run()).toMatchObject({ lateApprovals: 1, errors: 0 });
    expect(failing.logged('mirror-not-written')).toEqual([{ event: 'mirror-not-written', issueId: issue!.id, errorCode: 'JIRA_HTTP' }]);
    expect(issue!.comments).toHaveLength(1);

    f.setNow(LATER);
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ lateApprovals: 0, resolved: 0, errors: 0 });
    expect(s.requests.filter((r) => isComment(r) || isLabelEdit(r))).toEqual([]);
    expect(issue!.comments).toHaveLength(1);
    expect(issue!.fields.labels).toEqual(['cc81-posthoc-late']);
    expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'satisfied-late', lateRecordedAt: T0.toISOString(), resolvedAt: T0.toISOString(), approvedAt: hoursAgo(100) });
  });

  it('records who approved on time and when', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100, 90)], T0);
    expect(await directSweep(f).run()).toMatchObject({ resolved: 1 });
    expect(issue!.properties['cc81.posthoc']).toMatchObject({
      status: 'satisfied-on-time', approvedAt: hoursAgo(90), approverAccountId: DEMO_USERS.approver.accountId, resolvedAt: T0.toISOString(), lateRecordedAt: null,
    });
  });

  it('resolves a ticket in KVS even when Jira refuses the mirror; the next run writes the mirror and resolves nothing again', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100, 90)], T0);
    const s = directSweep(f, { intercept: async (request, next) => (isPropertyWrite(request) ? jiraAnswer(500) : next(request)) });
    expect(await s.run()).toMatchObject({ resolved: 1, errors: 0 });
    expect(issue!.properties['cc81.posthoc']).toBeUndefined();
    f.setNow(LATER);
    expect(await directSweep(f).run()).toMatchObject({ resolved: 0, errors: 0 });
    expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'satisfied-on-time', resolvedAt: T0.toISOString() });
  });
});

describe('failures', () => {
  it('counts every failed ticket, keeps the first 50 ids in the summary and logs each one', async () => {
    const issues = importTickets(f.state, Array.from({ length: 51 }, (_, i) => emergencyTicket(100 + i)), T0);
    const s = directSweep(f, { intercept: async (request, next) => (request.path === '/rest/api/3/changelog/bulkfetch' ? jiraAnswer(500) : next(request)) });
    const summary = await s.run();
    expect(summary.errors).toBe(51);
    expect(summary.errorIssues).toHaveLength(50);
    expect(summary.errorIssues.every((e) => e.code === 'JIRA_HTTP')).toBe(true);
    const ids = issues.map((i) => i.id);
    expect(new Set(summary.errorIssues.map((e) => e.issueId)).size).toBe(50);
    expect(summary.errorIssues.every((e) => ids.includes(e.issueId))).toBe(true);
    const skipped = s.logged('ticket-skipped');
    expect(skipped).toHaveLength(51);
    expect(skipped.map((l) => l.issueId).sort()).toEqual([...ids].sort());
    expect(skipped.every((l) => l.errorCode === 'JIRA_HTTP')).toBe(true);
  });

  it('with the policy not configured: one error, no continuation, nothing else written', async () => {
    importTickets(f.state, [emergencyTicket(100)], T0);
    const statuses = Object.fromEntries(Object.entries(f.state.policy.statuses).filter(([state]) => state !== 'Implemented'));
    await seedPolicy(f.sandbox.runtime.store, { ...f.state.policy, version: f.state.policy.version + 1, statuses }, T0);
    const s = directSweep(f);
    const summary = await s.run();
    expect(summary).toMatchObject({ complete: false, errors: 1, errorIssues: [{ issueId: '(run)', code: 'NOT_CONFIGURED' }], continuationPushed: false, chainCapped: false });
    expect(s.requests).toEqual([]);
    expect(s.pushes).toEqual([]);
    expect(await f.sandbox.runtime.store.get(stateKey(f.state.issues[0]!.id))).toBeUndefined();
    expect(await f.sandbox.runtime.store.get(LEASE_KEY)).toMatchObject({ holder: null, pending: false });
  });

  it('reports a ticket whose state it could not keep in KVS, and writes no mirror it has not kept', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    const s = directSweep(f, { store: failingOn(stateKey(issue!.id), 'KvsWriteFailed') });
    const summary = await s.run();
    expect(summary).toMatchObject({ flagged: 0, errors: 1, errorIssues: [{ issueId: issue!.id, code: 'KvsWriteFailed' }] });
    expect(issue!.properties['cc81.posthoc']).toBeUndefined();
  });

  it.each([
    { name: 'an Error', rejection: Object.assign(new Error('queue down'), { name: 'QueueDown' }), code: 'QueueDown' },
    { name: 'something else', rejection: 'queue down', code: 'UNKNOWN' },
  ])('reports a continuation it could not queue ($name thrown); the next trigger resumes from the cursor', async ({ rejection, code }) => {
    importTickets(f.state, Array.from({ length: 4 }, (_, i) => emergencyTicket(100 + i)), T0);
    let now = 0;
    const s = directSweep(f, {
      deps: { pageSize: 2, concurrency: 1, budgetMs: 10_000, elapsed: () => now, queue: { push: async () => Promise.reject(rejection) } },
      intercept: async (request, next) => {
        const response = await next(request);
        if (isPropertyWrite(request) && f.state.issues.filter((i) => i.comments.length).length === 3) now += 10_000;
        return response;
      },
    });
    const summary = await s.run();
    expect(summary).toMatchObject({ complete: false, continuationPushed: false, errorIssues: [{ issueId: '(continuation)', code }] });
  });

  it('logs a summary it could not store, and still returns it', async () => {
    importTickets(f.state, [emergencyTicket(100)], T0);
    const s = directSweep(f, { store: failingOn(LAST_RUN_KEY, 'KvsWriteFailed') });
    expect(await s.run()).toMatchObject({ flagged: 1, errors: 0 });
    expect(s.logged('summary-not-saved')).toEqual([{ event: 'summary-not-saved', errorCode: 'KvsWriteFailed' }]);
  });
});

describe('the worker pool', () => {
  it.each([0, 0.5, -2])('with concurrency %p still works through every ticket, one at a time', async (concurrency) => {
    importTickets(f.state, Array.from({ length: 3 }, (_, i) => emergencyTicket(100 + i)), T0);
    expect(await directSweep(f, { deps: { concurrency } }).run()).toMatchObject({ scanned: 3, flagged: 3, errors: 0 });
  });

  it('starts no request while another waits out a 429', async () => {
    importTickets(f.state, Array.from({ length: 2 }, (_, i) => emergencyTicket(100 + i)), T0);
    let waiting = false;
    let limited = false;
    const duringWait: string[] = [];
    const s = directSweep(f, {
      deps: {
        concurrency: 2,
        sleep: async () => {
          waiting = true;
          await new Promise((resolve) => setTimeout(resolve, 20));
          waiting = false;
        },
      },
      intercept: async (request, next) => {
        if (waiting) duringWait.push(`${request.method} ${request.path}`);
        if (isLabelEdit(request) && !limited) {
          limited = true;
          return jiraAnswer(429, {}, { 'Retry-After': '1' });
        }
        return next(request);
      },
    });
    expect(await s.run()).toMatchObject({ flagged: 2, errors: 0 });
    expect(limited).toBe(true);
    expect(duringWait).toEqual([]);
  });
});

describe('the continuation chain and the summary', () => {
  const tickets = () => importTickets(f.state, Array.from({ length: 4 }, (_, i) => emergencyTicket(100 + i)), T0);
  /** A run of pages of 2 whose budget runs out on page 2 (after `stopAfterWrites` property writes), or never. */
  const sweep = (options: { stopAfterWrites: number | null; queue: boolean; maxContinuations?: number }) => {
    let now = 0;
    let writes = 0;
    const s = directSweep(f, {
      deps: { pageSize: 2, concurrency: 1, budgetMs: 10_000, elapsed: () => now, ...(options.maxContinuations !== undefined ? { maxContinuations: options.maxContinuations } : {}) },
      intercept: async (request, next) => {
        const response = await next(request);
        if (isPropertyWrite(request) && ++writes === options.stopAfterWrites) now += 10_000;
        return response;
      },
    });
    if (!options.queue) delete s.deps.queue;
    return s;
  };
  it.each([
    { name: 'complete, with a queue', stopAfterWrites: null, queue: true, max: undefined, expected: { complete: true, continuationPushed: false, chainCapped: false }, pushed: 0 },
    { name: 'stopped with a cursor left, with a queue', stopAfterWrites: 3, queue: true, max: undefined, expected: { complete: false, continuationPushed: true, chainCapped: false }, pushed: 1 },
    { name: 'stopped with a cursor left, no queue', stopAfterWrites: 3, queue: false, max: undefined, expected: { complete: false, continuationPushed: false, chainCapped: false }, pushed: 0 },
    { name: 'stopped with a cursor left, chain at its cap', stopAfterWrites: 3, queue: true, max: 0, expected: { complete: false, continuationPushed: false, chainCapped: true }, pushed: 0 },
  ])('$name', async ({ stopAfterWrites, queue, max, expected, pushed }) => {
    tickets();
    const s = sweep({ stopAfterWrites, queue, ...(max !== undefined ? { maxContinuations: max } : {}) });
    expect(await s.run()).toMatchObject(expected);
    expect(s.pushes).toHaveLength(pushed);
    expect(await f.sandbox.runtime.store.get(LEASE_KEY)).toMatchObject({ holder: null, pending: pushed === 1 });
    expect(s.logged('chain-capped')).toEqual(expected.chainCapped ? [{ event: 'chain-capped', runId: 'id-2', continuations: 0 }] : []);
  });

  it('measures its duration on the budget timer', async () => {
    tickets();
    let now = 7_000;
    const s = directSweep(f, {
      deps: { elapsed: () => now },
      intercept: async (request, next) => {
        now += 250;
        return next(request);
      },
    });
    const summary = await s.run();
    expect(summary.durationMs).toBe(250 * s.requests.length);
    expect(await f.sandbox.runtime.store.get(LAST_RUN_KEY)).toMatchObject({ durationMs: 250 * s.requests.length });
  });
});

describe('sweepFieldIds', () => {
  it('asks for status, created, labels and every mapped field, each once, and nothing for an unmapped field', () => {
    const mapped = aMappedPolicy();
    const policy = { ...mapped, fields: { ...mapped.fields, verifier: undefined, summary: 'summary' } };
    const ids = sweepFieldIds(policy);
    expect(ids).toEqual(expect.arrayContaining(['status', 'created', 'labels', 'summary', mapped.fields.changeType]));
    expect(ids).not.toContain(mapped.fields.verifier);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
