// The app-only index of open post-hoc obligations (issue 14): what the recorder opened is visited every run,
// whatever a user has since done to the issue's fields or properties.
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { OPTION_LABELS } from '../../src/domain';
import { listOpenPostHoc, openPostHocEntry, stateKey } from '../../src/sweep/posthoc-index';
import { OVERDUE_LABEL } from '../../src/sweep/posthoc-property';
import { directSweep, jiraAnswer, SweepSandbox, sweepSandbox, T0 } from './sweep-fixture';

const H = 3_600_000;

let f: SweepSandbox;
beforeEach(async () => {
  f = await sweepSandbox();
});
afterEach(() => f.close());

const open = (issueId: string, hoursAgo: number) => openPostHocEntry(f.sandbox.runtime.store, issueId, new Date(T0.getTime() - hoursAgo * H));

describe('sweep: the open-obligation index', () => {
  it('flags an overdue emergency a user reclassified as Normal, once (index and JQL both find it)', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    await open(issue!.id, 100);
    // The implementer edits the field over REST, as any user with Edit issues can.
    const edit = await f.sandbox.runtime.asUser(DEMO_USERS.implementer.accountId)({
      method: 'PUT', path: `/rest/api/3/issue/${issue!.id}`, body: { fields: { [f.state.policy.fields.changeType!]: { value: OPTION_LABELS.changeType.normal } } },
    });
    expect(edit.status).toBe(204);
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ indexed: 1, scanned: 0, flagged: 1, errors: 0 });
    expect(issue!.fields.labels).toEqual([OVERDUE_LABEL]);
    expect(await listOpenPostHoc(f.sandbox.runtime.store)).toEqual([issue!.id]); // still open: overdue is not the end
  });

  it('visits an entry once per run even when the JQL finds the same issue', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    await open(issue!.id, 100);
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ indexed: 1, scanned: 0, flagged: 1 });
    expect(issue!.comments).toHaveLength(1);
  });

  it('closes the entry once nothing more can happen (approved on time), and then reads it no more', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100, 90)], T0);
    await open(issue!.id, 100);
    expect(await directSweep(f).run()).toMatchObject({ indexed: 1, resolved: 1 });
    expect(await listOpenPostHoc(f.sandbox.runtime.store)).toEqual([]);
    expect(await f.sandbox.runtime.store.get(stateKey(issue!.id))).toMatchObject({ status: 'satisfied-on-time' });
    const again = directSweep(f);
    expect(await again.run()).toMatchObject({ indexed: 0, scanned: 1, resolved: 0 });
    expect(again.requests.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('closes the entry of a deleted issue and logs it; any other failure keeps it and is reported', async () => {
    const [kept] = importTickets(f.state, [emergencyTicket(100)], T0);
    await open(kept!.id, 100);
    await open('99999', 100);
    const failing = directSweep(f, { intercept: async (request, next) => (request.method === 'GET' && request.path.endsWith(`/issue/${kept!.id}`) ? jiraAnswer(500) : next(request)) });
    const summary = await failing.run();
    expect(summary.errorIssues).toEqual([{ issueId: kept!.id, code: 'JIRA_HTTP' }]);
    expect(failing.logged('index-entry-closed')).toEqual([{ event: 'index-entry-closed', issueId: '99999', reason: 'issue-not-found' }]);
    expect(await listOpenPostHoc(f.sandbox.runtime.store)).toEqual([kept!.id]);
  });

  it('spends one GET per open entry and one bulkfetch per page of them', async () => {
    const issues = importTickets(f.state, Array.from({ length: 5 }, (_, i) => emergencyTicket(100 + i)), T0);
    for (const issue of issues) await open(issue.id, 100);
    const s = directSweep(f, { deps: { pageSize: 2 } });
    expect(await s.run()).toMatchObject({ indexed: 5, flagged: 5 });
    const reads = s.requests.filter((r) => r.method === 'GET' || r.path.endsWith('/bulkfetch'));
    expect(reads.filter((r) => r.method === 'GET')).toHaveLength(5);
    expect(reads.filter((r) => r.path.endsWith('/bulkfetch'))).toHaveLength(3);
  });
});

describe('sweep: labels a user removed', () => {
  it('sets the overdue label again without a second comment, and counts it', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    expect(await directSweep(f).run()).toMatchObject({ flagged: 1, relabelled: 0 });
    const removed = await f.sandbox.runtime.asUser(DEMO_USERS.implementer.accountId)({ method: 'PUT', path: `/rest/api/3/issue/${issue!.id}`, body: { update: { labels: [{ remove: OVERDUE_LABEL }] } } });
    expect(removed.status).toBe(204);
    expect(issue!.fields.labels).toEqual([]);
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ flagged: 0, relabelled: 1 });
    expect(issue!.fields.labels).toEqual([OVERDUE_LABEL]);
    expect(issue!.comments).toHaveLength(1);
    expect(s.logged('labels-restored')).toEqual([{ event: 'labels-restored', issueId: issue!.id, labels: OVERDUE_LABEL }]);
    expect(await directSweep(f).run()).toMatchObject({ relabelled: 0 });
  });
});
