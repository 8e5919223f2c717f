/**
 * The sweep's time budget, its cursor (where the next run resumes) and its paging: search pages by
 * `nextPageToken`, changelog pages within a search page. The sweep core is called directly.
 */
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import type { JiraRequest, JiraTransport } from '../../src/jira/transport';
import { candidateJql } from '../../src/sweep/candidate-jql';
import { CURSOR_KEY, SweepCursor } from '../../src/sweep/sweep';
import { LEASE_KEY } from '../../src/sweep/sweep-lease';
import { directSweep, jiraAnswer, rewriteBody, SweepSandbox, sweepSandbox, T0 } from './sweep-fixture';

const H = 3_600_000;
const BUDGET = 10_000;
const overdue = (n: number) => Array.from({ length: n }, (_, i) => emergencyTicket(100 + i));
const isSearch = (r: JiraRequest) => r.path === '/rest/api/3/search/jql';
const isBulkfetch = (r: JiraRequest) => r.path === '/rest/api/3/changelog/bulkfetch';
const isPropertyWrite = (r: JiraRequest) => r.method === 'PUT' && r.path.includes('/properties/');
/** Comments per ticket, in ascending order (the search's order is Jira's). */
const commentsOf = (f: SweepSandbox) => f.state.issues.map((i) => i.comments.length).sort();

let f: SweepSandbox;
let jql: string;
beforeEach(async () => {
  f = await sweepSandbox();
  jql = candidateJql(f.state.policy);
});
afterEach(() => f.close());

const cursor = async () => (await f.sandbox.runtime.store.get(CURSOR_KEY)) as SweepCursor | undefined;

describe('the time budget', () => {
  it.each([
    { spent: BUDGET - 1, complete: true, pages: 1, scanned: 3 },
    { spent: BUDGET, complete: false, pages: 0, scanned: 0 },
  ])('with $spent ms of a 10 s budget spent before the first page: complete = $complete', async ({ spent, complete, pages, scanned }) => {
    importTickets(f.state, overdue(3), T0);
    let reads = 0;
    const s = directSweep(f, { deps: { budgetMs: BUDGET, elapsed: () => (reads++ === 0 ? 0 : spent) } });
    const summary = await s.run();
    expect(summary).toMatchObject({ complete, pages, scanned, flagged: scanned });
    expect(s.requests.length > 0).toBe(complete);
  });

  it('runs out in the middle of a page: no new ticket starts, and the next run picks up the rest', async () => {
    importTickets(f.state, overdue(3), T0);
    let now = 0;
    const spendBudgetOnWrite: (r: JiraRequest, next: JiraTransport) => ReturnType<JiraTransport> = async (request, next) => {
      const response = await next(request);
      if (isPropertyWrite(request)) now += BUDGET;
      return response;
    };
    const first = await directSweep(f, { intercept: spendBudgetOnWrite, deps: { budgetMs: BUDGET, concurrency: 1, elapsed: () => now } }).run();
    expect(first).toMatchObject({ complete: false, pages: 1, scanned: 1, flagged: 1 });
    expect(commentsOf(f)).toEqual([0, 0, 1]);

    const second = await directSweep(f).run();
    expect(second).toMatchObject({ complete: true, scanned: 3, flagged: 2 });
    expect(commentsOf(f)).toEqual([1, 1, 1]);
  });

  it('stopped on a later page: saves the cursor at that page, queues a continuation, which resumes there and clears the cursor', async () => {
    importTickets(f.state, overdue(4), T0);
    let now = 0;
    let writes = 0;
    const s = directSweep(f, {
      deps: { budgetMs: BUDGET, concurrency: 1, pageSize: 2, elapsed: () => now },
      intercept: async (request, next) => {
        const response = await next(request);
        if (isPropertyWrite(request) && ++writes === 3) now += BUDGET; // the first ticket of page 2
        return response;
      },
    });
    const first = await s.run();
    expect(first).toMatchObject({ complete: false, resumed: false, pages: 2, scanned: 3, flagged: 3, runId: 'id-2', continuationPushed: true, chainCapped: false });
    const saved = await cursor();
    expect(saved).toMatchObject({ jql, savedAt: T0.toISOString() });
    expect(typeof saved?.nextPageToken).toBe('string');
    expect(s.pushes).toEqual([{ runId: 'id-2', continuation: 1 }]);
    expect(await f.sandbox.runtime.store.get(LEASE_KEY)).toMatchObject({ holder: null, runId: 'id-2', continuations: 0, pending: true });

    const next = directSweep(f, { deps: { pageSize: 2 } });
    const second = await next.run({ kind: 'continuation', runId: 'id-2', continuation: 1 });
    // Page 2 again: its first ticket is already flagged (nothing repeated), the second is flagged now.
    expect(second).toMatchObject({ complete: true, resumed: true, pages: 1, scanned: 2, flagged: 1, continuation: 1, continuationPushed: false });
    expect(next.requests.filter(isSearch)[0]?.body).toMatchObject({ nextPageToken: saved?.nextPageToken });
    expect((await cursor())?.nextPageToken).toBeNull();
    expect(next.pushes).toEqual([]);
    expect(commentsOf(f)).toEqual([1, 1, 1, 1]);
  });
});

