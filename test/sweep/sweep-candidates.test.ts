// The candidate JQL finds changes by how they were implemented (an emergency shortcut), never by the
// type they have now (issue 15): tickets the recorder never saw, so not in the app-only index.
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import type { DemoTicket } from '../../sandbox/demo/demo-tickets';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { OPTION_LABELS } from '../../src/domain';
import { OVERDUE_LABEL } from '../../src/sweep/posthoc-property';
import { directSweep, SweepSandbox, sweepSandbox, T0 } from './sweep-fixture';

let f: SweepSandbox;
beforeEach(async () => {
  f = await sweepSandbox();
});
afterEach(() => f.close());

const reclassify = async (issueId: string, to: 'normal' | 'standard' | 'emergency') => {
  const edit = await f.sandbox.runtime.asUser(DEMO_USERS.implementer.accountId)({
    method: 'PUT',
    path: `/rest/api/3/issue/${issueId}`,
    body: { fields: { [f.state.policy.fields.changeType!]: { value: OPTION_LABELS.changeType[to] } } },
  });
  expect(edit.status).toBe(204);
};

const fromAssessment = (hoursAgo: number): DemoTicket => ({
  ...emergencyTicket(hoursAgo),
  steps: [
    ['move', 'Draft', 'Assessment', 'requester', hoursAgo + 2],
    ['move', 'Assessment', 'Implemented', 'implementer', hoursAgo],
  ],
});

const normalImplemented = (hoursAgo: number): DemoTicket => ({
  ...emergencyTicket(hoursAgo),
  type: 'normal',
  steps: [
    ['move', 'Draft', 'Assessment', 'requester', hoursAgo + 6],
    ['move', 'Assessment', 'Approved', 'approver', hoursAgo + 4],
    ['move', 'Approved', 'Scheduled', 'requester', hoursAgo + 3],
    ['move', 'Scheduled', 'Implemented', 'implementer', hoursAgo],
  ],
});

describe('sweep candidates for tickets outside the index', () => {
  it.each(['normal', 'standard'] as const)('flags an overdue emergency shortcut reclassified as %s afterwards', async (to) => {
    const [issue] = importTickets(f.state, [emergencyTicket(100)], T0);
    await reclassify(issue!.id, to);
    expect(await directSweep(f).run()).toMatchObject({ indexed: 0, scanned: 1, flagged: 1, errors: 0 });
    expect(issue!.fields.labels).toEqual([OVERDUE_LABEL]);
  });

  it('finds the shortcut from Assessment too', async () => {
    const [issue] = importTickets(f.state, [fromAssessment(100)], T0);
    expect(await directSweep(f).run()).toMatchObject({ scanned: 1, flagged: 1 });
    expect(issue!.fields.labels).toEqual([OVERDUE_LABEL]);
  });

  it('leaves alone a change implemented through Scheduled and only later typed Emergency: it owes no post-hoc approval', async () => {
    const [issue] = importTickets(f.state, [normalImplemented(100)], T0);
    await reclassify(issue!.id, 'emergency');
    expect(await directSweep(f).run()).toMatchObject({ scanned: 0, flagged: 0, errors: 0 });
    expect(issue!.fields.labels ?? []).toEqual([]);
  });

  it('does not find a shortcut older than the 30-day lookback', async () => {
    importTickets(f.state, [emergencyTicket(31 * 24)], T0);
    expect(await directSweep(f).run()).toMatchObject({ scanned: 0 });
  });
});