describe('the cursor after a complete run', () => {
  const OLD = new Date(T0.getTime() - H).toISOString();
  it.each([
    { name: 'no cursor yet', stored: undefined, rewritten: true },
    { name: 'a cursor of another JQL (the policy changed), at the start', stored: { version: 1, jql: 'project = OLD', nextPageToken: null, savedAt: OLD }, rewritten: true },
    { name: 'a cursor of another JQL, mid-way: its token is not used', stored: { version: 1, jql: 'project = OLD', nextPageToken: 'token-of-another-query', savedAt: OLD }, rewritten: true },
    { name: 'a cursor at the start already', stored: 'current-at-start', rewritten: false },
  ])('$name: starts from the first page; rewritten = $rewritten', async ({ stored, rewritten }) => {
    importTickets(f.state, overdue(2), T0);
    if (stored) await f.sandbox.runtime.store.set(CURSOR_KEY, stored === 'current-at-start' ? { version: 1, jql, nextPageToken: null, savedAt: OLD } : stored);
    const s = directSweep(f);
    const summary = await s.run();
    expect(summary).toMatchObject({ complete: true, resumed: false, scanned: 2, flagged: 2, errors: 0 });
    expect(s.requests.filter(isSearch)[0]?.body).not.toHaveProperty('nextPageToken');
    expect(await cursor()).toEqual({ version: 1, jql, nextPageToken: null, savedAt: rewritten ? T0.toISOString() : OLD });
  });
});

describe('a failed search', () => {
  it('on a page token Jira no longer accepts (400): starts over next run instead of failing forever', async () => {
    importTickets(f.state, overdue(2), T0);
    await f.sandbox.runtime.store.set(CURSOR_KEY, { version: 1, jql, nextPageToken: 'expired-token', savedAt: T0.toISOString() });
    const s = directSweep(f);
    const first = await s.run();
    expect(first).toMatchObject({ complete: false, resumed: true, scanned: 0, errors: 1, errorIssues: [{ issueId: '(search)', code: 'JIRA_HTTP' }], continuationPushed: false });
    expect((await cursor())?.nextPageToken).toBeNull();

    const second = await directSweep(f).run();
    expect(second).toMatchObject({ complete: true, resumed: false, scanned: 2, flagged: 2, errors: 0 });
  });

  it('on a server error (500): keeps the cursor, to resume at the same page on the next trigger, and queues no continuation', async () => {
    importTickets(f.state, overdue(2), T0);
    await f.sandbox.runtime.store.set(CURSOR_KEY, { version: 1, jql, nextPageToken: 'page-2-token', savedAt: T0.toISOString() });
    const s = directSweep(f, { intercept: async (request, next) => (isSearch(request) ? jiraAnswer(500) : next(request)) });
    const summary = await s.run();
    expect(summary).toMatchObject({ complete: false, resumed: true, errors: 1, errorIssues: [{ issueId: '(search)', code: 'JIRA_HTTP' }], continuationPushed: false, chainCapped: false });
    expect(s.pushes).toEqual([]);
    expect((await cursor())?.nextPageToken).toBe('page-2-token');
  });
});

describe('search paging', () => {
  // Two pages of 2 and 1 tickets; the last page's answer is altered. Each request spends budget, so a sweep that never stops paging ends anyway.
  it.each([
    { name: 'the last page omits isLast (no token)', lastPage: (body: Record<string, unknown>) => ({ ...body, isLast: undefined }) },
    { name: 'the last page says isLast but still sends a token', lastPage: (body: Record<string, unknown>) => ({ ...body, nextPageToken: 'past-the-end' }) },
  ])('stops after the last page when $name', async ({ lastPage }) => {
    importTickets(f.state, overdue(3), T0);
    const s = directSweep(f, {
      deps: { pageSize: 2, budgetMs: BUDGET },
      intercept: async (request, next) => {
        s.timer.ms += 100;
        const response = await next(request);
        if (!isSearch(request)) return response;
        return rewriteBody(response, (body) => (body.isLast === true ? lastPage(body) : body));
      },
    });
    const summary = await s.run();
    expect(summary).toMatchObject({ complete: true, pages: 2, scanned: 3, flagged: 3, errors: 0 });
    expect(s.requests.filter(isSearch)).toHaveLength(2);
    expect((await cursor())?.nextPageToken).toBeNull();
  });

  it('reads every changelog page of a search page before judging its tickets', async () => {
    // Implemented 100 h ago, approved post hoc 90 h ago (on time); the approval comes on the second changelog page.
    const [approved, unapproved] = importTickets(f.state, [emergencyTicket(100, 90), emergencyTicket(100)], T0);
    type Entry = { issueId: string; changeHistories: unknown[] };
    let secondPage: Entry[] = [];
    const s = directSweep(f, {
      intercept: async (request, next) => {
        if (!isBulkfetch(request)) return next(request);
        if ((request.body as { nextPageToken?: string }).nextPageToken === 'changelog-page-2') return jiraAnswer(200, { issueChangeLogs: secondPage });
        return rewriteBody(await next(request), (body) => {
          const entries = body.issueChangeLogs as Entry[];
          secondPage = entries.map((e) => ({ issueId: e.issueId, changeHistories: e.changeHistories.slice(1) }));
          return { issueChangeLogs: entries.map((e) => ({ issueId: e.issueId, changeHistories: e.changeHistories.slice(0, 1) })), nextPageToken: 'changelog-page-2' };
        });
      },
    });
    expect(await s.run()).toMatchObject({ scanned: 2, resolved: 1, flagged: 1, errors: 0 });
    expect(s.requests.filter(isBulkfetch)).toHaveLength(2);
    expect(approved!.properties['cc81.posthoc']).toMatchObject({ status: 'satisfied-on-time', approvedAt: new Date(T0.getTime() - 90 * H).toISOString() });
    expect(unapproved!.properties['cc81.posthoc']).toMatchObject({ status: 'overdue' });
  });
});
